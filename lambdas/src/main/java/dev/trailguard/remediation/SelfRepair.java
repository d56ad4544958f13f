package dev.trailguard.remediation;

/**
 * How TrailGuard puts its own rules and notification path back.
 *
 * @param rules         rule restores from the deployed definitions
 * @param subscriptions subscription restores from the configured subscriptions
 * @param keys          the topic key's repairs ({@code CancelKeyDeletion}, {@code EnableKey}: both only make a key
 *                      usable again), the same calls as for a trail's key
 */
public record SelfRepair(RuleRestorer rules, SubscriptionRestorer subscriptions, DeliveryRepairs keys) {

    /** Without key repairs: a disabled topic key is reported only. */
    public SelfRepair(RuleRestorer rules, SubscriptionRestorer subscriptions) {
        this(rules, subscriptions, DeliveryRepairs.none());
    }

    /** Repairs nothing (offline use). */
    public static SelfRepair none() {
        return new SelfRepair(RuleRestorer.none(), SubscriptionRestorer.none(), DeliveryRepairs.none());
    }
}
