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
        super(NAME, new ReportService(deps.reader(), deps.executions(), deps.locator(), deps.notifier(),
                deps.config(), deps.response(), deps.baselines(), deps.configurations())::handle);
    }
}
