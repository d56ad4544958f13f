package dev.trailguard.restore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param unavailable       sources that could not be read, with the reason, for the notification
 */
public record Baseline(Optional<TrailSettings> settings, String settingsSource, Optional<Instant> settingsCapturedAt,
                       Optional<EventSelectors> selectors, Optional<Set<String>> insightTypes,
                       String selectorsSource, List<String> unavailable) {

    /** How {@link ConfigHistoryBaselineSource} names its source: AWS Config recorded these settings. */
    static final String CONFIG_ITEM = "AWS Config configuration item ";

    public Baseline {
        unavailable = List.copyOf(unavailable);
    }

    /**
     * True if the settings were recorded by AWS Config rather than declared (declared baselines are checked when the
     * stack is synthesized; a recorded one can name anything the trail had).
     */
    public boolean settingsRecordedByConfig() {
        return settings.isPresent() && settingsSource != null && settingsSource.startsWith(CONFIG_ITEM);
    }

    public Baseline(Optional<TrailSettings> settings, String settingsSource, Optional<Instant> settingsCapturedAt,
                    Optional<EventSelectors> selectors, Optional<Set<String>> insightTypes, String selectorsSource) {
        this(settings, settingsSource, settingsCapturedAt, selectors, insightTypes, selectorsSource, List.of());
    }

    /** No baseline at all. */
    public static Baseline none() {
        return new Baseline(Optional.empty(), null, Optional.empty(), Optional.empty(), Optional.empty(), null);
    }

    /** No baseline, because the source could not be read. */
    static Baseline unavailable(String reason) {
        return new Baseline(Optional.empty(), null, Optional.empty(), Optional.empty(), Optional.empty(), null,
                List.of(reason));
    }

    public boolean isEmpty() {
        return settings.isEmpty() && selectors.isEmpty() && insightTypes.isEmpty();
    }

    /** This baseline's settings part replaced by another's, when that one has settings. */
    Baseline withSettingsFrom(Baseline other) {
        List<String> notes = new ArrayList<>(unavailable);
        notes.addAll(other.unavailable());
        if (other.settings().isEmpty()) {
            return new Baseline(settings, settingsSource, settingsCapturedAt, selectors, insightTypes,
                    selectorsSource, notes);
        }
        return new Baseline(other.settings(), other.settingsSource(), other.settingsCapturedAt(), selectors,
                insightTypes, selectorsSource, notes);
    }

    /** Where each part came from and which sources could not be read, as labelled lines for a notification. */
    public Map<String, String> provenance() {
        Map<String, String> out = new LinkedHashMap<>();
        if (settingsSource() != null) {
            out.put("Baseline settings from", settingsSource()
                    + settingsCapturedAt().map(t -> ", captured " + t).orElse(""));
        }
        if (selectorsSource() != null) {
            out.put("Baseline selectors from", selectorsSource());
        }
        for (int i = 0; i < unavailable().size(); i++) {
            out.put("Baseline source unavailable " + (i + 1), unavailable().get(i));
        }
        return out;
    }
}
