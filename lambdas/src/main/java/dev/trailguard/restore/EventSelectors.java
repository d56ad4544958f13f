package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trail's event selectors: either basic ({@code EventSelectors}) or advanced ({@code AdvancedEventSelectors}),
 * never both, as {@code PutEventSelectors} accepts one or the other.
 *
 * @param advanced true for advanced event selectors
 * @param basic    the basic selectors (empty when advanced)
 * @param advancedSelectors the advanced selectors (empty when basic)
 */
public record EventSelectors(boolean advanced, List<BasicSelector> basic, List<AdvancedSelector> advancedSelectors) {

    static final List<String> OPERATORS =
            List.of("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith");

    public EventSelectors {
        basic = List.copyOf(basic);
        advancedSelectors = List.copyOf(advancedSelectors);
    }

    /**
     * One basic selector.
     *
     * @param readWriteType                 All, ReadOnly or WriteOnly
     * @param includeManagementEvents       whether management events are recorded
     * @param dataResources                 the data events recorded
     * @param excludeManagementEventSources management event sources left out (kms, rdsdata)
     */
    public record BasicSelector(String readWriteType, boolean includeManagementEvents,
                                List<DataResource> dataResources, List<String> excludeManagementEventSources) {
        public BasicSelector {
            readWriteType = readWriteType == null ? "All" : readWriteType;
            dataResources = List.copyOf(dataResources);
            excludeManagementEventSources = List.copyOf(excludeManagementEventSources);
        }
    }

    /**
     * Data events of one resource type.
     *
     * @param type   for example AWS::S3::Object
     * @param values ARN prefixes, for example arn:aws:s3:::payroll/ (arn:aws:s3 means every bucket)
     */
    public record DataResource(String type, List<String> values) {
        public DataResource {
            values = List.copyOf(values);
        }
    }

    /**
     * One advanced selector.
     *
     * @param name           its name, if any
     * @param fieldSelectors field name to operator (Equals, StartsWith, ...) to values, in a stable order
     */
    public record AdvancedSelector(String name, Map<String, Map<String, List<String>>> fieldSelectors) {
    }

    /**
     * Reads the selectors from an object that has {@code eventSelectors} or {@code advancedEventSelectors} (request
     * parameters of PutEventSelectors, GetEventSelectors' response, a declared baseline); null if it has neither.
     */
    public static EventSelectors parse(JsonNode container) {
        if (Fields.has(container, "advancedEventSelectors")) {
            List<AdvancedSelector> selectors = new ArrayList<>();
            for (JsonNode s : Fields.objects(container, "advancedEventSelectors")) {
                Map<String, Map<String, List<String>>> fields = new LinkedHashMap<>();
                for (JsonNode f : Fields.objects(s, "fieldSelectors")) {
                    Map<String, List<String>> ops = new LinkedHashMap<>();
                    for (String op : OPERATORS) {
                        List<String> values = Fields.texts(f, Character.toLowerCase(op.charAt(0)) + op.substring(1));
                        if (!values.isEmpty()) {
                            ops.put(op, values.stream().sorted().toList());
                        }
                    }
                    fields.put(Fields.text(f, "field"), ops);
                }
                selectors.add(new AdvancedSelector(Fields.text(s, "name"), fields));
            }
            return new EventSelectors(true, List.of(), selectors);
        }
        if (Fields.has(container, "eventSelectors")) {
            List<BasicSelector> selectors = new ArrayList<>();
            for (JsonNode s : Fields.objects(container, "eventSelectors")) {
                List<DataResource> resources = new ArrayList<>();
                for (JsonNode r : Fields.objects(s, "dataResources")) {
                    resources.add(new DataResource(Fields.text(r, "type"), Fields.texts(r, "values")));
                }
                selectors.add(new BasicSelector(Fields.text(s, "readWriteType"),
                        Fields.bool(s, "includeManagementEvents", true), resources,
                        Fields.texts(s, "excludeManagementEventSources")));
            }
            return new EventSelectors(false, selectors, List.of());
        }
        return null;
    }

    /**
     * What these selectors record, as labelled units of coverage. Basic selectors are expanded per read/write side,
     * so "All" covers "ReadOnly"; advanced selectors are compared as whole selectors (their semantics are open-ended,
     * so a changed selector counts as one dropped and one added).
     */
    public Set<String> coverage() {
        Set<String> out = new LinkedHashSet<>();
        if (advanced) {
            advancedSelectors.forEach(s -> out.add(label(s)));
            return out;
        }
        for (BasicSelector s : basic) {
            for (String side : sides(s.readWriteType())) {
                if (s.includeManagementEvents()) {
                    out.add("Management events (" + side + ")");
                }
                for (DataResource r : s.dataResources()) {
                    for (String value : r.values()) {
                        out.add("Data events " + r.type() + " " + value + " (" + side + ")");
                    }
                }
            }
        }
        return out;
    }

    /** Management event sources that these selectors exclude while recording management events. */
    public Set<String> excludedManagementSources() {
        Set<String> out = new LinkedHashSet<>();
        basic.stream().filter(BasicSelector::includeManagementEvents)
                .forEach(s -> out.addAll(s.excludeManagementEventSources()));
        return out;
    }

    /** True if the unit of coverage is recorded by these selectors (an ARN prefix covers longer ARNs). */
    public boolean covers(String unit) {
        Set<String> mine = coverage();
        if (mine.contains(unit) || advanced || !unit.startsWith("Data events ")) {
            return mine.contains(unit);
        }
        String[] parts = unit.split(" ");
        // "Data events <type> <value> (<side>)"
        String type = parts[2];
        String value = parts[3];
        String side = parts[4];
        for (String candidate : mine) {
            String[] c = candidate.split(" ");
            if (c.length == 5 && c[0].equals("Data") && c[2].equals(type) && c[4].equals(side)
                    && value.startsWith(c[3])) {
                return true;
            }
        }
        return false;
    }

    /** Each selector as the JSON object PutEventSelectors takes (PascalCase), for the runbook's MapList parameter. */
    public List<ObjectNode> asApiObjects() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        List<ObjectNode> out = new ArrayList<>();
        if (advanced) {
            for (AdvancedSelector s : advancedSelectors) {
                ObjectNode node = json.objectNode();
                if (s.name() != null) {
                    node.put("Name", s.name());
                }
                var fields = node.putArray("FieldSelectors");
                s.fieldSelectors().forEach((field, ops) -> {
                    ObjectNode f = fields.addObject().put("Field", field);
                    ops.forEach((op, values) -> values.forEach(f.withArray(op)::add));
                });
                out.add(node);
            }
            return out;
        }
        for (BasicSelector s : basic) {
            ObjectNode node = json.objectNode().put("ReadWriteType", s.readWriteType())
                    .put("IncludeManagementEvents", s.includeManagementEvents());
            var resources = node.putArray("DataResources");
            for (DataResource r : s.dataResources()) {
                ObjectNode resource = resources.addObject().put("Type", r.type());
                r.values().forEach(resource.putArray("Values")::add);
            }
            if (!s.excludeManagementEventSources().isEmpty()) {
                s.excludeManagementEventSources().forEach(node.putArray("ExcludeManagementEventSources")::add);
            }
            out.add(node);
        }
        return out;
    }

    private static List<String> sides(String readWriteType) {
        return switch (readWriteType) {
            case "ReadOnly" -> List.of("Read");
            case "WriteOnly" -> List.of("Write");
            default -> List.of("Read", "Write");
        };
    }

    private static String label(AdvancedSelector s) {
        StringBuilder out = new StringBuilder("Advanced selector");
        if (s.name() != null) {
            out.append(" '").append(s.name()).append('\'');
        }
        out.append(" [");
        List<String> parts = new ArrayList<>();
        s.fieldSelectors().forEach((field, ops) -> ops.forEach((op, values) ->
                parts.add(field + " " + op + " " + String.join("|", values))));
        out.append(String.join("; ", parts.stream().sorted().toList())).append(']');
        return out.toString();
    }
}
