package dev.trailguard.restore;

import dev.trailguard.restore.EventSelectors.AdvancedSelector;
import dev.trailguard.restore.EventSelectors.BasicSelector;
import dev.trailguard.restore.EventSelectors.DataResource;
import dev.trailguard.restore.SelectorCoverage.Atom;
import dev.trailguard.restore.SelectorCoverage.Condition;
import dev.trailguard.restore.SelectorCoverage.Op;
import dev.trailguard.restore.SelectorCoverage.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A trail's event selectors in the terms {@link SelectorCoverage} decides on: the fields and operators of advanced
 * event selectors. Advanced selectors are taken as they are; basic selectors are translated, with the matching AWS
 * documents for their data resource values (CloudTrail API Reference, DataResource, {@code Values}):
 * <ul>
 * <li>{@code AWS::S3::Object}: a value is an ARN prefix ("To log data events for specific objects, specify the S3
 * bucket and object prefix"; {@code arn:aws:s3:::bucket-1/} covers every object of bucket-1, and
 * {@code arn:aws:s3} "all objects in all S3 buckets").</li>
 * <li>{@code AWS::Lambda::Function}: "Lambda function ARNs are exact" (a selector for {@code function:helloworld}
 * does not record {@code function:helloworld2}); {@code arn:aws:lambda} records every function.</li>
 * <li>{@code AWS::DynamoDB::Table}: {@code arn:aws:dynamodb} records every table. How a table ARN matches is not
 * documented: it is read as exact where that errs towards "weakened" ({@link Reading#NARROW}) and as a prefix where
 * that does ({@link Reading#BROAD}).</li>
 * </ul>
 * A basic selector's {@code ReadWriteType} is the {@code readOnly} field, {@code IncludeManagementEvents} an
 * {@code eventCategory} of {@code Management} and {@code ExcludeManagementEventSources} {@code eventSource NotEquals}.
 */
final class CoverageUnits {

    static final String CATEGORY = "eventCategory";
    static final String TYPE = "resources.type";
    static final String ARN = "resources.ARN";
    static final String SOURCE = "eventSource";
    static final String SETTING = "Event selectors";
    static final String EXCLUSION_SETTING = "ExcludeManagementEventSources";

    /** The management event sources a basic selector can exclude (EventSelector, ExcludeManagementEventSources). */
    static final List<String> EXCLUDABLE = List.of("kms.amazonaws.com", "rdsdata.amazonaws.com");

    private static final Pattern ALL_OF_A_SERVICE = Pattern.compile("arn:aws(-[a-z]+)*:(s3|lambda|dynamodb)");
    private static final Map<String, String> SERVICE_OF_TYPE = Map.of("AWS::S3::Object", "s3",
            "AWS::Lambda::Function", "lambda", "AWS::DynamoDB::Table", "dynamodb");

    private CoverageUnits() {
    }

    /** How to read a basic data resource value whose matching AWS does not document. */
    enum Reading {
        /** As the exact ARN: records the least it could (for the selectors whose coverage must be proven). */
        NARROW,
        /** As an ARN prefix: records the most it could (for the baseline, across basic and advanced). */
        BROAD
    }

    /**
     * One named part of what selectors record, as a notification names it.
     *
     * @param label     for example {@code Data events AWS::S3::Object arn:aws:s3:::payroll/ (Read)}
     * @param setting   the setting the change is reported under
     * @param selection the events it stands for
     * @param parents   labels of units that contain this one: when one of them is reported, this one is not
     */
    record Unit(String label, String setting, Selection selection, List<String> parents) {
    }

    /**
     * The named parts of what the selectors record, in a stable order, without duplicates. Basic selectors are named
     * per read/write side, resource value and excludable management event source; advanced selectors one by one.
     */
    static List<Unit> units(EventSelectors selectors, Reading reading) {
        Map<String, Unit> out = new LinkedHashMap<>();
        if (selectors.advanced()) {
            for (AdvancedSelector s : selectors.advancedSelectors()) {
                Selection selection = advanced(s, EventSelectors.label(s));
                out.putIfAbsent(selection.label(), new Unit(selection.label(), SETTING, selection, List.of()));
            }
            return List.copyOf(out.values());
        }
        for (BasicSelector s : selectors.basic()) {
            List<String> management = new ArrayList<>();
            for (String side : sides(s.readWriteType())) {
                if (s.includeManagementEvents()) {
                    // The sources a basic selector can exclude are units of their own, so that excluding one names it.
                    Set<String> excluded = new LinkedHashSet<>(EXCLUDABLE);
                    excluded.addAll(s.excludeManagementEventSources());
                    String label = "Management events (" + side + ")";
                    management.add(label);
                    out.putIfAbsent(label, new Unit(label, SETTING, new Selection(label, management(side,
                            new Condition(List.of(), excluded.stream().map(Atom::equalTo).toList()))), List.of()));
                }
                for (DataResource r : s.dataResources()) {
                    for (String value : r.values()) {
                        String label = "Data events " + r.type() + " " + value + " (" + side + ")";
                        out.putIfAbsent(label, new Unit(label, SETTING,
                                new Selection(label, data(r.type(), List.of(value), side, reading)), List.of()));
                    }
                }
            }
            if (s.includeManagementEvents()) {
                String side = "All".equals(s.readWriteType()) ? null : sides(s.readWriteType()).get(0);
                for (String source : EXCLUDABLE) {
                    if (!s.excludeManagementEventSources().contains(source)) {
                        String label = "Management events from " + source + (side == null ? "" : " (" + side + ")");
                        out.putIfAbsent(label, new Unit(label, EXCLUSION_SETTING, new Selection(label,
                                management(side, Condition.anyOf(List.of(Atom.equalTo(source))))), management));
                    }
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** The selectors as whole selections (each records the union of what it names), for proving coverage. */
    static List<Selection> selections(EventSelectors selectors, Reading reading) {
        List<Selection> out = new ArrayList<>();
        int n = 0;
        if (selectors.advanced()) {
            for (AdvancedSelector s : selectors.advancedSelectors()) {
                n++;
                out.add(advanced(s, s.name() != null ? "advanced selector '" + s.name() + "'"
                        : "advanced selector " + n));
            }
            return out;
        }
        for (BasicSelector s : selectors.basic()) {
            n++;
            String side = "All".equals(s.readWriteType()) ? null : sides(s.readWriteType()).get(0);
            String of = "event selector " + n + " (";
            if (s.includeManagementEvents()) {
                out.add(new Selection(of + "management events, " + s.readWriteType() + ")", management(side,
                        new Condition(List.of(), s.excludeManagementEventSources().stream().map(Atom::equalTo)
                                .toList()))));
            }
            for (DataResource r : s.dataResources()) {
                if (r.values().isEmpty()) {
                    continue; // records nothing (CloudTrail takes at least one value)
                }
                out.add(new Selection(of + r.type() + " data events, " + s.readWriteType() + ")",
                        data(r.type(), r.values(), side, reading)));
            }
        }
        return out;
    }

    static List<String> sides(String readWriteType) {
        return switch (readWriteType) {
            case "ReadOnly" -> List.of("Read");
            case "WriteOnly" -> List.of("Write");
            default -> List.of("Read", "Write");
        };
    }

    private static Map<String, Condition> management(String side, Condition source) {
        Map<String, Condition> fields = new LinkedHashMap<>();
        fields.put(CATEGORY, Condition.anyOf(List.of(Atom.equalTo("Management"))));
        readOnly(fields, side);
        if (!source.any().isEmpty() || !source.none().isEmpty()) {
            fields.put(SOURCE, source);
        }
        return fields;
    }

    private static Map<String, Condition> data(String type, List<String> values, String side, Reading reading) {
        Map<String, Condition> fields = new LinkedHashMap<>();
        fields.put(CATEGORY, Condition.anyOf(List.of(Atom.equalTo("Data"))));
        fields.put(TYPE, Condition.anyOf(List.of(Atom.equalTo(type))));
        readOnly(fields, side);
        List<Atom> arns = new ArrayList<>();
        for (String value : values) {
            var all = ALL_OF_A_SERVICE.matcher(value);
            if (all.matches() && all.group(2).equals(SERVICE_OF_TYPE.get(type))) {
                return fields; // every resource of the type: no ARN condition
            }
            boolean prefix = "AWS::S3::Object".equals(type)
                    || !"AWS::Lambda::Function".equals(type) && reading == Reading.BROAD;
            arns.add(new Atom(prefix ? Op.STARTS_WITH : Op.EQUALS, value));
        }
        fields.put(ARN, Condition.anyOf(arns));
        return fields;
    }

    private static void readOnly(Map<String, Condition> fields, String side) {
        if (side != null) {
            fields.put(SelectorCoverage.READ_ONLY, Condition.anyOf(List.of(Atom.equalTo(
                    "Read".equals(side) ? "true" : "false"))));
        }
    }

    private static Selection advanced(AdvancedSelector s, String label) {
        Map<String, Condition> fields = new LinkedHashMap<>();
        s.fieldSelectors().forEach((field, ops) -> {
            List<Atom> any = new ArrayList<>();
            List<Atom> none = new ArrayList<>();
            ops.forEach((op, values) -> {
                boolean negative = op.startsWith("Not");
                Op base = switch (negative ? op.substring(3) : op) {
                    case "Equals" -> Op.EQUALS;
                    case "StartsWith" -> Op.STARTS_WITH;
                    default -> Op.ENDS_WITH;
                };
                values.forEach(v -> (negative ? none : any).add(new Atom(base, v)));
            });
            fields.put(field, new Condition(any, none));
        });
        return new Selection(label, fields);
    }
}
