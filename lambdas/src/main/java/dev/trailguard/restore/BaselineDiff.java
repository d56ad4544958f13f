package dev.trailguard.restore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a change did to a trail compared with its baseline, setting by setting. Pure: no AWS calls.
 *
 * <p>Weakening and redirection are reverted; a change that only adds coverage is reported and kept. Where logs go
 * and how they are protected (bucket, prefix, KMS key) count as redirection in either direction: an attacker's own
 * bucket or key is not "more" logging.
 *
 * @param changes each changed setting or unit of coverage, in a stable order
 */
public record BaselineDiff(List<Change> changes) {

    /** How a change affects the audit record. */
    public enum Effect {
        /** Records less than the baseline: reverted. */
        WEAKENED,
        /** Sends or protects the logs differently, or cannot be shown not to record less: reverted. */
        CHANGED,
        /** Records more than the baseline: reported, kept. */
        ADDED
    }

    /**
     * One difference.
     *
     * @param setting the setting (UpdateTrail parameter name) or coverage area
     * @param before  the baseline's value ("not set" when absent)
     * @param after   the value after the change
     * @param effect  what it means
     */
    public record Change(String setting, String before, String after, Effect effect) {
    }

    static final String NOT_SET = "(not set)";
    static final String NOT_RECORDED = "(not recorded)";

    private static final Set<String> DESTINATIONS = Set.of("S3BucketName", "S3KeyPrefix", "KmsKeyId");
    private static final Set<String> EXTRA_DELIVERY =
            Set.of("CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "SnsTopicName");

    public BaselineDiff {
        changes = List.copyOf(changes);
    }

    /** True if anything must be put back. */
    public boolean needsRestore() {
        return changes.stream().anyMatch(c -> c.effect() != Effect.ADDED);
    }

    /** True if nothing differs. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The units of coverage that stopped being recorded (data events, management events, Insights types). */
    public List<String> noLongerRecorded() {
        return changes.stream().filter(c -> NOT_RECORDED.equals(c.after())).map(Change::before).toList();
    }

    /** This diff and another, in order. */
    public BaselineDiff plus(BaselineDiff other) {
        List<Change> all = new ArrayList<>(changes);
        all.addAll(other.changes());
        return new BaselineDiff(all);
    }

    /** Compares settings. */
    public static BaselineDiff settings(TrailSettings baseline, TrailSettings after) {
        List<Change> out = new ArrayList<>();
        Map<String, String> before = baseline.asMap();
        Map<String, String> now = after.asMap();
        for (Map.Entry<String, String> e : before.entrySet()) {
            String setting = e.getKey();
            String was = e.getValue();
            String is = now.get(setting);
            if (Objects.equals(was, is)) {
                continue;
            }
            Effect effect;
            if ("true".equals(was) || "false".equals(was)) {
                effect = "true".equals(was) ? Effect.WEAKENED : Effect.ADDED;
            } else if (DESTINATIONS.contains(setting)) {
                effect = Effect.CHANGED;
            } else if (EXTRA_DELIVERY.contains(setting)) {
                effect = was == null ? Effect.ADDED : is == null ? Effect.WEAKENED : Effect.CHANGED;
            } else {
                effect = Effect.CHANGED;
            }
            out.add(new Change(setting, was == null ? NOT_SET : was, is == null ? NOT_SET : is, effect));
        }
        return new BaselineDiff(out);
    }

    /** Compares event selectors by what they record. */
    public static BaselineDiff selectors(EventSelectors baseline, EventSelectors after) {
        List<Change> out = new ArrayList<>();
        if (baseline.advanced() != after.advanced()) {
            // Basic and advanced selectors cannot be compared unit by unit: put the baseline back.
            out.add(new Change("EventSelectors", describe(baseline), describe(after), Effect.CHANGED));
            return new BaselineDiff(out);
        }
        for (String unit : baseline.coverage()) {
            if (!after.covers(unit)) {
                out.add(new Change("Event selectors", unit, NOT_RECORDED, Effect.WEAKENED));
            }
        }
        Set<String> newlyExcluded = new LinkedHashSet<>(after.excludedManagementSources());
        newlyExcluded.removeAll(baseline.excludedManagementSources());
        for (String source : newlyExcluded) {
            out.add(new Change("ExcludeManagementEventSources", "Management events from " + source, NOT_RECORDED,
                    Effect.WEAKENED));
        }
        for (String unit : after.coverage()) {
            if (!baseline.covers(unit)) {
                out.add(new Change("Event selectors", NOT_RECORDED, unit, Effect.ADDED));
            }
        }
        return new BaselineDiff(out);
    }

    /** Compares Insights types. */
    public static BaselineDiff insights(Set<String> baseline, Set<String> after) {
        List<Change> out = new ArrayList<>();
        baseline.stream().filter(t -> !after.contains(t)).sorted().forEach(t ->
                out.add(new Change("InsightSelectors", "Insights " + t, NOT_RECORDED, Effect.WEAKENED)));
        after.stream().filter(t -> !baseline.contains(t)).sorted().forEach(t ->
                out.add(new Change("InsightSelectors", NOT_RECORDED, "Insights " + t, Effect.ADDED)));
        return new BaselineDiff(out);
    }

    /** Labelled lines for a notification's details: one per change; {@code reverting} says whether TrailGuard puts
     * the weakened and changed ones back. */
    public Map<String, String> asDetails(boolean reverting) {
        String back = reverting ? "reverted" : "NOT reverted";
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (Change c : changes) {
            n++;
            String verdict = switch (c.effect()) {
                case WEAKENED -> "weakened, " + back;
                case CHANGED -> "changed, " + back;
                case ADDED -> "added coverage, kept";
            };
            String label = NOT_RECORDED.equals(c.after()) ? "No longer recorded " + n
                    : NOT_RECORDED.equals(c.before()) ? "Newly recorded " + n
                    : "Changed " + c.setting();
            String value = NOT_RECORDED.equals(c.after()) ? c.before()
                    : NOT_RECORDED.equals(c.before()) ? c.after()
                    : c.before() + " -> " + c.after();
            out.put(label, value + " (" + verdict + ")");
        }
        return out;
    }

    private static String describe(EventSelectors s) {
        return s.advanced() ? s.advancedSelectors().size() + " advanced selector(s)"
                : s.basic().size() + " basic selector(s)";
    }
}
