package dev.trailguard.handler;

import dev.trailguard.report.ReportService;

/**
 * Lambda handler for status changes of the executions of TrailGuard's runbooks: AWS-ConfigureCloudTrailLogging,
 * TrailGuard-RestoreTrail, TrailGuard-RecreateTrail and TrailGuard-EnableRule.
 */
public final class RemediationReporter extends EventFunction {

    public static final String NAME = "RemediationReporter";

    /** Used by Lambda: reads and validates the environment once, at init. */
    public RemediationReporter() {
        this(Dependencies.fromEnvironment());
    }

    public RemediationReporter(Dependencies deps) {
        super(NAME, deps, d -> new ReportService(d.reader(), d.executions(), d.locator(), d.notifier(),
                d.config(), d.response(), d.baselines(), d.configurations(), d.drill())::handle);
    }
}
