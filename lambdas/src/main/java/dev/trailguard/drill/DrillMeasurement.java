package dev.trailguard.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One drill's stages, each measured from the StopLogging event's {@code eventTime}.
 *
 * @param account          the account
 * @param region           the canary's region
 * @param trailArn         the canary
 * @param executionId      the runbook execution, if one was started
 * @param stoppedAt        the StopLogging event's {@code eventTime}
 * @param detectedAt       when the event reached the TamperResponder
 * @param runbookStartedAt the execution's start time
 * @param runbookEndedAt   the execution's end time
 * @param loggingAt        the canary's {@code StartLoggingTime} after the runbook
 */
public record DrillMeasurement(String account, String region, String trailArn, String executionId, Instant stoppedAt,
                               Optional<Instant> detectedAt, Optional<Instant> runbookStartedAt,
                               Optional<Instant> runbookEndedAt, Optional<Instant> loggingAt) {

    /** Event received by the TamperResponder, after the StopLogging. */
    public Optional<Duration> timeToDetect() {
        return detectedAt.map(t -> Duration.between(stoppedAt, t));
    }

    /** The canary logging again ({@code StartLoggingTime}), after the StopLogging. */
    public Optional<Duration> timeToRestore() {
        return loggingAt.map(t -> Duration.between(stoppedAt, t));
    }

    /** Each stage reached, in order, with its offset from the StopLogging (for notifications and logs). */
    public Map<String, String> stages() {
        Map<String, String> stages = new LinkedHashMap<>();
        stages.put("StopLogging (eventTime)", stoppedAt.toString());
        stage(stages, "Event reached TamperResponder", detectedAt);
        stage(stages, "Runbook started", runbookStartedAt);
        stage(stages, "Runbook finished", runbookEndedAt);
        stage(stages, "Canary logging again (StartLoggingTime)", loggingAt);
        return stages;
    }

    private void stage(Map<String, String> stages, String label, Optional<Instant> at) {
        stages.put(label, at.map(t -> "+" + seconds(Duration.between(stoppedAt, t)) + " s (" + t + ")")
                .orElse("never"));
    }

    /** Seconds with millisecond precision, as the metrics carry them. */
    public static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
