package dev.trailguard.contract;

/** The {@code source} and {@code detail-type} of the EventBridge events TrailGuard receives, and of the one it sends. */
public final class EventTypes {

    /** Detail-type of every CloudTrail-recorded API call. */
    public static final String API_CALL = "AWS API Call via CloudTrail";
    public static final String CLOUDTRAIL_SOURCE = "aws.cloudtrail";
    /** {@code detail.eventSource} of CloudTrail's own API calls. */
    public static final String CLOUDTRAIL_EVENT_SOURCE = "cloudtrail.amazonaws.com";
    public static final String CONFIG_SOURCE = "aws.config";
    public static final String CONFIG_COMPLIANCE_CHANGE = "Config Rules Compliance Change";
    public static final String SSM_SOURCE = "aws.ssm";
    public static final String AUTOMATION_STATUS_CHANGE = "EC2 Automation Execution Status-change Notification";
    /** Source and detail-type of an EventBridge schedule's event; the hub's sweep sends the sweeper the same shape. */
    public static final String SCHEDULE_SOURCE = "aws.events";
    public static final String SCHEDULED_EVENT = "Scheduled Event";
    /** TrailGuard's own daily ping that keeps the SnapStart versions active. */
    public static final String KEEPALIVE_SOURCE = "trailguard.keepalive";
    public static final String KEEPALIVE_DETAIL_TYPE = "TrailGuard Keepalive";

    /** Source and detail-type of the incident event TrailGuard puts on the default bus (docs/integrations.md). */
    public static final String INCIDENT_SOURCE = "trailguard";
    public static final String INCIDENT_DETAIL_TYPE = "TrailGuard Incident";

    private EventTypes() {
    }
}
