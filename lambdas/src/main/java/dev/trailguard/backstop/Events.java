package dev.trailguard.backstop;

import dev.trailguard.event.EventEnvelope;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Small readings of the EventBridge envelope shared by the backstops. */
final class Events {

    private Events() {
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
