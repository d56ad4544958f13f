package dev.trailguard.contract;

import java.util.List;

/** The SSM Automation documents TrailGuard starts. The stack deploys TrailGuard's own under exactly these names. */
public final class Runbooks {

    /** The AWS-owned runbook that restarts a trail's logging. */
    public static final String CONFIGURE_LOGGING = "AWS-ConfigureCloudTrailLogging";
    /** Every TrailGuard runbook's name starts with this. */
    public static final String NAME_PREFIX = "TrailGuard-";
    /** Re-applies a baseline to an existing trail (UpdateTrail, selectors, Insights, StartLogging, assertions). */
    public static final String RESTORE_TRAIL = "TrailGuard-RestoreTrail";
    /** Recreates a deleted trail from its baseline (CreateTrail, then as {@link #RESTORE_TRAIL}). */
    public static final String RECREATE_TRAIL = "TrailGuard-RecreateTrail";
    /** Enables a disabled TrailGuard EventBridge rule again. */
    public static final String ENABLE_RULE = "TrailGuard-EnableRule";
    /** TrailGuard's own documents, in the order the stack deploys them. */
    public static final List<String> TRAILGUARD = List.of(RESTORE_TRAIL, RECREATE_TRAIL, ENABLE_RULE);
    /** Every runbook whose results the RemediationReporter receives. */
    public static final List<String> ALL = List.of(CONFIGURE_LOGGING, RESTORE_TRAIL, RECREATE_TRAIL, ENABLE_RULE);

    private Runbooks() {
    }
}
