package dev.trailguard.handler;

import dev.trailguard.core.Dependencies;
import dev.trailguard.core.Outcome;
import dev.trailguard.tamper.TamperService;

/** Lambda handler for CloudTrail tamper calls (StopLogging, DeleteTrail, UpdateTrail, Put*Selectors). */
public final class TamperResponder extends EventFunction {

    public static final String NAME = "TamperResponder";

    private final TamperService service;

    /** Used by Lambda: reads and validates the environment once, at init. */
    public TamperResponder() {
        this(Dependencies.fromEnvironment());
    }

    public TamperResponder(Dependencies deps) {
        this.service = new TamperService(deps.reader(), deps.locator(), deps.remediator(), deps.notifier(),
                deps.executions(), deps.config());
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
