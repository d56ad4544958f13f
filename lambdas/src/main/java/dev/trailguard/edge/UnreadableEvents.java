package dev.trailguard.edge;

import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
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
        return publish(notifier, what, e, envelope, "UNREADABLE_EVENT");
    }

    /**
     * Publishes a HIGH notification of kind {@code outcome}: {@code UNREADABLE_EVENT} for an event that could not be
     * read, {@code INTERNAL_ERROR} for one that TrailGuard failed on (a defect; the log has the stack trace).
     */
    static Outcome publish(Notifier notifier, String what, UnreadableEventException e, EventEnvelope envelope,
                           String outcome) {
        boolean internal = "INTERNAL_ERROR".equals(outcome);
        LOG.error("{} {} {}: {}", internal ? "Failed on" : "Unreadable", what, e.eventId(), e.getMessage());
        Notification n = Notification.builder(Severity.HIGH, outcome)
                .headline(internal ? "TrailGuard failed on a " + what : "Unreadable " + what + " received")
                .summary(internal
                        ? "TrailGuard failed while handling this event (" + e.getMessage() + "), so it may not have "
                                + "acted on it. Check the trail it concerns by hand, and look the event up in the "
                                + "function's logs by its id: the error is logged there with its stack trace."
                        : "TrailGuard received an event it could not act on (" + e.getMessage() + "). Nothing was "
                                + "remediated. Look the event up in the function's logs by its id.")
                .account(envelope == null ? null : envelope.account())
                .region(envelope == null ? null : envelope.region())
                .eventId(e.eventId())
                .eventTime(envelope == null ? null : envelope.time())
                .action(new Notification.Action(outcome, internal ? "Nothing certain: TrailGuard failed on the event."
                        : "Nothing done: the event was unreadable.", null, null))
                .detail("Reason", e.getMessage())
                .build();
        return Outcome.of(outcome, e.eventId()).severity(n.severity().name())
                .messageId(notifier.publish(n)).note(e.getMessage()).build();
    }
}
