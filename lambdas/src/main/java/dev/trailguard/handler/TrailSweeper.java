package dev.trailguard.handler;

import dev.trailguard.backstop.SweepService;

/** Lambda handler for the scheduled sweep that backs up the event path. */
public final class TrailSweeper extends EventFunction {

    public static final String NAME = "TrailSweeper";

    /** Used by Lambda: reads and validates the environment once, at init. */
    public TrailSweeper() {
        this(Dependencies.fromEnvironment());
    }

    public TrailSweeper(Dependencies deps) {
        super(NAME, deps, d -> new SweepService(d.reader(), d.locator(), d.remediator(), d.notifier(),
                d.config(), d.forwarding(), d.reenabler(), d.reconciler(), d.executions(), d.drill())::handle);
    }
}
