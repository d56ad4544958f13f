package dev.trailguard.guard;

/**
 * A call that touched one of TrailGuard's own resources (or a service TrailGuard depends on).
 *
 * @param component what kind of resource: EventBridge rule, Lambda function, IAM role, SNS topic, AWS Config, ...
 * @param resource  the resource's name or ARN as the call named it
 * @param effect    what the call does to TrailGuard, for people
 * @param reenable  true if TrailGuard can safely undo it by re-enabling an EventBridge rule
 */
public record GuardFinding(String component, String resource, String effect, boolean reenable) {
}
