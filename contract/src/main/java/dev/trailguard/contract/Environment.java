package dev.trailguard.contract;

/** The environment variables the stack sets and the functions read at start-up (README, "Configuration"). */
public final class Environment {

    public static final String TOPIC_ARN = "TRAILGUARD_TOPIC_ARN";
    public static final String AUTOMATION_ROLE_ARN = "TRAILGUARD_AUTOMATION_ROLE_ARN";
    public static final String OWN_ROLE_ARNS = "TRAILGUARD_OWN_ROLE_ARNS";
    /** The roles of TrailGuard's functions: the only principals whose runbook executions are TrailGuard's own. */
    public static final String FUNCTION_ROLE_ARNS = "TRAILGUARD_FUNCTION_ROLE_ARNS";
    public static final String GUARDED_TRAILS = "TRAILGUARD_GUARDED_TRAILS";
    public static final String CONFIG_RULES = "TRAILGUARD_CONFIG_RULES";
    public static final String AUTHORIZED_ROLE_ARNS = "TRAILGUARD_AUTHORIZED_ROLE_ARNS";
    public static final String RESOURCE_PREFIX = "TRAILGUARD_RESOURCE_PREFIX";
    public static final String BASELINE_PARAMETER_PREFIX = "TRAILGUARD_BASELINE_PARAMETER_PREFIX";
    /** The trails' CloudWatch Logs delivery roles that the automation role may pass to CloudTrail. */
    public static final String PASSABLE_LOGS_ROLE_ARNS = "TRAILGUARD_PASSABLE_LOGS_ROLE_ARNS";
    public static final String LAKE_EVENT_DATA_STORE = "TRAILGUARD_LAKE_EVENT_DATA_STORE";
    public static final String ATHENA_TABLE = "TRAILGUARD_ATHENA_TABLE";
    public static final String LOG_LEVEL = "TRAILGUARD_LOG_LEVEL";
    /**
     * The second notification channel (an SNS topic without TrailGuard's KMS key): alerts about TrailGuard's own
     * notification path (its topic, the topic's key, its subscriptions) go there too.
     */
    public static final String SECOND_CHANNEL_TOPIC_ARN = "TRAILGUARD_SECOND_CHANNEL_TOPIC_ARN";
    /** The KMS key that encrypts the notification topic. */
    public static final String TOPIC_KEY_ARN = "TRAILGUARD_TOPIC_KEY_ARN";
    /** The topic's configured subscriptions, a JSON array of {@code {"protocol": ..., "endpoint": ...}}. */
    public static final String SUBSCRIPTIONS = "TRAILGUARD_SUBSCRIPTIONS";
    /** SSM parameter path of the deployed definitions of TrailGuard's EventBridge rules (one parameter per rule). */
    public static final String RULE_DEFINITION_PREFIX = "TRAILGUARD_RULE_DEFINITION_PREFIX";
    /** Organization hub only: the role in each member account that the hub's functions assume. */
    public static final String MEMBER_ROLE_NAME = "TRAILGUARD_MEMBER_ROLE_NAME";
    /** Organization hub only: the automation role in each member account, passed to SSM as AutomationAssumeRole. */
    public static final String MEMBER_AUTOMATION_ROLE_NAME = "TRAILGUARD_MEMBER_AUTOMATION_ROLE_NAME";

    /** {@code true}: every notification is also imported into Security Hub as an ASFF finding (docs/integrations.md). */
    public static final String SECURITY_HUB_FINDINGS = "TRAILGUARD_SECURITY_HUB_FINDINGS";
    /** {@code true}: every notification is also put on the default event bus as a {@code TrailGuard Incident} event. */
    public static final String INCIDENT_EVENTS = "TRAILGUARD_INCIDENT_EVENTS";
    /** The topic that receives the chat card of every notification (Amazon Q Developer in chat applications). */
    public static final String CHAT_TOPIC_ARN = "TRAILGUARD_CHAT_TOPIC_ARN";

    /** Fire drill (issue 16): the canary trail's ARN; unset means no drills. */
    public static final String CANARY_TRAIL_ARN = "TRAILGUARD_CANARY_TRAIL_ARN";
    /** Fire drill: the drill function's role, the only principal whose StopLogging of the canary is a drill. */
    public static final String DRILL_ROLE_ARN = "TRAILGUARD_DRILL_ROLE_ARN";
    /** Fire drill: seconds from the StopLogging to logging again within which a drill is INFO (else HIGH). */
    public static final String DRILL_TARGET_SECONDS = "TRAILGUARD_DRILL_TARGET_SECONDS";
    /** Fire drill: minutes after which a canary still stopped is CRITICAL (and the alarm fires). */
    public static final String DRILL_DEADLINE_MINUTES = "TRAILGUARD_DRILL_DEADLINE_MINUTES";

    /**
     * Organization hub only (issue 16 item 5): the drill role in every member account, trusted by the hub's FireDrill
     * role only and allowed only StopLogging of that account's canary; set means the hub runs member drills.
     */
    public static final String MEMBER_DRILL_ROLE_NAME = "TRAILGUARD_MEMBER_DRILL_ROLE_NAME";
    /** Organization hub only: the region of every member account's canary trail (the hub region). */
    public static final String MEMBER_CANARY_REGION = "TRAILGUARD_MEMBER_CANARY_REGION";
    /** Organization hub only: how many member accounts the daily drill stops the canary of. */
    public static final String DRILL_ACCOUNTS_PER_DAY = "TRAILGUARD_DRILL_ACCOUNTS_PER_DAY";
    /** Organization hub only: the guarded OUs (or root), comma-separated, whose active accounts the drill rotates over. */
    public static final String DRILL_PARENT_IDS = "TRAILGUARD_DRILL_PARENT_IDS";
    /** The member drill role's name in every member account (the value of {@link #MEMBER_DRILL_ROLE_NAME}). */
    public static final String DEFAULT_MEMBER_DRILL_ROLE_NAME = "TrailGuard-MemberDrill";
    public static final int DEFAULT_DRILL_ACCOUNTS_PER_DAY = 3;

    /** The canary trail's name (one per account and region: its home region is the stack's). */
    public static final String CANARY_TRAIL_NAME = "TrailGuard-Canary";
    public static final int DEFAULT_DRILL_TARGET_SECONDS = 300;
    public static final int DEFAULT_DRILL_DEADLINE_MINUTES = 10;
    /** The CloudWatch namespace of the drill's metrics (Embedded Metric Format log lines). */
    public static final String DRILL_METRIC_NAMESPACE = "TrailGuard/FireDrill";

    /** Default name prefix of TrailGuard's own resources: the stack name. */
    public static final String DEFAULT_RESOURCE_PREFIX = "TrailGuard";
    /** The member role's name in every member account (the value of {@link #MEMBER_ROLE_NAME}). */
    public static final String DEFAULT_MEMBER_ROLE_NAME = "TrailGuard-Member";
    /** The member automation role's name in every member account (the value of {@link #MEMBER_AUTOMATION_ROLE_NAME}). */
    public static final String DEFAULT_MEMBER_AUTOMATION_ROLE_NAME = "TrailGuard-Automation";
    /** Default SSM parameter path of the deployed rule definitions: {@code /trailguard/rules/<rule name>}. */
    public static final String DEFAULT_RULE_DEFINITION_PREFIX = "/trailguard/rules/";
    /** Default SSM parameter path of declared baselines. */
    public static final String DEFAULT_BASELINE_PARAMETER_PREFIX = "/trailguard/baseline/";

    private Environment() {
    }
}
