package dev.trailguard.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.constructs.Node;

/**
 * Reads CDK context values that may come from {@code cdk.json} (typed JSON: lists, booleans,
 * numbers) or from {@code cdk -c key=value} (always a string), so both spellings work.
 */
final class ContextValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Node node;

    ContextValues(Node node) {
        this.node = node;
    }

    /** A list from a JSON array, a JSON-array string ({@code '["a","b"]'}) or a comma-separated string. */
    List<String> list(String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> items) {
            return items.stream().filter(Objects::nonNull).map(Object::toString)
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        String text = value.toString().trim();
        if (text.startsWith("[")) {
            try {
                return JSON.readValue(text, new TypeReference<List<String>>() { }).stream()
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("context " + key + " is not a JSON list of strings: " + text, e);
            }
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * A map of names to JSON documents, from a JSON object in {@code cdk.json} or a JSON-object string on the command
     * line. Each value may be a JSON object or a string holding one; the result holds each as minified JSON.
     */
    Map<String, String> jsonObjects(String key) {
        Object value = node.tryGetContext(key);
        if (value == null || value.toString().isBlank()) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = value instanceof Map<?, ?> ? JSON.valueToTree(value) : JSON.readTree(value.toString());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("context " + key + " is not a JSON object of name -> JSON object", e);
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("context " + key + " must be a JSON object of name -> JSON object");
        }
        Map<String, String> documents = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            JsonNode document = entry.getValue();
            try {
                if (document.isTextual()) {
                    document = JSON.readTree(document.textValue());
                }
                if (document == null || !document.isObject()) {
                    throw new IllegalArgumentException("context " + key + "." + entry.getKey() + " must be a JSON object");
                }
                documents.put(entry.getKey(), JSON.writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("context " + key + "." + entry.getKey() + " is not valid JSON", e);
            }
        }
        return documents;
    }

    /** A non-blank string, or {@code null}. */
    String string(String key) {
        Object value = node.tryGetContext(key);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        return value.toString().trim();
    }

    boolean flag(String key, boolean defaultValue) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("context " + key + " must be true or false, was: " + text);
    }

    int integer(String key, int defaultValue) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a whole number, was: " + value, e);
        }
    }
}
