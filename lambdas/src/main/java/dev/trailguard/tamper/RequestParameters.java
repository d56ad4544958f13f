package dev.trailguard.tamper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A call's request parameters as labelled lines, for a notification that has no baseline to compare with. */
public final class RequestParameters {

    private static final int MAX_CHANGES = 30;

    private RequestParameters() {
    }

    /** Request parameters as labelled lines, for example {@code eventSelectors[0].readWriteType = WriteOnly}. */
    public static Map<String, String> flatten(JsonNode params) {
        Map<String, String> out = new LinkedHashMap<>();
        if (params != null) {
            flatten("", params, out);
        }
        return out;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> out) {
        if (out.size() >= MAX_CHANGES) {
            return;
        }
        if (node.isObject()) {
            if (node.isEmpty() && !path.isEmpty()) {
                out.put("Set " + path, "{}");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), out);
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.put("Set " + path, "[] (empty)");
            }
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), out);
            }
        } else if (!"name".equals(path) && !"trailName".equals(path)) {
            out.put("Set " + path, node.isNull() ? "null" : node.asText());
        }
    }
}
