package dev.trailguard.handler;

import dev.trailguard.backstop.SweepService;
import dev.trailguard.core.Dependencies;
import dev.trailguard.core.Outcome;

/** Lambda handler for the scheduled sweep that backs up the event path. */
public final class TrailSweeper extends EventFunction {

    public static final String NAME = "TrailSweeper";

    private final SweepService service;

    /** Used by Lambda: reads and validates the environment once, at init. */
    public TrailSweeper() {
        this(Dependencies.fromEnvironment());
    }

    public TrailSweeper(Dependencies deps) {
        this.service = new SweepService(deps.reader(), deps.locator(), deps.remediator(), deps.notifier(),
                deps.config());
    }

    @Override
    public Outcome handle(byte[] rawEvent) {
        return service.handle(rawEvent);
    }

    @Override
    public String name() {
        return NAME;
    }
}
