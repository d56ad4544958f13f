package dev.trailguard.handler;

import dev.trailguard.backstop.ComplianceService;

/** Lambda handler for AWS Config compliance changes of TrailGuard's rules. */
public final class ComplianceResponder extends EventFunction {

    public static final String NAME = "ComplianceResponder";

    /** Used by Lambda: reads and validates the environment once, at init. */
    public ComplianceResponder() {
        this(Dependencies.fromEnvironment());
    }

    public ComplianceResponder(Dependencies deps) {
        super(NAME, new ComplianceService(deps.reader(), deps.locator(), deps.remediator(), deps.notifier(),
                deps.config())::handle);
    }
}
