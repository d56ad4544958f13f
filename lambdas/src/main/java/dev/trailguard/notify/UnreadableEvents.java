package dev.trailguard.notify;

import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.UnreadableEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports an event that a function could not act on, so that it is never dropped silently. */
public final class UnreadableEvents {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableEvents.class);

    private UnreadableEvents() {
    }

    /**
     * Publishes a HIGH {@code UNREADABLE_EVENT} notification.
     *
     * @param notifier where to publish
     * @param what     what kind of event was expected, for example {@code automation status change}
     * @param e        why it was unreadable
     * @param envelope the envelope, if it could be read
     */
    public static Outcome publish(Notifier notifier, String what, UnreadableEventException e, EventEnvelope envelope) {
        LOG.error("Unreadable {} {}: {}", what, e.eventId(), e.getMessage());
        Notification n = Notification.builder(Severity.HIGH, "UNREADABLE_EVENT")
                .headline("Unreadable " + what + " received")
                .summary("TrailGuard received an event it could not act on (" + e.getMessage() + "). Nothing was "
                        + "remediated. Look the event up in the function's logs by its id.")
                .account(envelope == null ? null : envelope.account())
                .region(envelope == null ? null : envelope.region())
                .eventId(e.eventId())
                .eventTime(envelope == null ? null : envelope.time())
                .action(new Notification.Action("UNREADABLE_EVENT", "Nothing done: the event was unreadable.",
                        null, null))
                .detail("Reason", e.getMessage())
                .build();
        return Outcome.of("UNREADABLE_EVENT", e.eventId()).severity(n.severity().name())
                .messageId(notifier.publish(n)).note(e.getMessage()).build();
    }
}
