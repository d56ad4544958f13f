package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.config.SelfGuardConfig.Subscription;
import dev.trailguard.remediation.SubscriptionRestorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Puts the configured subscriptions back with {@code ListSubscriptionsByTopic}, {@code Subscribe},
 * {@code GetSubscriptionAttributes} and {@code SetSubscriptionAttributes}: a configured endpoint without a subscription
 * is subscribed again (an e-mail address must confirm again: SNS sends the confirmation), a filter policy on a
 * configured subscription is removed ({@code FilterPolicy = {}}, as SNS documents), raw delivery is turned off again.
 */
public final class SnsSubscriptionRestorer implements SubscriptionRestorer {

    /** What SNS lists for a subscription that waits for its confirmation: no attributes to read or set yet. */
    static final String PENDING = "PendingConfirmation";

    private final SnsClient sns;

    public SnsSubscriptionRestorer(SnsClient sns) {
        this.sns = sns;
    }

    @Override
    public List<String> restore(String topicArn, List<Subscription> configured) {
        List<software.amazon.awssdk.services.sns.model.Subscription> present = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = call("sns:ListSubscriptionsByTopic", () -> sns.listSubscriptionsByTopic(b -> b
                    .topicArn(topicArn).nextToken(token)));
            present.addAll(page.subscriptions());
            next = page.nextToken();
        } while (next != null);
        List<String> changes = new ArrayList<>();
        for (Subscription wanted : configured) {
            var match = present.stream().filter(s -> wanted.protocol().equals(s.protocol())
                    && wanted.endpoint().equalsIgnoreCase(s.endpoint())).findFirst();
            if (match.isEmpty()) {
                call("sns:Subscribe", () -> sns.subscribe(b -> b.topicArn(topicArn).protocol(wanted.protocol())
                        .endpoint(wanted.endpoint()).returnSubscriptionArn(true)));
                changes.add("subscribed " + wanted.protocol() + " " + wanted.endpoint() + " again"
                        + (wanted.protocol().startsWith("email") ? " (the recipient must confirm it)" : ""));
                continue;
            }
            String arn = match.get().subscriptionArn();
            if (PENDING.equals(arn)) {
                continue;
            }
            Map<String, String> attributes = call("sns:GetSubscriptionAttributes",
                    () -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn))).attributes();
            String filter = attributes.get("FilterPolicy");
            if (filter != null && !filter.isBlank() && !filter.trim().equals("{}")) {
                call("sns:SetSubscriptionAttributes", () -> sns.setSubscriptionAttributes(b -> b
                        .subscriptionArn(arn).attributeName("FilterPolicy").attributeValue("{}")));
                changes.add("removed the filter policy " + filter + " from " + wanted.protocol() + " "
                        + wanted.endpoint());
            }
            if ("true".equalsIgnoreCase(attributes.get("RawMessageDelivery"))) {
                call("sns:SetSubscriptionAttributes", () -> sns.setSubscriptionAttributes(b -> b
                        .subscriptionArn(arn).attributeName("RawMessageDelivery").attributeValue("false")));
                changes.add("turned raw delivery off again for " + wanted.protocol() + " " + wanted.endpoint());
            }
        }
        return changes;
    }
}
