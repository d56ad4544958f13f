package dev.trailguard.guard;

/**
 * A call that touched one of TrailGuard's own resources (or a service TrailGuard depends on).
 *
 * @param component        what kind of resource: EventBridge rule, Lambda function, IAM role, SNS topic, AWS Config, ...
 * @param resource         the resource's name or ARN as the call named it
 * @param effect           what the call does to TrailGuard, for people
 * @param repair           what TrailGuard does to put it back
 * @param notificationPath true if the call can silence TrailGuard's notifications (its topic, the topic's key, its
 *                         subscriptions): the alert also goes through the second channel
 */
public record GuardFinding(String component, String resource, String effect, Repair repair,
                           boolean notificationPath) {

    /** How TrailGuard undoes the call. */
    public enum Repair {
        /** Reported only: the stack must be redeployed. */
        NONE,
        /** TrailGuard-EnableRule through SSM Automation. */
        REENABLE_RULE,
        /** The rule's deployed definition and targets put back (RuleRestorer). */
        RESTORE_RULE,
        /** The configured subscriptions and their filter policies put back (SubscriptionRestorer). */
        RESTORE_SUBSCRIPTIONS
    }

    /** A finding outside the notification path. */
    public GuardFinding(String component, String resource, String effect, boolean reenable) {
        this(component, resource, effect, reenable ? Repair.REENABLE_RULE : Repair.NONE, false);
    }

    /** True if TrailGuard re-enables the rule through SSM Automation. */
    public boolean reenable() {
        return repair == Repair.REENABLE_RULE;
    }
}
