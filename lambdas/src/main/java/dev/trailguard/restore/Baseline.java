package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The known-good configuration of a trail: what TrailGuard puts back. Each part is optional because each comes from
 * a source that may not know it (AWS Config records the settings, but of the selectors and Insights only whether they
 * are the defaults).
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

    /** How a baseline from AWS Config's history names its source ({@link ConfigItemBaseline}). */
    public static final String CONFIG_ITEM = "AWS Config configuration item ";

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

    /** True if the selectors are the default that AWS Config's {@code hasCustomEventSelectors: false} implies. */
    public boolean selectorsRecordedByConfig() {
        return selectors.isPresent() && selectorsSource != null && selectorsSource.startsWith(CONFIG_ITEM);
    }

    /** This baseline without its selectors (a restore then leaves the trail's selectors as they are). */
    Baseline withoutSelectors() {
        return new Baseline(settings, settingsSource, settingsCapturedAt, Optional.empty(), insightTypes,
                selectorsSource, unavailable);
    }

    /**
     * This baseline with only its declared parts: what AWS Config recorded is left out. Config records an authorized
     * change minutes late, so outside a window in which changes went unseen only the deployment's declaration is
     * compared with the trail. Insights whose source cannot be told from the selectors' are left out too.
     */
    public Baseline declaredOnly() {
        boolean configSelectors = selectorsSource == null || selectorsSource.contains(CONFIG_ITEM);
        return new Baseline(settingsRecordedByConfig() ? Optional.empty() : settings,
                settingsRecordedByConfig() ? null : settingsSource,
                settingsRecordedByConfig() ? Optional.empty() : settingsCapturedAt,
                selectorsRecordedByConfig() ? Optional.empty() : selectors,
                configSelectors ? Optional.empty() : insightTypes,
                configSelectors && selectorsRecordedByConfig() ? null : selectorsSource, unavailable);
    }

    public Baseline(Optional<TrailSettings> settings, String settingsSource, Optional<Instant> settingsCapturedAt,
                    Optional<EventSelectors> selectors, Optional<Set<String>> insightTypes, String selectorsSource) {
        this(settings, settingsSource, settingsCapturedAt, selectors, insightTypes, selectorsSource, List.of());
    }

    /**
     * What {@code CreateTrail} with these request parameters makes: its settings (CloudTrail's defaults for those not
     * given: single-region, global service events, no log file validation), the default event selector and no
     * Insights.
     */
    public static Baseline created(JsonNode params) {
        TrailSettings settings = new TrailSettings(null, null, false, true, false, null, null, null, null, false)
                .afterUpdate(params);
        String source = "CreateTrail's request parameters";
        return new Baseline(Optional.of(settings), source, Optional.empty(), Optional.of(EventSelectors.DEFAULT),
                Optional.of(Set.of()), source);
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

    /** True if it has every part: settings, selectors and Insights. */
    public boolean isComplete() {
        return settings.isPresent() && selectors.isPresent() && insightTypes.isPresent();
    }

    /** This baseline with each part it lacks (settings, selectors, Insights) taken from another, when that has it. */
    Baseline withMissingPartsFrom(Baseline other) {
        List<String> notes = new ArrayList<>(unavailable);
        notes.addAll(other.unavailable());
        boolean mine = settings.isPresent() || other.settings().isEmpty();
        String selectorsFrom = selectors.isPresent() ? selectorsSource
                : other.selectors().isPresent() ? other.selectorsSource() : null;
        String insightsFrom = insightTypes.isPresent() ? selectorsSource
                : other.insightTypes().isPresent() ? other.selectorsSource() : null;
        String from = insightsFrom == null || insightsFrom.equals(selectorsFrom) ? selectorsFrom
                : selectorsFrom == null ? insightsFrom
                : selectorsFrom + " (event selectors); " + insightsFrom + " (Insights)";
        return new Baseline(mine ? settings : other.settings(), mine ? settingsSource : other.settingsSource(),
                mine ? settingsCapturedAt : other.settingsCapturedAt(), selectors.or(other::selectors),
                insightTypes.or(other::insightTypes), from, notes);
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

    /**
     * Reads a declared baseline document (the CloudTrail API's own shapes: {@code Trail}, {@code EventSelectors} or
     * {@code AdvancedEventSelectors}, {@code InsightSelectors}, every part optional).
     */
    public static Baseline declared(JsonNode root, String source) {
        JsonNode trail = Fields.get(root, "trail");
        Optional<TrailSettings> settings = trail == null ? Optional.empty()
                : Optional.of(TrailSettings.fromDescription(trail)).filter(s -> s.s3BucketName() != null);
        Optional<EventSelectors> selectors = Optional.ofNullable(EventSelectors.parse(root));
        Optional<Set<String>> insights = Optional.empty();
        if (Fields.has(root, "insightSelectors")) {
            Set<String> types = new LinkedHashSet<>();
            Fields.objects(root, "insightSelectors").forEach(i -> {
                String type = Fields.text(i, "insightType");
                if (type != null) {
                    types.add(type);
                }
            });
            insights = Optional.of(types);
        }
        return new Baseline(settings, settings.isPresent() ? source : null, Optional.empty(), selectors, insights,
                selectors.isPresent() || insights.isPresent() ? source : null);
    }
}
