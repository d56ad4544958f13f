package dev.trailguard.restore;

import java.time.Instant;

/** Port: where a trail's known-good baseline comes from. */
public interface BaselineSource {

    /**
     * The trail's baseline as it was strictly before {@code before} (the tamper call's time), so that the tampered
     * state itself can never become the baseline.
     *
     * @throws dev.trailguard.core.CallFailedException if the source could not be read
     */
    Baseline baselineBefore(TrailId trail, Instant before);

    /** A source that knows nothing: every change is reported, nothing is restored. */
    static BaselineSource none() {
        return (trail, before) -> Baseline.none();
    }
}
