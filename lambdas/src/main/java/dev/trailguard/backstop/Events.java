package dev.trailguard.backstop;

import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.UnreadableEventException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Small readings of the EventBridge envelope shared by the backstops. */
final class Events {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private Events() {
    }

    /**
     * Checks the region the event was emitted in: the backstops act only on the trails whose home region it is, so
     * an event without a readable region cannot be acted on (and must be reported, not crash the function).
     *
     * @throws UnreadableEventException if the region is missing or not a region name
     */
    static void requireRegion(EventEnvelope envelope) {
        if (envelope.region() == null || !REGION.matcher(envelope.region()).matches()) {
            throw new UnreadableEventException("region is missing or malformed", envelope.id());
        }
    }

    /** The event's time (ISO-8601 in every EventBridge envelope), or the clock's if it is missing or malformed. */
    static Instant time(EventEnvelope envelope, Clock clock) {
        try {
            return envelope.time() == null ? clock.instant() : Instant.parse(envelope.time());
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }
}
