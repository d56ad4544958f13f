package dev.trailguard.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailguard.restore.SelectorCoverage.Atom;
import dev.trailguard.restore.SelectorCoverage.Condition;
import dev.trailguard.restore.SelectorCoverage.Op;
import dev.trailguard.restore.SelectorCoverage.Selection;
import dev.trailguard.restore.SelectorCoverage.Status;
import dev.trailguard.restore.SelectorCoverage.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The comparison checked against brute force: random selections over two string fields and {@code readOnly}, with
 * every operator, against every event of a finite universe (values over {a, b, c} up to three characters: enough to
 * hold a witness for every atom of up to two characters over {a, b}). A claim of coverage must hold for every event;
 * a claim that nothing, or only part, is recorded must have an event that shows it.
 */
class SelectorCoveragePropertyTest {

    static final List<String> VALUES = List.of("a", "b", "aa", "ab", "ba", "bb");
    static final List<Map<String, String>> UNIVERSE = universe();

    static List<Map<String, String>> universe() {
        List<String> strings = new ArrayList<>(List.of(""));
        List<String> all = new ArrayList<>();
        for (int length = 1; length <= 3; length++) {
            List<String> next = new ArrayList<>();
            for (String s : strings) {
                for (char c : "abc".toCharArray()) {
                    next.add(s + c);
                }
            }
            all.addAll(next);
            strings = next;
        }
        List<Map<String, String>> events = new ArrayList<>();
        for (String f1 : all) {
            for (String f2 : all) {
                for (String readOnly : List.of("true", "false")) {
                    events.add(Map.of("f1", f1, "f2", f2, "readOnly", readOnly));
                }
            }
        }
        return events;
    }

    @Provide
    Arbitrary<Selection> selection() {
        Arbitrary<Atom> atom = Combinators.combine(Arbitraries.of(Op.class), Arbitraries.of(VALUES)).as(Atom::new);
        Arbitrary<Condition> condition = Combinators.combine(atom.list().ofMaxSize(2), atom.list().ofMaxSize(2))
                .as(Condition::new);
        Arbitrary<Condition> readOnly = Arbitraries.of(List.of("true"), List.of("false"), List.of("true", "false"))
                .map(v -> Condition.anyOf(v.stream().map(Atom::equalTo).toList()));
        return Combinators.combine(condition.optional(), condition.optional(), readOnly.optional())
                .as((f1, f2, ro) -> {
                    Map<String, Condition> fields = new LinkedHashMap<>();
                    f1.ifPresent(c -> fields.put("f1", c));
                    f2.ifPresent(c -> fields.put("f2", c));
                    ro.ifPresent(c -> fields.put("readOnly", c));
                    return new Selection("s" + fields.hashCode(), fields);
                });
    }

    /** A selection and what records: random selections, and loosened copies of the wanted one (so that coverage,
     * partial coverage and coverage by several selections together all occur). */
    record Case(Selection wanted, List<Selection> recording) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return selection().flatMap(wanted -> Combinators.combine(selection().list().ofMaxSize(2),
                        loosened(wanted).list().ofMaxSize(3))
                .as((random, loose) -> {
                    List<Selection> all = new ArrayList<>(random);
                    all.addAll(loose);
                    return new Case(wanted, all);
                }));
    }

    /**
     * The wanted selection with each field kept, dropped, stripped of its negatives, given one positive more, or cut
     * down to one of its positives; and sometimes pinned to one {@code readOnly} value (two such copies can cover the
     * wanted selection only together).
     */
    Arbitrary<Selection> loosened(Selection wanted) {
        Arbitrary<Atom> atom = Combinators.combine(Arbitraries.of(Op.class), Arbitraries.of(VALUES)).as(Atom::new);
        List<String> names = List.copyOf(wanted.fields().keySet());
        return Combinators.combine(Arbitraries.integers().between(0, 4).list().ofSize(names.size()),
                atom.list().ofSize(names.size()), Arbitraries.integers().between(0, 1),
                Arbitraries.of("", "true", "false")).as((moves, extra, pick, pin) -> {
                    Map<String, Condition> fields = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        Condition c = wanted.fields().get(names.get(i));
                        switch (moves.get(i)) {
                            case 0 -> fields.put(names.get(i), c);
                            case 1 -> { } // dropped
                            case 2 -> fields.put(names.get(i), new Condition(c.any(), List.of()));
                            case 3 -> {
                                List<Atom> any = new ArrayList<>(c.any());
                                any.add(extra.get(i));
                                fields.put(names.get(i), new Condition(c.any().isEmpty() ? List.of() : any, c.none()));
                            }
                            default -> fields.put(names.get(i), c.any().size() < 2 ? c
                                    : new Condition(List.of(c.any().get(pick)), c.none()));
                        }
                    }
                    if (!pin.isEmpty() && !fields.containsKey("readOnly")) {
                        fields.put("readOnly", Condition.anyOf(List.of(Atom.equalTo(pin))));
                    }
                    return new Selection("loose" + fields.hashCode(), fields);
                });
    }

    @Property(tries = 1000, seed = "20261124", edgeCases = EdgeCasesMode.MIXIN)
    void verdict_shouldHoldForEveryEventOfTheUniverse(@ForAll("cases") Case c) {
        // given
        Selection wanted = c.wanted();
        List<Selection> recording = c.recording();

        // when
        Verdict verdict = SelectorCoverage.check(wanted, recording);

        // then
        List<Map<String, String>> wantedEvents = UNIVERSE.stream().filter(wanted::matches).toList();
        long lost = wantedEvents.stream().filter(e -> recording.stream().noneMatch(s -> s.matches(e))).count();
        long kept = wantedEvents.size() - lost;
        Statistics.label("verdict").collect(verdict.status());
        Statistics.label("verdict").coverage(k -> {
            k.check(Status.COVERED).count(n -> n >= 200);
            k.check(Status.PARTLY_RECORDED).count(n -> n >= 100);
            k.check(Status.NOT_RECORDED).count(n -> n >= 100);
            k.check(Status.NOT_PROVEN).count(n -> n >= 1);
        });
        if (verdict.status() == Status.COVERED) {
            boolean single = recording.stream().anyMatch(s -> wantedEvents.stream().allMatch(s::matches));
            Statistics.label("covered by").collect(single ? "one selection" : "several together");
            Statistics.label("covered by").coverage(k -> k.check("several together").count(n -> n >= 5));
        }
        switch (verdict.status()) {
            case COVERED -> assertThat(lost).as("events wanted but not recorded").isZero();
            case NOT_RECORDED -> assertThat(kept).as("events wanted and recorded").isZero();
            case PARTLY_RECORDED -> {
                if (!wantedEvents.isEmpty()) {
                    assertThat(lost).as("a lost event").isPositive();
                }
            }
            case NOT_PROVEN -> {
                // no claim: treated as weakened
            }
        }
    }
}
