package dev.trailguard.backstop;

import dev.trailguard.trail.TrailStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the backstops act again on a problem that persists. TrailGuard keeps no state between invocations, so both
 * the runbook's idempotency and the re-notification are derived from time alone:
 *
 * <ul>
 *   <li>A stopped trail gets one remediation attempt per {@link #RENOTIFY} period, counted from its
 *       {@code StopLoggingTime}: the attempt number is part of the incident key, so every sweep (and a Config
 *       event) within one period presents the same {@code ClientToken} and cannot start a second execution.</li>
 *   <li>The sweep notifies a persisting problem only on the first sweep of each period, so a trail that stays
 *       broken produces one notification per hour, not one per sweep.</li>
 * </ul>
 *
 * <p>The windows assume the sweep runs every {@link #SWEEP_INTERVAL} (the CDK schedule): exactly one sweep falls
 * into each window of that length.
 */
final class Cadence {

    /** How often the sweep runs (EventBridge schedule {@code rate(5 minutes)}). */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);
    /** A persisting problem is retried and re-notified this often. */
    static final Duration RENOTIFY = Duration.ofHours(1);
    /**
     * A stop this recent is left to the event path (StopLogging event, TamperResponder, runbook: well under a
     * minute). Without it, a sweep running just after a stop would start a second execution and claim that the
     * event path missed it.
     */
    static final Duration GRACE = Duration.ofMinutes(3);

    /**
     * A delivery error whose last successful delivery is more recent than this began after the previous sweep (one
     * sweep interval, plus CloudTrail's delivery interval of about five minutes): it is new.
     */
    static final Duration NEW_DELIVERY_ERROR = SWEEP_INTERVAL.plus(Duration.ofMinutes(5));

    /**
     * A trail that logs again after a stop is compared with its baseline from before the stop for this long after it
     * restarted: changes made while it did not log produced no event. Later, changes since the restart were seen by
     * the event path, and only the declared baseline is compared (see {@code SweepService}).
     */
    static final Duration DRIFT_HORIZON = Duration.ofHours(24);

    private Cadence() {
    }

    /**
     * The start of the trail's last blind window ({@code StopLoggingTime}), if it logs again since and restarted less
     * than {@link #DRIFT_HORIZON} ago.
     */
    static Optional<Instant> recentBlindWindow(TrailStatus status, Instant now) {
        if (status.stopLoggingTime().isEmpty() || status.startLoggingTime().isEmpty()) {
            return Optional.empty();
        }
        Instant stopped = status.stopLoggingTime().get();
        Instant started = status.startLoggingTime().get();
        boolean recent = started.isAfter(stopped) && Duration.between(started, now).compareTo(DRIFT_HORIZON) < 0;
        return recent ? Optional.of(stopped) : Optional.empty();
    }

    /** An incident key that stays the same for every sweep within one UTC hour: one execution per hour. */
    static String hourlyKey(String prefix, Instant now) {
        return prefix + "/hour-" + Math.floorDiv(now.getEpochSecond(), RENOTIFY.getSeconds());
    }

    /** True if a stop at {@code stoppedAt} is recent enough to leave to the event path. */
    static boolean withinGrace(Optional<Instant> stoppedAt, Instant now) {
        return stoppedAt.isPresent() && Duration.between(stoppedAt.get(), now).compareTo(GRACE) < 0;
    }

    /**
     * The incident key of a stopped trail: the same for every observer (sweep, Config event, duplicate delivery)
     * of the same stop within one {@link #RENOTIFY} period, so they share one {@code ClientToken}. A trail that was
     * never started has no stop time; its periods are counted in UTC hours.
     */
    static String stopIncidentKey(String trailArn, Optional<Instant> stoppedAt, Instant now) {
        return "stop/" + trailArn + "/" + stoppedAt.map(Instant::toString).orElse("never-logged") + "/attempt-"
                + period(origin(stoppedAt), now);
    }

    /** True if this sweep is the first one in the current period of a problem that began at {@code since}. */
    static boolean firstSweepOfPeriod(Optional<Instant> since, Instant now) {
        Instant origin = origin(since);
        long intoPeriod = Math.floorMod(Duration.between(origin, now).getSeconds(), RENOTIFY.getSeconds());
        return intoPeriod < SWEEP_INTERVAL.getSeconds();
    }

    /**
     * True if this sweep is the second one in the current period of a stop: the first one's start (or the event
     * path's) has had a whole sweep interval to restart logging, and it has not. One direct restart per period, so
     * that a direct call that keeps failing is reported twice an hour, not on every sweep.
     */
    static boolean runbookOverdue(Optional<Instant> stoppedAt, Instant now) {
        long intoPeriod = Math.floorMod(Duration.between(origin(stoppedAt), now).getSeconds(), RENOTIFY.getSeconds());
        return intoPeriod >= SWEEP_INTERVAL.getSeconds() && intoPeriod < 2 * SWEEP_INTERVAL.getSeconds();
    }

    private static Instant origin(Optional<Instant> stoppedAt) {
        // The grace period shifts the windows so that the first sweep after the grace is the first of period 0.
        return stoppedAt.map(t -> t.plus(GRACE)).orElse(Instant.EPOCH);
    }

    private static long period(Instant origin, Instant now) {
        return Math.max(0, Math.floorDiv(Duration.between(origin, now).getSeconds(), RENOTIFY.getSeconds()));
    }
}
