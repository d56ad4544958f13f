package dev.trailguard.drill;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tags that mark a runbook execution as a drill's and carry its first two stage times to the reporter
 * ({@code ssm:GetAutomationExecution} does not return tags; {@code ssm:ListTagsForResource} does). Only the
 * TamperResponder sets them, and only for a recognised drill; the reporter reads them only for the canary trail.
 */
public final class DrillTags {

    /** The StopLogging event's {@code eventTime}. */
    public static final String STOPPED_AT = "TrailGuard:DrillStoppedAt";
    /** When the event reached the TamperResponder. */
    public static final String DETECTED_AT = "TrailGuard:DrillDetectedAt";

    private DrillTags() {
    }

    /** The tags for an execution answering a drill. */
    public static Map<String, String> of(Instant stoppedAt, Instant detectedAt) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(STOPPED_AT, stoppedAt.toString());
        tags.put(DETECTED_AT, detectedAt.toString());
        return tags;
    }

    /** The stop time if the execution's tags mark a drill; empty for any other execution. */
    public static Optional<Instant> stoppedAt(Map<String, String> tags) {
        return instant(tags.get(STOPPED_AT));
    }

    /** When the drill's event reached the TamperResponder, if tagged. */
    public static Optional<Instant> detectedAt(Map<String, String> tags) {
        return instant(tags.get(DETECTED_AT));
    }

    private static Optional<Instant> instant(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
