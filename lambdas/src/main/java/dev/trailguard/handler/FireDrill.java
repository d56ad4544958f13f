package dev.trailguard.handler;

import dev.trailguard.drill.FireDrillService;

/**
 * Lambda handler of the fire drill (issue 16): on its schedule or on demand, stops the canary trail with its own
 * role, the only one allowed to; the real path restarts and measures it.
 */
public final class FireDrill extends EventFunction {

    public static final String NAME = dev.trailguard.contract.Functions.FIRE_DRILL;

    /** Used by Lambda: reads and validates the environment once, at init. */
    public FireDrill() {
        this(Dependencies.fromEnvironment());
    }

    public FireDrill(Dependencies deps) {
        super(NAME, deps, d -> new FireDrillService(d.drill(), d.notifier())::handle);
    }
}
