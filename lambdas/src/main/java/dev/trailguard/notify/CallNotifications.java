package dev.trailguard.notify;

import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.UserIdentity;

/** The part of every notification about one CloudTrail call that says who did what, when and from where. */
public final class CallNotifications {

    private CallNotifications() {
    }

    /** A notification about the call in {@code record}: its account, region, name, id, time and actor. */
    public static Notification.Builder about(Severity severity, String kind, EventEnvelope envelope,
                                             CloudTrailRecord record) {
        UserIdentity who = record.userIdentity();
        return Notification.builder(severity, kind)
                .detectedBy("CloudTrailEvent")
                .account(account(envelope, record))
                .region(region(envelope, record))
                .eventName(record.eventName())
                .eventId(record.eventId())
                .eventTime(record.eventTime())
                .actor(new Notification.Actor(who.arn(), who.type(), who.accountId(), who.sessionIssuerArn(),
                        who.invokedBy(), record.sourceIpAddress(), record.userAgent()));
    }

    /** The account the call was made in: the envelope's, else the record's recipient account. */
    public static String account(EventEnvelope envelope, CloudTrailRecord record) {
        return envelope.account() != null ? envelope.account() : record.recipientAccountId();
    }

    /** The region the call was made in: the record's, else the envelope's. */
    public static String region(EventEnvelope envelope, CloudTrailRecord record) {
        return record.awsRegion() != null ? record.awsRegion() : envelope.region();
    }
}
