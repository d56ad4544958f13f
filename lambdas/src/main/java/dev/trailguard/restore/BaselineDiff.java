package dev.trailguard.restore;

import dev.trailguard.restore.CoverageUnits.Reading;
import dev.trailguard.restore.CoverageUnits.Unit;
import dev.trailguard.restore.SelectorCoverage.Selection;
import dev.trailguard.restore.SelectorCoverage.Status;
import dev.trailguard.restore.SelectorCoverage.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
     * @param reason  why, when the values alone do not say (for example why coverage could not be proven), or null
     */
    public record Change(String setting, String before, String after, Effect effect, String reason) {

        public Change(String setting, String before, String after, Effect effect) {
            this(setting, before, after, effect, null);
        }
    }

    static final String NOT_SET = "(not set)";
    static final String NOT_RECORDED = "(not recorded)";
    static final String PARTLY_RECORDED = "(partly recorded)";
    static final String NOT_PROVEN = "(not proven recorded)";
    private static final Set<String> LOST = Set.of(NOT_RECORDED, PARTLY_RECORDED, NOT_PROVEN);

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

    /**
     * The units of coverage that stopped being recorded, in full or in part, or that are no longer provably recorded
     * (data events, management events, Insights types).
     */
    public List<String> noLongerRecorded() {
        return changes.stream().filter(c -> LOST.contains(c.after())).map(Change::before).toList();
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

    /**
     * Compares event selectors by what they record: each part of the baseline's coverage that the new selectors do not
     * provably record is weakened (see {@link SelectorCoverage} for the rules and where they come from, and
     * {@link CoverageUnits} for how basic selectors match). What the new selectors record beyond the baseline is added
     * coverage when nothing was lost; when something was, it is coverage moved elsewhere (a look-alike bucket or
     * function, say), which the restore replaces with the baseline's selectors.
     */
    public static BaselineDiff selectors(EventSelectors baseline, EventSelectors after) {
        // Basic on both sides: read alike, so that unchanged selectors always cover themselves (where AWS does not
        // document how a value matches, both read it as exact, which can only err towards "weakened"). Across basic
        // and advanced: the baseline read as recording the most it could, the new selectors the least.
        Reading reading = baseline.advanced() || after.advanced() ? Reading.BROAD : Reading.NARROW;
        List<Selection> now = CoverageUnits.selections(after, Reading.NARROW);
        List<Change> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (Unit unit : CoverageUnits.units(baseline, reading)) {
            if (unit.parents().stream().anyMatch(reported::contains)) {
                continue;
            }
            Verdict verdict = after.unreadable().isEmpty() ? SelectorCoverage.check(unit.selection(), now)
                    : new Verdict(Status.NOT_PROVEN, List.of());
            if (verdict.status() != Status.COVERED) {
                reported.add(unit.label());
                out.add(lost(unit, verdict, after));
            }
        }
        boolean weakened = !out.isEmpty();
        List<Selection> then = CoverageUnits.selections(baseline, reading);
        Set<String> added = new HashSet<>();
        for (Unit unit : CoverageUnits.units(after, Reading.NARROW)) {
            if (unit.parents().stream().anyMatch(added::contains)
                    || SelectorCoverage.check(unit.selection(), then).status() == Status.COVERED) {
                continue;
            }
            added.add(unit.label());
            out.add(weakened ? new Change(unit.setting(), NOT_RECORDED, unit.label(), Effect.CHANGED,
                    "recorded instead of the baseline's coverage; the restore puts the baseline's selectors back")
                    : new Change(unit.setting(), NOT_RECORDED, unit.label(), Effect.ADDED));
        }
        return new BaselineDiff(out);
    }

    private static Change lost(Unit unit, Verdict verdict, EventSelectors after) {
        String by = String.join(", ", verdict.overlapping());
        return switch (verdict.status()) {
            case NOT_RECORDED -> new Change(unit.setting(), unit.label(), NOT_RECORDED, Effect.WEAKENED);
            case PARTLY_RECORDED -> new Change(unit.setting(), unit.label(), PARTLY_RECORDED, Effect.WEAKENED,
                    "only part of it is still recorded, by " + by);
            default -> new Change(unit.setting(), unit.label(), NOT_PROVEN, Effect.WEAKENED,
                    !after.unreadable().isEmpty()
                            ? "TrailGuard cannot read the new selectors exactly (" + String.join("; ",
                            after.unreadable()) + "), so it cannot prove this is still recorded"
                            : "TrailGuard cannot prove it is still recorded in full"
                            + (by.isEmpty() ? "" : "; it overlaps " + by)
                            + " (coverage given only by several selectors together, or by conditions with negative "
                            + "operators, is not decided)");
        };
    }

    /**
     * Every part the baseline has (settings, selectors, Insights) compared with the trail as it is now; null if the
     * trail's answer lacks one of them, so that a part that could not be read never counts as unchanged.
     */
    public static BaselineDiff against(Baseline baseline, Baseline now) {
        BaselineDiff diff = new BaselineDiff(List.of());
        if (baseline.settings().isPresent()) {
            if (now.settings().isEmpty()) {
                return null;
            }
            diff = diff.plus(settings(baseline.settings().get(), now.settings().get()));
        }
        if (baseline.selectors().isPresent()) {
            if (now.selectors().isEmpty()) {
                return null;
            }
            diff = diff.plus(selectors(baseline.selectors().get(), now.selectors().get()));
        }
        if (baseline.insightTypes().isPresent()) {
            if (now.insightTypes().isEmpty()) {
                return null;
            }
            diff = diff.plus(insights(baseline.insightTypes().get(), now.insightTypes().get()));
        }
        return diff;
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
                    : PARTLY_RECORDED.equals(c.after()) ? "Partly recorded " + n
                    : NOT_PROVEN.equals(c.after()) ? "Not proven recorded " + n
                    : NOT_RECORDED.equals(c.before()) ? (c.effect() == Effect.ADDED ? "Newly recorded " : "Recorded "
                    + "instead ") + n
                    : "Changed " + c.setting();
            String value = LOST.contains(c.after()) ? c.before()
                    : NOT_RECORDED.equals(c.before()) ? c.after()
                    : c.before() + " -> " + c.after();
            out.put(label, value + " (" + verdict + (c.reason() == null ? "" : "; " + c.reason()) + ")");
        }
        return out;
    }
}
