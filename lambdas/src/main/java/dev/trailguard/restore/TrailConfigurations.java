package dev.trailguard.restore;

/** Port: a trail's configuration as it is now, in the parts a {@link Baseline} has. */
public interface TrailConfigurations {

    /**
     * The trail's current settings, selectors and Insights types; only the parts asked for are read (and present).
     *
     * @throws dev.trailguard.core.CallFailedException if CloudTrail could not be asked
     */
    Baseline current(TrailId trail, boolean settings, boolean selectors, boolean insights);

    /** Knows nothing: a comparison with the baseline is never possible. */
    static TrailConfigurations none() {
        return (trail, settings, selectors, insights) -> Baseline.none();
    }
}
