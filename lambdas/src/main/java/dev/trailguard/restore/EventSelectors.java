package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A trail's event selectors: either basic ({@code EventSelectors}) or advanced ({@code AdvancedEventSelectors}),
 * never both, as {@code PutEventSelectors} accepts one or the other.
 *
 * @param advanced          true for advanced event selectors
 * @param basic             the basic selectors (empty when advanced)
 * @param advancedSelectors the advanced selectors (empty when basic)
 * @param unreadable        what this model could not hold exactly (a field repeated within one advanced selector, an
 *                          operator it does not know, a field without values): such selectors are never taken as
 *                          proof of coverage, and never restored
 */
public record EventSelectors(boolean advanced, List<BasicSelector> basic, List<AdvancedSelector> advancedSelectors,
                             List<String> unreadable) {

    static final List<String> OPERATORS =
            List.of("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith");
    private static final Set<String> KNOWN_KEYS = Set.of("field", "equals", "startswith", "endswith", "notequals",
            "notstartswith", "notendswith");

    /**
     * The selector of a trail created without selectors: "all read and write management events, and no data events"
     * (CloudTrail API Reference, EventSelector). AWS Config's {@code hasCustomEventSelectors: false} means this one.
     */
    public static final EventSelectors DEFAULT = new EventSelectors(false,
            List.of(new BasicSelector("All", true, List.of(), List.of())), List.of());

    public EventSelectors {
        basic = List.copyOf(basic);
        advancedSelectors = List.copyOf(advancedSelectors);
        unreadable = List.copyOf(unreadable);
    }

    public EventSelectors(boolean advanced, List<BasicSelector> basic, List<AdvancedSelector> advancedSelectors) {
        this(advanced, basic, advancedSelectors, List.of());
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
            List<String> unreadable = new ArrayList<>();
            for (JsonNode s : Fields.objects(container, "advancedEventSelectors")) {
                Map<String, Map<String, List<String>>> fields = new LinkedHashMap<>();
                for (JsonNode f : Fields.objects(s, "fieldSelectors")) {
                    String field = Fields.text(f, "field");
                    if (field == null) {
                        unreadable.add("a field selector without a field");
                    }
                    Map<String, List<String>> ops = fields.computeIfAbsent(field, k -> new LinkedHashMap<>());
                    if (!ops.isEmpty()) {
                        // ANDed by CloudTrail; merged here, which would OR them: not a basis for any decision.
                        unreadable.add("field " + field + " repeated in one selector");
                    }
                    for (String op : OPERATORS) {
                        List<String> values = Fields.texts(f, Character.toLowerCase(op.charAt(0)) + op.substring(1));
                        if (!values.isEmpty()) {
                            ops.merge(op, values.stream().sorted().toList(), (a, b) -> Stream.concat(a.stream(),
                                    b.stream()).sorted().toList());
                        }
                    }
                    f.fieldNames().forEachRemaining(name -> {
                        if (!KNOWN_KEYS.contains(name.toLowerCase(Locale.ROOT))) {
                            unreadable.add("unknown operator " + name + " on field " + field);
                        }
                    });
                    if (ops.isEmpty()) {
                        unreadable.add("field " + field + " without values");
                    }
                }
                selectors.add(new AdvancedSelector(Fields.text(s, "name"), fields));
            }
            return new EventSelectors(true, List.of(), selectors, unreadable);
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

    /** How a notification names an advanced selector: its name and its conditions. */
    static String label(AdvancedSelector s) {
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
