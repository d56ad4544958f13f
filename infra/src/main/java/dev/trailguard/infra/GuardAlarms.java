package dev.trailguard.infra;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * An alarm on every path an event can be lost on, all to the topic: the delivery dead-letter queue, each function's
 * failure queue, errors and destination delivery failures, and each rule's failures to reach its dead-letter queue.
 * Create it after the last rule: it finds the rules anywhere in the stack. The dead-letter queue's alarm and the topic's
 * own delivery failures also go to the second channel, which needs neither the topic nor its key.
 */
final class GuardAlarms extends Construct implements LegacyIds.Group {

    private final Topic topic;
    private final Collection<GuardFunction> functions;
    private final Queue deadLetters;
    private final Topic secondChannel;

    GuardAlarms(final Construct scope, final String id, final Topic topic, final Collection<GuardFunction> functions,
            final Queue deadLetters, final Topic secondChannel) {
        super(scope, id);
        this.topic = topic;
        this.functions = functions;
        this.deadLetters = deadLetters;
        this.secondChannel = secondChannel;
        createAlarms();
    }

    private void createAlarms() {
        MetricOptions fiveMinuteMax = MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build();
        MetricOptions fiveMinuteSum = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        // Also the second channel: the backstop rules' events land here when the topic (or its key) refuses them.
        alarmToTopic(this, "EventDeliveryDlqAlarm", deadLetters.metricApproximateNumberOfMessagesVisible(fiveMinuteMax),
                "TrailGuard: EventBridge could not deliver an event to a function or topic; inspect the dead-letter "
                        + "queue", topic).addAlarmAction(new SnsAction(secondChannel));
        alarmToTopic(this, "TopicDeliveryFailuresAlarm", topic.metricNumberOfNotificationsFailed(fiveMinuteSum),
                "TrailGuard: the notification topic could not deliver to a subscriber (endpoint gone, queue policy "
                        + "or key changed): people may not be receiving TrailGuard's alerts", secondChannel);
        for (GuardFunction d : functions) {
            String name = d.function().getNode().getId();
            alarm(name + "FailedInvocationsAlarm", d.failureQueue().metricApproximateNumberOfMessagesVisible(fiveMinuteMax),
                    "TrailGuard: " + name + " failed an event after all retries; inspect its failure queue");
            alarm(name + "ErrorsAlarm", d.function().metricErrors(fiveMinuteSum),
                    "TrailGuard: " + name + " reported errors");
            // The failure queue catches what the function fails; this catches a failure queue that cannot be
            // written (its KMS key policy, a deleted queue): the event would otherwise vanish without a trace.
            alarm(name + "DestinationDeliveryFailuresAlarm",
                    d.function().metric("DestinationDeliveryFailures", fiveMinuteSum),
                    "TrailGuard: " + name + " failed an event and could not write it to its failure queue: the event "
                            + "is lost; check the queue and its KMS key policy");
        }
        // Same for EventBridge: an event that exhausts its retries goes to the dead-letter queue, and one that cannot
        // even be written there is counted here and nowhere else.
        for (IConstruct child : Stack.of(this).getNode().findAll()) {
            if (child instanceof Rule rule) {
                String id = child.getNode().getId();
                alarm(id + "DlqDeliveryFailuresAlarm", Metric.Builder.create()
                                .namespace("AWS/Events")
                                .metricName("InvocationsFailedToBeSentToDlq")
                                .dimensionsMap(ruleDimensions(rule))
                                .period(Duration.minutes(5))
                                .statistic("Sum")
                                .build(),
                        "TrailGuard: EventBridge rule " + id + " could not deliver an event to its target nor to the "
                                + "dead-letter queue: the event is lost; check the queue and its KMS key policy");
            }
        }
    }

    /** A rule on a custom bus reports its metrics under both the bus and the rule name, a default-bus rule under its name. */
    private static Map<String, String> ruleDimensions(Rule rule) {
        Object bus = ((CfnRule) rule.getNode().getDefaultChild()).getEventBusName();
        if (bus == null) {
            return Map.of("RuleName", rule.getRuleName());
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("EventBusName", bus.toString());
        dimensions.put("RuleName", rule.getRuleName());
        return dimensions;
    }

    /** An alarm to the topic when the metric goes above zero in a five-minute period. */
    static Alarm alarmToTopic(Construct scope, String id, IMetric metric, String description, Topic topic) {
        Alarm alarm = Alarm.Builder.create(scope, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        return alarm;
    }

    private void alarm(String id, IMetric metric, String description) {
        alarmToTopic(this, id, metric, description, topic);
    }
}
