package dev.trailguard.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
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
 * HTTPS subscriptions of the context. CloudWatch alarms of this account may publish to it.
 */
final class Notifications extends Construct implements LegacyIds.Group {

    private final GuardStackProps props;
    private final Key topicKey;
    private final Topic topic;

    Notifications(final Construct scope, final String id, final GuardStackProps props) {
        super(scope, id);
        this.props = props;
        this.topicKey = createTopicKey();
        this.topic = createTopic();
        createSubscriptions();
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

    private void createSubscriptions() {
        props.notificationEmails().forEach(email -> topic.addSubscription(new EmailSubscription(email)));
        // Raw delivery stays off: JSON subscribers get the standard SNS envelope (Subject, Timestamp,
        // MessageAttributes, signature) with TrailGuard's JSON document in its Message field.
        if (props.jsonSubscriberQueueArn() != null) {
            topic.addSubscription(new SqsSubscription(
                    Queue.fromQueueArn(this, "JsonSubscriberQueue", props.jsonSubscriberQueueArn()),
                    SqsSubscriptionProps.builder().rawMessageDelivery(false).build()));
        }
        if (props.jsonSubscriberHttpsUrl() != null) {
            topic.addSubscription(new UrlSubscription(props.jsonSubscriberHttpsUrl(),
                    UrlSubscriptionProps.builder().protocol(SubscriptionProtocol.HTTPS).rawMessageDelivery(false).build()));
        }
    }
}
