package dev.trailguard.drill;

import dev.trailguard.config.DrillConfig;
import java.time.Clock;

/**
 * What the drill needs in every function: its settings, the canary port (the FireDrill function's only AWS call), the
 * metrics port and the clock that times the stages.
 */
public record DrillSetup(DrillConfig config, Canary canary, DrillMetrics metrics, Clock clock) {

    /** No canary: nothing is a drill, nothing is measured. */
    public static DrillSetup none() {
        return new DrillSetup(DrillConfig.none(), Canary.none(), DrillMetrics.NONE, Clock.systemUTC());
    }

    public DrillSetup withMetrics(DrillMetrics value) {
        return new DrillSetup(config, canary, value, clock);
    }

    public DrillSetup withCanary(Canary value) {
        return new DrillSetup(config, value, metrics, clock);
    }
}
