package dev.trailguard.edge;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.notify.Notifier;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one way an event enters a feature, the same for all four functions: read the EventBridge envelope, check its
 * source and detail-type, read what the feature needs from it, put the event's id in the log context, and respond.
 * Its policy:
 * <ul>
 *   <li>an event that cannot be read, or is not of the expected kind: a HIGH {@code UNREADABLE_EVENT} notification
 *       and outcome, nothing done ({@link UnreadableEvents});</li>
 *   <li>a defect while responding (any exception but a failed call): logged with its stack trace, a HIGH
 *       notification and outcome {@code INTERNAL_ERROR}, so that a bug never swallows an event in silence;</li>
 *   <li>a failed call that escaped the feature (the notifier's own, when even the notification could not be sent):
 *       rethrown, so that Lambda retries the event and finally dead-letters it.</li>
 * </ul>
 * The log context is as before afterwards.
 */
public final class EventEdge {

    /**
     * The kind of event a feature accepts.
     *
     * @param what       what the event is, in notifications ({@code CloudTrail tamper event})
     * @param sources    the envelope's {@code source}, one of these
     * @param detailType the envelope's {@code detail-type}
     */
    public record Kind(String what, Set<String> sources, String detailType) {

        public Kind {
            sources = Set.copyOf(sources);
        }

        /** Events from one source. */
        public static Kind of(String what, String source, String detailType) {
            return new Kind(what, Set.of(source), detailType);
        }

        /** True if the envelope is of this kind. */
        public boolean matches(EventEnvelope envelope) {
            // An immutable Set's contains(null) throws: an event without a source is simply not of this kind.
            return envelope.source() != null && sources.contains(envelope.source())
                    && detailType.equals(envelope.detailType());
        }
    }

    /** Reads what a feature needs from an accepted envelope; throws {@link UnreadableEventException} if it cannot. */
    @FunctionalInterface
    public interface Reading<T> {
        T read(EventEnvelope envelope);
    }

    /** The id an event is logged and reported by: the envelope's, or the CloudTrail record's. */
    @FunctionalInterface
    public interface EventId<T> {
        String of(EventEnvelope envelope, T event);

        /** The envelope's id. */
        static <T> EventId<T> envelope() {
            return (envelope, event) -> envelope.id();
        }
    }

    /** A feature's response to one readable event. */
    @FunctionalInterface
    public interface Response<T> {
        Outcome respond(EventEnvelope envelope, T event);
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventEdge.class);

    private final EventReader reader;
    private final Notifier notifier;

    public EventEdge(EventReader reader, Notifier notifier) {
        this.reader = reader;
        this.notifier = notifier;
    }

    /**
     * Handles one raw event.
     *
     * @param raw      the event as delivered
     * @param kind     the events this feature accepts
     * @param reading  what the feature reads from the envelope
     * @param eventId  the id to log and report the event by (the envelope's, or the CloudTrail record's)
     * @param response the feature's response
     */
    public <T> Outcome handle(byte[] raw, Kind kind, Reading<T> reading, EventId<T> eventId,
                              Response<T> response) {
        EventEnvelope envelope = null;
        T event;
        try {
            envelope = reader.envelope(raw);
            if (!kind.matches(envelope)) {
                throw new UnreadableEventException("unexpected event source '" + envelope.source()
                        + "' / detail-type '" + envelope.detailType() + "'", envelope.id());
            }
            event = reading.read(envelope);
        } catch (UnreadableEventException e) {
            return UnreadableEvents.publish(notifier, kind.what(), e, envelope);
        }
        return respond(envelope, event, kind, eventId.of(envelope, event), response);
    }

    /** Responds to an event already read (a router that read the envelope to choose the feature). */
    public <T> Outcome respond(EventEnvelope envelope, T event, Kind kind, String eventId, Response<T> response) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        MDC.put("eventId", eventId);
        try {
            return response.respond(envelope, event);
        } catch (CallFailedException e) {
            // Only the notifier's failure gets here: let Lambda retry and dead-letter the event.
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Internal error handling {} {}", kind.what(), eventId, e);
            return UnreadableEvents.publish(notifier, kind.what(), new UnreadableEventException(
                    "internal error: " + e.getClass().getSimpleName(), eventId, e), envelope, "INTERNAL_ERROR");
        } finally {
            if (context == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(context);
            }
        }
    }
}
