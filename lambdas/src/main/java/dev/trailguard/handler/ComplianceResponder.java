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
        super(NAME, deps, d -> new ComplianceService(d.reader(), d.locator(), d.remediator(), d.notifier(),
                d.config(), d.reconciler())::handle);
    }
}
