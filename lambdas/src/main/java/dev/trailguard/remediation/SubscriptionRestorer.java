package dev.trailguard.remediation;

import dev.trailguard.config.SelfGuardConfig.Subscription;
import java.util.List;

/**
 * Port: puts the notification topic's configured subscriptions back: a configured endpoint without a subscription is
 * subscribed again, and a configured subscription's filter policy (TrailGuard deploys none) and raw delivery (off) are
 * set back. Subscriptions TrailGuard did not make are left alone.
 */
public interface SubscriptionRestorer {

    /**
     * @param topicArn   the notification topic
     * @param configured the deployment's subscriptions
     * @return what was changed, for people; empty when everything matched
     * @throws dev.trailguard.core.CallFailedException if a call failed after retries
     */
    List<String> restore(String topicArn, List<Subscription> configured);

    /** Restores nothing (offline use). */
    static SubscriptionRestorer none() {
        return (topic, configured) -> {
            throw new UnsupportedOperationException("subscription restore is not configured here");
        };
    }
}
