package dev.trailguard.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.SubscriptionProtocol;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscription;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscriptionProps;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscription;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscriptionProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Where every incident and result reaches people: the KMS-encrypted, TLS-only topic, its key, and the e-mail, SQS and
 * HTTPS subscriptions of the context. CloudWatch alarms of this account may publish to it. Next to it the second
 * channel: a topic without any KMS key, with the same subscribers, for alerts about the notification path itself (its
 * topic, its key, its subscriptions), which an attacker who disables the key or mutes a subscription would otherwise
 * silence together with the alert (docs/notifications.md, "Second channel").
 */
final class Notifications extends Construct implements LegacyIds.Group {

    private final GuardStackProps props;
    private final Key topicKey;
    private final Topic topic;
    private final Topic secondChannel;
    private software.amazon.awscdk.services.sqs.IQueue subscriberQueue;

    /** The tag the SCP recognises the topic's key by (key ARNs carry an id, not a name). */
    static final String PROTECTED_TAG = "TrailGuardProtected";

    Notifications(final Construct scope, final String id, final GuardStackProps props) {
        super(scope, id);
        this.props = props;
        this.topicKey = createTopicKey();
        this.topic = createTopic();
        createSubscriptions(topic);
        this.secondChannel = createSecondChannel();
        createSubscriptions(secondChannel);
    }

    /** The topic without TrailGuard's KMS key, for alerts about the notification path. */
    Topic secondChannel() {
        return secondChannel;
    }

    Key topicKey() {
        return topicKey;
    }

    Topic topic() {
        return topic;
    }

    private Key createTopicKey() {
        Key key = Key.Builder.create(this, "TopicKey")
                .description("TrailGuard: encrypts the notification topic")
                .enableKeyRotation(true)
                // Scheduled deletion (30 days, cancellable) on destroy rather than an orphaned key.
                .removalPolicy(RemovalPolicy.DESTROY)
                .pendingWindow(Duration.days(30))
                .build();
        Tags.of(key).add(PROTECTED_TAG, "true");
        // CloudWatch publishes alarm notifications itself; without this it cannot use the topic's key.
        // The functions get the key through IAM (the default key policy delegates to the account).
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarmsToUseTheKey")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        return key;
    }

    private Topic createTopic() {
        Topic created = Topic.Builder.create(this, "Topic")
                .displayName("TrailGuard")
                .masterKey(topicKey)
                .enforceSsl(true)
                .build();
        // Confused-deputy protection: only this account's alarms may publish as CloudWatch.
        created.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowThisAccountsAlarms")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(created.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()),
                        "ArnLike", Map.of("aws:SourceArn",
                                "arn:" + Stack.of(this).getPartition() + ":cloudwatch:" + Stack.of(this).getRegion() + ":" + Stack.of(this).getAccount() + ":alarm:*")))
                .build());
        return created;
    }

    /**
     * Server-side encryption off, on purpose: a customer-managed key is one more key the attacker can disable (the very
     * attack this channel reports), and the AWS-managed {@code alias/aws/sns} key cannot be used by CloudWatch alarms or
     * EventBridge, which publish here. The messages name calls, principals, resources and IP addresses, all of which
     * are in the CloudTrail log anyway; no secret. TLS is still enforced, and only this account's alarms, TrailGuard's
     * rules and its function may publish.
     */
    private Topic createSecondChannel() {
        Topic created = Topic.Builder.create(this, "SecondChannel")
                .displayName("TrailGuard second channel")
                .enforceSsl(true)
                .build();
        created.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowThisAccountsAlarms")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(created.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()),
                        "ArnLike", Map.of("aws:SourceArn",
                                "arn:" + Stack.of(this).getPartition() + ":cloudwatch:" + Stack.of(this).getRegion() + ":" + Stack.of(this).getAccount() + ":alarm:*")))
                .build());
        return created;
    }

    private void createSubscriptions(Topic topic) {
        props.notificationEmails().forEach(email -> topic.addSubscription(new EmailSubscription(email)));
        // Raw delivery stays off: JSON subscribers get the standard SNS envelope (Subject, Timestamp,
        // MessageAttributes, signature) with TrailGuard's JSON document in its Message field.
        if (props.jsonSubscriberQueueArn() != null) {
            if (subscriberQueue == null) {
                subscriberQueue = Queue.fromQueueArn(this, "JsonSubscriberQueue", props.jsonSubscriberQueueArn());
            }
            topic.addSubscription(new SqsSubscription(subscriberQueue,
                    SqsSubscriptionProps.builder().rawMessageDelivery(false).build()));
        }
        if (props.jsonSubscriberHttpsUrl() != null) {
            topic.addSubscription(new UrlSubscription(props.jsonSubscriberHttpsUrl(),
                    UrlSubscriptionProps.builder().protocol(SubscriptionProtocol.HTTPS).rawMessageDelivery(false).build()));
        }
    }
}
