package dev.trailguard.handler;

import dev.trailguard.drill.FireDrillService;

/**
 * Lambda handler of the fire drill (issue 16): on its schedule or on demand, stops the canary trail with its own
 * role, the only one allowed to (in the organization hub: the day's sample of member accounts' canaries, each through
 * its drill role); the real path restarts and measures it.
 */
public final class FireDrill extends EventFunction {

    public static final String NAME = dev.trailguard.contract.Functions.FIRE_DRILL;

    /** Used by Lambda: reads and validates the environment once, at init. */
    public FireDrill() {
        this(Dependencies.fromEnvironment());
    }

    /**
     * Never routed by account: in the organization hub the drill reaches a member only through that member's drill
     * role (the canary port), never as its {@code TrailGuard-Member} role, which does not trust the FireDrill.
     */
    public FireDrill(Dependencies deps) {
        super(NAME, deps.withMembers(Members.NONE),
                d -> new FireDrillService(d.drill(), d.notifier(), d.config().partition())::handle);
    }
}
