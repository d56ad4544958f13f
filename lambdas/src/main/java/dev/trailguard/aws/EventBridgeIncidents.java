package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.contract.EventTypes;
import dev.trailguard.notify.Integration;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.NotificationRenderer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts each notification on the function's default event bus as a {@code TrailGuard Incident} event (source
 * {@code trailguard}) whose {@code detail} is the notification's JSON document, unchanged, so users route incidents
 * to their own targets with ordinary rules. {@code PutEvents} answers 200 even when it refused the entry: a
 * {@code FailedEntryCount} above zero is a failure, named by the entry's error code.
 */
public final class EventBridgeIncidents implements Integration {

    static final String ACTION = "events:PutEvents";

    private final EventBridgeClient events;
    private final NotificationRenderer renderer;

    public EventBridgeIncidents(EventBridgeClient events, NotificationRenderer renderer) {
        this.events = events;
        this.renderer = renderer;
    }

    @Override
    public String name() {
        return "EventBridge";
    }

    @Override
    public void deliver(Notification notification) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .source(EventTypes.INCIDENT_SOURCE)
                .detailType(EventTypes.INCIDENT_DETAIL_TYPE)
                .detail(renderer.json(notification).toString())
                .build();
        PutEventsResponse response = call(ACTION, () -> events.putEvents(r -> r.entries(entry)));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry failed = response.entries().isEmpty() ? null : response.entries().get(0);
            String code = failed == null ? "FailedEntry" : failed.errorCode();
            throw new AwsCallFailedException(ACTION, SdkClientException.builder().message(code + ": "
                    + (failed == null ? "" : failed.errorMessage())).build());
        }
    }
}
