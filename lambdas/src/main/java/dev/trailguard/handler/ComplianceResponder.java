package dev.trailguard.handler;

import dev.trailguard.backstop.ComplianceService;
import dev.trailguard.core.Dependencies;
import dev.trailguard.core.Outcome;

/** Lambda handler for AWS Config compliance changes of TrailGuard's rules. */
public final class ComplianceResponder extends EventFunction {

    public static final String NAME = "ComplianceResponder";

    private final ComplianceService service;

    /** Used by Lambda: reads and validates the environment once, at init. */
    public ComplianceResponder() {
        this(Dependencies.fromEnvironment());
    }

    public ComplianceResponder(Dependencies deps) {
        this.service = new ComplianceService(deps.reader(), deps.locator(), deps.remediator(), deps.notifier(),
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
