package dev.trailguard.trail;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@code GetTrailStatus} says about a trail.
 *
 * @param logging             whether the trail is recording
 * @param startLoggingTime    when logging last started
 * @param stopLoggingTime     when logging last stopped
 * @param latestDeliveryError the last S3 delivery error, if any
 * @param latestDeliveryTime  when CloudTrail last delivered a log file successfully, if ever
 */
public record TrailStatus(boolean logging, Optional<Instant> startLoggingTime, Optional<Instant> stopLoggingTime,
                          Optional<String> latestDeliveryError, Optional<Instant> latestDeliveryTime) {

    /** Without the time of the last successful delivery (unknown). */
    public TrailStatus(boolean logging, Optional<Instant> startLoggingTime, Optional<Instant> stopLoggingTime,
                       Optional<String> latestDeliveryError) {
        this(logging, startLoggingTime, stopLoggingTime, latestDeliveryError, Optional.empty());
    }
}
