package dev.trailguard.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What a bucket policy, a lifecycle configuration, a key policy or a recorder definition does to CloudTrail. Pure:
 * reads the documents as CloudTrail records them in the event's {@code requestParameters} (or as declared), and says
 * whether CloudTrail can still write, how soon logs expire, whether trails are still recorded.
 */
final class DeliveryChecks {

    /** A lifecycle that expires log files sooner than this (without a declared one to compare) is sabotage. */
    static final long MIN_RETENTION_DAYS = 90;
    static final String CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";
    static final String TRAIL_RESOURCE_TYPE = "AWS::CloudTrail::Trail";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeliveryChecks() {
    }

    /**
     * True if the bucket policy stops CloudTrail's writes: no statement allows the CloudTrail service
     * {@code s3:PutObject}, or an unconditional Deny covers it (a Deny with a condition, such as the usual
     * {@code aws:SecureTransport}, is taken as not aimed at CloudTrail).
     */
    static boolean policyStopsCloudTrail(JsonNode policy) {
        if (policy == null || !policy.isObject()) {
            return true;
        }
        boolean allowed = false;
        for (JsonNode statement : items(policy.get("Statement"))) {
            boolean putObject = matchesAny(items(statement.get("Action")), "s3:PutObject");
            if (!putObject) {
                continue;
            }
            String effect = statement.path("Effect").asText("");
            if ("Allow".equals(effect) && namesCloudTrail(statement.get("Principal"), false)) {
                allowed = true;
            }
            if ("Deny".equals(effect) && !statement.has("Condition") && namesCloudTrail(statement.get("Principal"),
                    true)) {
                return true;
            }
        }
        return !allowed;
    }

    /** True if a key policy (JSON text) still allows the CloudTrail service to use the key. */
    static boolean keyPolicyAllowsCloudTrail(String policyText) {
        JsonNode policy = parse(policyText);
        if (policy == null) {
            return false;
        }
        for (JsonNode statement : items(policy.get("Statement"))) {
            if ("Allow".equals(statement.path("Effect").asText(""))
                    && namesCloudTrail(statement.get("Principal"), false)
                    && matchesAny(items(statement.get("Action")), "kms:GenerateDataKey")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shortest time, in days, after which an enabled lifecycle rule expires current or noncurrent objects; empty
     * if no rule expires anything. Reads the event's {@code LifecycleConfiguration} ({@code Rule}, one or many) and the
     * declared shape ({@code Rules}).
     */
    static OptionalLong shortestExpiryDays(JsonNode lifecycle, Instant now) {
        if (lifecycle == null) {
            return OptionalLong.empty();
        }
        List<JsonNode> rules = new ArrayList<>(items(lifecycle.get("Rule")));
        rules.addAll(items(lifecycle.get("Rules")));
        long shortest = Long.MAX_VALUE;
        for (JsonNode rule : rules) {
            if (!"Enabled".equalsIgnoreCase(rule.path("Status").asText(""))) {
                continue;
            }
            JsonNode expiration = rule.path("Expiration");
            shortest = Math.min(shortest, number(expiration.get("Days")));
            if (expiration.hasNonNull("Date")) {
                shortest = Math.min(shortest, daysUntil(expiration.get("Date").asText(), now));
            }
            shortest = Math.min(shortest, number(rule.path("NoncurrentVersionExpiration").get("NoncurrentDays")));
        }
        return shortest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(shortest);
    }

    /**
     * True if the recorder definition ({@code configurationRecorder} of PutConfigurationRecorder) still records
     * {@code AWS::CloudTrail::Trail}: all supported types without excluding it, or the type listed.
     */
    static boolean recordsTrails(JsonNode recorder) {
        JsonNode group = recorder == null ? null : recorder.get("recordingGroup");
        if (group == null || group.isNull()) {
            return true; // the default recording group records every supported type
        }
        String strategy = group.path("recordingStrategy").path("useOnly").asText("");
        if ("EXCLUSION_BY_RESOURCE_TYPES".equals(strategy)) {
            return items(group.path("exclusionByResourceTypes").get("resourceTypes")).stream()
                    .noneMatch(t -> TRAIL_RESOURCE_TYPE.equals(t.asText()));
        }
        if (group.path("allSupported").asBoolean(false)) {
            return true;
        }
        return items(group.get("resourceTypes")).stream().anyMatch(t -> TRAIL_RESOURCE_TYPE.equals(t.asText()));
    }

    /** A JSON document from text, or null if it is not one. */
    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean namesCloudTrail(JsonNode principal, boolean orEveryone) {
        if (principal == null) {
            return false;
        }
        if (principal.isTextual()) {
            return orEveryone && "*".equals(principal.asText());
        }
        if (orEveryone && items(principal.get("AWS")).stream().anyMatch(p -> "*".equals(p.asText()))) {
            return true;
        }
        return items(principal.get("Service")).stream().anyMatch(p -> CLOUDTRAIL_SERVICE.equals(p.asText()));
    }

    /** True if one of the policy's actions (with IAM wildcards) covers {@code action}. */
    private static boolean matchesAny(List<JsonNode> actions, String action) {
        String wanted = action.toLowerCase(Locale.ROOT);
        for (JsonNode a : actions) {
            String pattern = a.asText("").toLowerCase(Locale.ROOT);
            String regex = java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            if (wanted.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> items(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    private static long number(JsonNode node) {
        if (node == null || node.isNull()) {
            return Long.MAX_VALUE;
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        try {
            return Long.parseLong(node.asText().trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long daysUntil(String date, Instant now) {
        try {
            Instant at = date.length() <= 10 ? LocalDate.parse(date).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : Instant.parse(date);
            return Math.max(0, Duration.between(now, at).toDays());
        } catch (java.time.format.DateTimeParseException e) {
            return Long.MAX_VALUE;
        }
    }
}
