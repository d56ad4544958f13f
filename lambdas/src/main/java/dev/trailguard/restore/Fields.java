package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CloudTrail shapes from JSON in either spelling: camelCase as CloudTrail records request parameters and AWS
 * Config records configuration items, PascalCase as the CloudTrail API and a declared baseline write them.
 */
public final class Fields {

    private Fields() {
    }

    /** The field in either spelling, or null. */
    public static JsonNode get(JsonNode node, String camelName) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(camelName);
        if (value == null) {
            value = node.get(Character.toUpperCase(camelName.charAt(0)) + camelName.substring(1));
        }
        return value == null || value.isNull() ? null : value;
    }

    public static boolean has(JsonNode node, String camelName) {
        return get(node, camelName) != null;
    }

    /** Text, with the empty string read as "not set" (CloudTrail removes a setting when given an empty string). */
    public static String text(JsonNode node, String camelName) {
        JsonNode value = get(node, camelName);
        if (value == null || !value.isValueNode()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    public static boolean bool(JsonNode node, String camelName, boolean fallback) {
        JsonNode value = get(node, camelName);
        if (value == null) {
            return fallback;
        }
        return value.isBoolean() ? value.booleanValue() : "true".equalsIgnoreCase(value.asText());
    }

    public static List<String> texts(JsonNode node, String camelName) {
        JsonNode value = get(node, camelName);
        List<String> out = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    public static List<JsonNode> objects(JsonNode node, String camelName) {
        JsonNode value = get(node, camelName);
        List<JsonNode> out = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(out::add);
        }
        return out;
    }
}
