package dev.trailguard.remediation;

/**
 * How TrailGuard puts its own rules and notification path back.
 *
 * @param rules         rule restores from the deployed definitions
 * @param subscriptions subscription restores from the configured subscriptions
 */
public record SelfRepair(RuleRestorer rules, SubscriptionRestorer subscriptions) {

    /** Repairs nothing (offline use). */
    public static SelfRepair none() {
        return new SelfRepair(RuleRestorer.none(), SubscriptionRestorer.none());
    }
}
