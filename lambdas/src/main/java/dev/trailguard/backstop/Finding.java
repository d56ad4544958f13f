package dev.trailguard.backstop;

import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Severity;
import dev.trailguard.trail.Trail;
import java.time.Instant;

/**
 * The context of one backstop run (a Config compliance change or a scheduled sweep), shared by its notifications.
 *
 * @param detectedBy {@code ConfigRule} or {@code Sweep}
 * @param trigger    the value of the execution's {@code TrailGuard:Trigger} tag
 * @param account    this account
 * @param region     this region
 * @param eventName  the EventBridge detail-type
 * @param eventId    the EventBridge event id
 * @param eventTime  the event's time as sent
 * @param now        the event's time, parsed (the clock, if it could not be)
 */
record Finding(String detectedBy, String trigger, String account, String region, String eventName, String eventId,
               String eventTime, Instant now) {

    Notification.Builder notification(Severity severity, String kind) {
        return Notification.builder(severity, kind)
                .detectedBy(detectedBy)
                .account(account)
                .region(region)
                .eventName(eventName)
                .eventId(eventId)
                .eventTime(eventTime);
    }

    static Notification.TrailSummary summary(Trail trail) {
        return new Notification.TrailSummary(trail.arn(), trail.name(), trail.homeRegion(), trail.organization());
    }
}
