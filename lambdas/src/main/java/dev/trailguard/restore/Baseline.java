package dev.trailguard.restore;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The known-good configuration of a trail: what TrailGuard puts back. Each part is optional because each comes from
 * a source that may not know it (AWS Config records the settings but not the selectors).
 *
 * @param settings          the trail's settings
 * @param settingsSource    where they came from, for the notification
 * @param settingsCapturedAt when that source captured them, if known
 * @param selectors         the event selectors
 * @param insightTypes      the Insights types (for example ApiCallRateInsight); empty set means none
 * @param selectorsSource   where selectors and insights came from
 */
public record Baseline(Optional<TrailSettings> settings, String settingsSource, Optional<Instant> settingsCapturedAt,
                       Optional<EventSelectors> selectors, Optional<Set<String>> insightTypes,
                       String selectorsSource) {

    /** No baseline at all. */
    public static Baseline none() {
        return new Baseline(Optional.empty(), null, Optional.empty(), Optional.empty(), Optional.empty(), null);
    }

    public boolean isEmpty() {
        return settings.isEmpty() && selectors.isEmpty() && insightTypes.isEmpty();
    }

    /** This baseline's settings part replaced by another's, when that one has settings. */
    Baseline withSettingsFrom(Baseline other) {
        if (other.settings().isEmpty()) {
            return this;
        }
        return new Baseline(other.settings(), other.settingsSource(), other.settingsCapturedAt(), selectors,
                insightTypes, selectorsSource);
    }
}
