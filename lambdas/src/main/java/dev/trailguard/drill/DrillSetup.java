package dev.trailguard.drill;

import dev.trailguard.config.DrillConfig;
import java.time.Clock;

/**
 * What the drill needs in every function: its settings, the canary port (the FireDrill function's only AWS call; in the
 * organization hub, through each member's drill role), the metrics port, the clock that times the stages, and in the
 * hub the member accounts the drill rotates over.
 */
public record DrillSetup(DrillConfig config, Canary canary, DrillMetrics metrics, Clock clock,
                         DrillAccounts accounts) {

    /** Without member accounts (single-account mode). */
    public DrillSetup(DrillConfig config, Canary canary, DrillMetrics metrics, Clock clock) {
        this(config, canary, metrics, clock, DrillAccounts.NONE);
    }

    /** No canary: nothing is a drill, nothing is measured. */
    public static DrillSetup none() {
        return new DrillSetup(DrillConfig.none(), Canary.none(), DrillMetrics.NONE, Clock.systemUTC());
    }

    public DrillSetup withMetrics(DrillMetrics value) {
        return new DrillSetup(config, canary, value, clock, accounts);
    }

    public DrillSetup withCanary(Canary value) {
        return new DrillSetup(config, value, metrics, clock, accounts);
    }

    public DrillSetup withConfig(DrillConfig value) {
        return new DrillSetup(value, canary, metrics, clock, accounts);
    }

    /**
     * In the organization hub, the setup for one account: that account's canary and drill role only
     * ({@link DrillConfig#forAccount}). Unchanged elsewhere.
     */
    public DrillSetup forAccount(String partition, String account) {
        return config.organization() ? withConfig(config.forAccount(partition, account)) : this;
    }
}
