package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.notify.ChatCard;
import dev.trailguard.notify.Integration;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.NotificationRenderer;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes each notification's chat card ({@link ChatCard}) to the chat topic, which Amazon Q Developer in chat
 * applications subscribes to. A topic of its own, not the notification topic's {@code https} key: that key would give
 * every HTTPS subscriber the card instead of TrailGuard's JSON document (docs/integrations.md).
 */
public final class SnsChatPublisher implements Integration {

    static final String ACTION = "sns:Publish";

    private final SnsClient sns;
    private final String topicArn;
    private final ChatCard cards;
    private final NotificationRenderer renderer;

    public SnsChatPublisher(SnsClient sns, String topicArn, ChatCard cards, NotificationRenderer renderer) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.cards = cards;
        this.renderer = renderer;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public void deliver(Notification notification) {
        String card = cards.card(notification).toString();
        // The notification's attributes, so that a channel's subscription can filter as the topic's do.
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        renderer.attributes(notification).forEach((k, v) ->
                attributes.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        call(ACTION, () -> sns.publish(r -> r.topicArn(topicArn).subject(renderer.subject(notification))
                .message(card).messageAttributes(attributes)));
    }
}
