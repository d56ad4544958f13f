package dev.trailguard.restore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether events one selection records are all recorded by a list of others, with the matching rules of
 * advanced event selectors. Pure: no AWS calls.
 *
 * <p>The rules, as AWS documents them (CloudTrail API Reference, AdvancedFieldSelector and PutEventSelectors; User
 * Guide, "Logging data events"):
 * <ul>
 * <li>{@code Equals} includes events whose field is exactly the value, {@code StartsWith} those whose field begins with
 * it, {@code EndsWith} those whose field ends with it; {@code NotEquals}, {@code NotStartsWith}, {@code NotEndsWith}
 * exclude the events that the positive operator would include. Wildcards are not supported.</li>
 * <li>"For fields that accept an array (more than one value), CloudTrail adds an OR between values": a field matches
 * if it matches any positive value (or has none), and it is excluded by each negative value (the negatives are
 * ANDed: an event matching any one of them is not recorded).</li>
 * <li>The field selectors of one selector are ANDed; "if the event matches any event selector, the trail processes
 * and logs the event" (selectors are ORed).</li>
 * <li>{@code readOnly} is {@code true} or {@code false}; without it "CloudTrail logs both read and write events".</li>
 * </ul>
 *
 * <p>The answer is conservative: {@link Status#COVERED} only when proven. The wanted selection is split into pieces
 * (one per positive value of each field, and one per {@code readOnly} value), and each piece must lie inside a single
 * recording selection, field by field. Coverage that only a combination of selections could give is not proven
 * ({@link Status#NOT_PROVEN}), and TrailGuard treats it as weakened.
 */
final class SelectorCoverage {

    /** More pieces than this (the product of each field's values) are not split: the coverage is not proven. */
    static final int MAX_PIECES = 20_000;
    static final String READ_ONLY = "readOnly";

    private SelectorCoverage() {
    }

    /** A positive operator. The negative ones are the same tests, negated. */
    enum Op { EQUALS, STARTS_WITH, ENDS_WITH }

    /** One operator with one value: a set of strings. */
    record Atom(Op op, String value) {

        static Atom equalTo(String value) {
            return new Atom(Op.EQUALS, value);
        }

        static Atom startsWith(String value) {
            return new Atom(Op.STARTS_WITH, value);
        }

        boolean matches(String s) {
            return switch (op) {
                case EQUALS -> s.equals(value);
                case STARTS_WITH -> s.startsWith(value);
                case ENDS_WITH -> s.endsWith(value);
            };
        }

        /** True if every string this atom matches, {@code other} matches too. Exact. */
        boolean within(Atom other) {
            return switch (op) {
                case EQUALS -> other.matches(value);
                case STARTS_WITH -> other.op == Op.STARTS_WITH && value.startsWith(other.value);
                case ENDS_WITH -> other.op == Op.ENDS_WITH && value.endsWith(other.value);
            };
        }

        /** True if no string matches both. Exact (a prefix and a suffix always share a string: the two joined). */
        boolean disjointFrom(Atom other) {
            if (op == Op.EQUALS) {
                return !other.matches(value);
            }
            if (other.op == Op.EQUALS) {
                return !matches(other.value);
            }
            if (op != other.op) {
                return false;
            }
            return op == Op.STARTS_WITH ? !value.startsWith(other.value) && !other.value.startsWith(value)
                    : !value.endsWith(other.value) && !other.value.endsWith(value);
        }

        @Override
        public String toString() {
            return switch (op) {
                case EQUALS -> "Equals ";
                case STARTS_WITH -> "StartsWith ";
                case ENDS_WITH -> "EndsWith ";
            } + value;
        }
    }

    /**
     * One field's condition.
     *
     * @param any  positive atoms, ORed; empty means the field is not constrained positively
     * @param none negative atoms: a value matching any of them is excluded
     */
    record Condition(List<Atom> any, List<Atom> none) {

        static final Condition ANY = new Condition(List.of(), List.of());

        Condition {
            any = List.copyOf(any);
            none = List.copyOf(none);
        }

        static Condition anyOf(List<Atom> atoms) {
            return new Condition(atoms, List.of());
        }

        /** Whether a field value is recorded; an absent field (null) matches only a condition without positives. */
        boolean matches(String value) {
            if (value == null) {
                return any.isEmpty();
            }
            return (any.isEmpty() || any.stream().anyMatch(a -> a.matches(value)))
                    && none.stream().noneMatch(a -> a.matches(value));
        }
    }

    /**
     * One selector as a conjunction of field conditions.
     *
     * @param label  how a notification names it
     * @param fields field name to its condition; a field not listed is not constrained
     */
    record Selection(String label, Map<String, Condition> fields) {

        Selection {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** Whether an event (field name to value) is recorded by this selection. */
        boolean matches(Map<String, String> event) {
            return fields.entrySet().stream().allMatch(f -> f.getValue().matches(event.get(f.getKey())));
        }

        Condition field(String name) {
            return fields.getOrDefault(name, Condition.ANY);
        }
    }

    /** What the recording selections do with the wanted one. */
    enum Status {
        /** Every event of it is recorded (proven). */
        COVERED,
        /** None of its events can be recorded: every recording selection is provably disjoint from it. */
        NOT_RECORDED,
        /** Some of its events are recorded, others provably not. */
        PARTLY_RECORDED,
        /** Neither proven recorded nor proven lost: treated as weakened. */
        NOT_PROVEN
    }

    /**
     * The verdict for one wanted selection.
     *
     * @param status      what the recording selections do with it
     * @param overlapping the labels of the recording selections that record (or may record) part of it
     */
    record Verdict(Status status, List<String> overlapping) {
        Verdict {
            overlapping = List.copyOf(overlapping);
        }
    }

    /** Whether the events {@code wanted} records are all recorded by {@code recording}. */
    static Verdict check(Selection wanted, List<Selection> recording) {
        List<Map<String, Condition>> pieces = pieces(wanted.fields());
        if (pieces == null) {
            return new Verdict(Status.NOT_PROVEN, recording.stream().map(Selection::label).toList());
        }
        Set<String> involved = new LinkedHashSet<>();
        boolean anyCovered = false;
        boolean anyLost = false;
        boolean unproven = false;
        for (Map<String, Condition> piece : pieces) {
            if (piece.values().stream().anyMatch(c -> !c.any().isEmpty() && excluded(c.any().get(0), c))) {
                continue; // its own negatives exclude its positive value: it records nothing
            }
            List<Selection> overlaps = new ArrayList<>();
            Selection covering = null;
            boolean exactMiss = true;
            for (Selection s : recording) {
                Containment c = contains(s, piece);
                if (c == Containment.YES) {
                    covering = s;
                    break;
                }
                if (!disjoint(piece, s)) {
                    overlaps.add(s);
                    exactMiss &= c == Containment.NO;
                }
            }
            if (covering != null) {
                anyCovered = true;
                involved.add(covering.label());
                continue;
            }
            overlaps.forEach(s -> involved.add(s.label()));
            if (overlaps.isEmpty() || overlaps.size() == 1 && exactMiss) {
                // Nothing records it, or exactly one selection records part of it and provably not all.
                anyLost = true;
                anyCovered |= !overlaps.isEmpty();
            } else {
                unproven = true;
            }
        }
        List<String> labels = List.copyOf(involved);
        if (unproven) {
            return new Verdict(Status.NOT_PROVEN, labels);
        }
        if (!anyLost) {
            return new Verdict(Status.COVERED, List.of());
        }
        return anyCovered ? new Verdict(Status.PARTLY_RECORDED, labels) : new Verdict(Status.NOT_RECORDED, List.of());
    }

    private enum Containment { YES, NO, UNKNOWN }

    /** Whether {@code s} records every event of the piece (each piece field has at most one positive atom). */
    private static Containment contains(Selection s, Map<String, Condition> piece) {
        Containment result = Containment.YES;
        for (Map.Entry<String, Condition> f : s.fields().entrySet()) {
            Condition have = piece.getOrDefault(f.getKey(), Condition.ANY);
            Condition need = f.getValue();
            Atom p = have.any().isEmpty() ? null : have.any().get(0);
            Containment field = Containment.YES;
            if (!need.any().isEmpty() && (p == null || need.any().stream().noneMatch(p::within))) {
                // Finitely many prefixes, suffixes and values cover a prefix (or suffix) set only if one of them
                // does alone, so the piece has a value outside them unless its own negatives remove all of p.
                field = excluded(p, have) ? Containment.UNKNOWN : Containment.NO;
            }
            for (Atom m : need.none()) {
                if (p != null && p.disjointFrom(m) || have.none().stream().anyMatch(m::within)) {
                    continue;
                }
                // The piece has a value s excludes unless the piece's own negatives remove all of p and m in common.
                Atom common = p == null ? m : intersection(p, m);
                Containment miss = common == null || excluded(common, have) ? Containment.UNKNOWN : Containment.NO;
                field = field == Containment.NO ? field : miss;
            }
            if (field == Containment.NO) {
                return Containment.NO;
            }
            if (field == Containment.UNKNOWN) {
                result = Containment.UNKNOWN;
            }
        }
        return result;
    }

    /** True if the condition's negatives may remove every value of the atom. */
    private static boolean excluded(Atom a, Condition c) {
        return a != null && c.none().stream().anyMatch(a::within);
    }

    /** The strings both atoms match, as one atom; null when that is not one atom (a prefix with a suffix). */
    private static Atom intersection(Atom a, Atom b) {
        if (a.op() == Op.EQUALS || a.within(b)) {
            return a;
        }
        if (b.op() == Op.EQUALS || b.within(a)) {
            return b;
        }
        return null;
    }

    /** True if no event of the piece can match {@code s} (proven on one field). */
    private static boolean disjoint(Map<String, Condition> piece, Selection s) {
        for (Map.Entry<String, Condition> f : s.fields().entrySet()) {
            Condition have = piece.getOrDefault(f.getKey(), Condition.ANY);
            Condition need = f.getValue();
            Atom p = have.any().isEmpty() ? null : have.any().get(0);
            if (p != null && need.none().stream().anyMatch(p::within)) {
                return true;
            }
            if (!need.any().isEmpty() && need.any().stream().allMatch(q -> p != null && p.disjointFrom(q)
                    || have.none().stream().anyMatch(q::within))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The selection split into pieces whose fields each have at most one positive atom, and a {@code readOnly} value
     * each; null if there would be more than {@link #MAX_PIECES}. The union of the pieces is the selection.
     */
    static List<Map<String, Condition>> pieces(Map<String, Condition> fields) {
        Map<String, Condition> all = new LinkedHashMap<>(fields);
        all.putIfAbsent(READ_ONLY, Condition.anyOf(List.of(Atom.equalTo("true"), Atom.equalTo("false"))));
        List<Map<String, Condition>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, Condition> f : all.entrySet()) {
            Condition c = f.getValue();
            List<Condition> options = c.any().size() <= 1 ? List.of(c)
                    : c.any().stream().map(a -> new Condition(List.of(a), c.none())).toList();
            if ((long) out.size() * options.size() > MAX_PIECES) {
                return null;
            }
            List<Map<String, Condition>> next = new ArrayList<>(out.size() * options.size());
            for (Map<String, Condition> piece : out) {
                for (Condition option : options) {
                    Map<String, Condition> p = new LinkedHashMap<>(piece);
                    p.put(f.getKey(), option);
                    next.add(p);
                }
            }
            out = next;
        }
        return out;
    }
}
