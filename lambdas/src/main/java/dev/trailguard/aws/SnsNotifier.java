package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.notify.Notification;
import dev.trailguard.notify.NotificationRenderer;
import dev.trailguard.notify.Notifier;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/** Publishes one SNS message per notification, with {@code MessageStructure=json} and filterable attributes. */
public final class SnsNotifier implements Notifier {

    private final SnsClient sns;
    private final String topicArn;
    private final NotificationRenderer renderer;

    public SnsNotifier(SnsClient sns, String topicArn, NotificationRenderer renderer) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.renderer = renderer;
    }

    @Override
    public String publish(Notification notification) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        renderer.attributes(notification).forEach((k, v) ->
                attributes.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        PublishRequest request = PublishRequest.builder()
                .topicArn(topicArn)
                .subject(renderer.subject(notification))
                .messageStructure("json")
                .message(renderer.snsMessage(notification))
                .messageAttributes(attributes)
                .build();
        return call("sns:Publish", () -> sns.publish(request)).messageId();
    }
}
