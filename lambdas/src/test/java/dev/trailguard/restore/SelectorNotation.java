package dev.trailguard.restore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A one-line notation for event selectors in table tests, read into the request parameters of a PutEventSelectors call
 * (camelCase, as CloudTrail records them) and then by {@link EventSelectors#parse}, so the tables also exercise parsing.
 *
 * <pre>
 * selectors := selector (" OR " selector)*
 * basic     := "basic " ReadWriteType [" mgmt"] (" -" excludedSource)* (" " Type "=" value ("," value)*)*
 *              Type: S3, Lambda, DynamoDB (the three basic data resource types)
 * advanced  := "adv " condition (" &amp; " condition)*
 * condition := field (" " Operator " " value ("," value)*)+
 * </pre>
 */
final class SelectorNotation {

    private static final Map<String, String> TYPES = Map.of("S3", "AWS::S3::Object", "Lambda",
            "AWS::Lambda::Function", "DynamoDB", "AWS::DynamoDB::Table");

    private SelectorNotation() {
    }

    static EventSelectors selectors(String notation) {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("trailName", "management-events");
        String[] selectors = notation.split(" OR ");
        boolean advanced = selectors[0].startsWith("adv ");
        ArrayNode list = params.putArray(advanced ? "advancedEventSelectors" : "eventSelectors");
        for (String selector : selectors) {
            if (advanced) {
                ArrayNode fields = list.addObject().putArray("fieldSelectors");
                for (String condition : selector.substring(4).split(" & ")) {
                    String[] parts = condition.split(" ");
                    ObjectNode field = fields.addObject().put("field", parts[0]);
                    for (int i = 1; i + 1 < parts.length; i += 2) {
                        ArrayNode values = field.putArray(Character.toLowerCase(parts[i].charAt(0))
                                + parts[i].substring(1));
                        for (String v : parts[i + 1].split(",")) {
                            values.add(v);
                        }
                    }
                }
                continue;
            }
            String[] tokens = selector.substring(6).split(" ");
            ObjectNode s = list.addObject().put("readWriteType", tokens[0]).put("includeManagementEvents", false);
            ArrayNode resources = s.putArray("dataResources");
            ArrayNode excluded = s.putArray("excludeManagementEventSources");
            for (int i = 1; i < tokens.length; i++) {
                String t = tokens[i];
                if (t.equals("mgmt")) {
                    s.put("includeManagementEvents", true);
                } else if (t.startsWith("-")) {
                    excluded.add(t.substring(1));
                } else {
                    String[] typeAndValues = t.split("=", 2);
                    ArrayNode values = resources.addObject().put("type", TYPES.get(typeAndValues[0]))
                            .putArray("values");
                    for (String v : typeAndValues[1].split(",")) {
                        values.add(v);
                    }
                }
            }
        }
        return EventSelectors.parse(params);
    }
}
