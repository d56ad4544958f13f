package dev.trailguard.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evaluates a service control policy the way AWS Organizations does for one request, under the assumption that the
 * account also has the default {@code FullAWSAccess} policy: a request is denied when any {@code Deny} statement matches
 * its action, its resource and all of its conditions. Covers what TrailGuard's SCP uses: {@code Action} and
 * {@code Resource} or {@code NotResource} (string or list, {@code *} and {@code ?} wildcards, actions
 * case-insensitive), the condition operators {@code ArnLike} / {@code ArnNotLike} on {@code aws:PrincipalARN} and
 * {@code StringEquals} on {@code aws:ResourceTag/<key>} (the resource's tags given with the request; an absent tag
 * does not equal); any other element fails the evaluation rather than being ignored.
 */
final class ScpEvaluator {

    private final JsonNode document;

    ScpEvaluator(JsonNode document) {
        this.document = document;
    }

    /** The Sid of the first statement that denies the call, or {@code null} when the SCP allows it. */
    String denyingStatement(String principalArn, String action, String resourceArn) {
        return denyingStatement(principalArn, action, resourceArn, Map.of());
    }

    /** As {@link #denyingStatement(String, String, String)} for a resource with these tags. */
    String denyingStatement(String principalArn, String action, String resourceArn, Map<String, String> tags) {
        for (JsonNode statement : document.path("Statement")) {
            if (!"Deny".equals(statement.path("Effect").asText())) {
                throw new IllegalArgumentException("only Deny statements are evaluated: " + statement);
            }
            if (statement.has("NotAction") || statement.has("Principal")
                    || statement.has("NotResource") == statement.has("Resource")) {
                throw new IllegalArgumentException("element not evaluated: " + statement);
            }
            boolean actionMatches = values(statement.path("Action")).stream()
                    .anyMatch(pattern -> glob(pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)));
            // NotResource: every resource but the listed ones.
            boolean listed = values(statement.has("Resource") ? statement.path("Resource") : statement.path("NotResource"))
                    .stream().anyMatch(pattern -> pattern.equals("*") || arnLike(pattern, resourceArn));
            boolean resourceMatches = statement.has("Resource") == listed;
            if (actionMatches && resourceMatches && conditionsHold(statement.path("Condition"), principalArn, tags)) {
                return statement.path("Sid").asText();
            }
        }
        return null;
    }

    boolean allows(String principalArn, String action, String resourceArn) {
        return denyingStatement(principalArn, action, resourceArn) == null;
    }

    boolean allows(String principalArn, String action, String resourceArn, Map<String, String> tags) {
        return denyingStatement(principalArn, action, resourceArn, tags) == null;
    }

    private static boolean conditionsHold(JsonNode condition, String principalArn, Map<String, String> tags) {
        Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> operator = operators.next();
            Iterator<Map.Entry<String, JsonNode>> keys = operator.getValue().fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (operator.getKey().equals("StringEquals") && key.getKey().startsWith("aws:ResourceTag/")) {
                    String tag = tags.get(key.getKey().substring("aws:ResourceTag/".length()));
                    if (tag == null || !values(key.getValue()).contains(tag)) {
                        return false;
                    }
                    continue;
                }
                if (!key.getKey().equals("aws:PrincipalARN")) {
                    throw new IllegalArgumentException("condition key not evaluated: " + key.getKey());
                }
                boolean any = values(key.getValue()).stream().anyMatch(pattern -> arnLike(pattern, principalArn));
                boolean holds = switch (operator.getKey()) {
                    case "ArnLike" -> any;
                    case "ArnNotLike" -> !any;
                    default -> throw new IllegalArgumentException("operator not evaluated: " + operator.getKey());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** ArnLike: the six colon-separated parts are matched one by one, each with wildcards. */
    static boolean arnLike(String pattern, String arn) {
        String[] p = pattern.split(":", 6);
        String[] a = arn.split(":", 6);
        if (p.length != 6 || a.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!glob(p[i], a[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }
}
