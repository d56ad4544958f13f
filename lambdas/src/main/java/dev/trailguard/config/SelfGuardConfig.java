package dev.trailguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.contract.Environment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What TrailGuard knows about its own notification path and rules, so that it can put them back: the second channel,
 * the topic's key, the subscriptions the deployment made, and where the deployed rule definitions are. Every variable is
 * optional; without them TrailGuard reports but cannot restore (an older stack).
 *
 * @param secondChannelTopicArn  the topic without TrailGuard's KMS key ({@code TRAILGUARD_SECOND_CHANNEL_TOPIC_ARN}),
 *                               null when not deployed
 * @param topicKeyArn            the notification topic's KMS key ({@code TRAILGUARD_TOPIC_KEY_ARN}), null when unknown
 * @param ruleDefinitionPrefix   SSM path of the deployed rule definitions ({@code TRAILGUARD_RULE_DEFINITION_PREFIX})
 * @param subscriptions          the topic's configured subscriptions ({@code TRAILGUARD_SUBSCRIPTIONS})
 */
public record SelfGuardConfig(String secondChannelTopicArn, String topicKeyArn, String ruleDefinitionPrefix,
                              List<Subscription> subscriptions) {

    public static final String SECOND_CHANNEL_TOPIC_ARN = Environment.SECOND_CHANNEL_TOPIC_ARN;
    public static final String TOPIC_KEY_ARN = Environment.TOPIC_KEY_ARN;
    public static final String SUBSCRIPTIONS = Environment.SUBSCRIPTIONS;
    public static final String RULE_DEFINITION_PREFIX = Environment.RULE_DEFINITION_PREFIX;

    private static final Pattern TOPIC = Pattern.compile("arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");
    private static final Pattern KEY = Pattern.compile("arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]{1,128}");
    private static final Pattern PARAMETER_PATH = Pattern.compile("/[A-Za-z0-9_./-]{1,200}/");
    private static final List<String> PROTOCOLS = List.of("email", "email-json", "sqs", "https", "http", "lambda",
            "sms", "firehose", "application");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A subscription as the deployment made it: no filter policy and, for SQS and HTTPS, raw delivery off.
     *
     * @param protocol SNS protocol ({@code email}, {@code sqs}, {@code https}, ...)
     * @param endpoint the address, queue ARN or URL
     */
    public record Subscription(String protocol, String endpoint) { }

    public SelfGuardConfig {
        subscriptions = List.copyOf(subscriptions);
    }

    /** Nothing known: report only. */
    public static SelfGuardConfig none() {
        return fromEnvironment(Map.of());
    }

    /** True if the second channel is deployed. */
    public boolean hasSecondChannel() {
        return secondChannelTopicArn != null;
    }

    /** True if the ARN is the notification topic's key (or its id alone matches the key's). */
    public boolean isTopicKey(String keyIdOrArn) {
        if (topicKeyArn == null || keyIdOrArn == null) {
            return false;
        }
        return topicKeyArn.equals(keyIdOrArn) || topicKeyArn.endsWith(":key/" + keyIdOrArn);
    }

    /** Reads and validates the variables; the exception names the first bad one. */
    public static SelfGuardConfig fromEnvironment(Map<String, String> env) {
        String second = optional(env, SECOND_CHANNEL_TOPIC_ARN, TOPIC, "an SNS topic ARN");
        String key = optional(env, TOPIC_KEY_ARN, KEY, "a KMS key ARN");
        String prefix = env.get(RULE_DEFINITION_PREFIX) == null || env.get(RULE_DEFINITION_PREFIX).isBlank()
                ? Environment.DEFAULT_RULE_DEFINITION_PREFIX : env.get(RULE_DEFINITION_PREFIX).trim();
        if (!PARAMETER_PATH.matcher(prefix).matches()) {
            throw new ConfigurationException("Malformed environment variable " + RULE_DEFINITION_PREFIX
                    + ": expected an SSM parameter path that starts and ends with '/'");
        }
        return new SelfGuardConfig(second, key, prefix, subscriptions(env.get(SUBSCRIPTIONS)));
    }

    private static List<Subscription> subscriptions(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        JsonNode array;
        try {
            array = JSON.readTree(raw);
        } catch (IOException e) {
            throw new ConfigurationException("Malformed environment variable " + SUBSCRIPTIONS
                    + ": expected a JSON array of {\"protocol\", \"endpoint\"}");
        }
        if (!array.isArray()) {
            throw new ConfigurationException("Malformed environment variable " + SUBSCRIPTIONS
                    + ": expected a JSON array of {\"protocol\", \"endpoint\"}");
        }
        List<Subscription> list = new ArrayList<>();
        for (JsonNode item : array) {
            String protocol = item.path("protocol").asText("");
            String endpoint = item.path("endpoint").asText("");
            if (!PROTOCOLS.contains(protocol) || endpoint.isBlank() || endpoint.length() > 2048) {
                throw new ConfigurationException("Malformed environment variable " + SUBSCRIPTIONS
                        + ": each subscription needs an SNS protocol and an endpoint");
            }
            list.add(new Subscription(protocol, endpoint));
        }
        return list;
    }

    private static String optional(Map<String, String> env, String name, Pattern pattern, String expected) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!pattern.matcher(value.trim()).matches()) {
            String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
            throw new ConfigurationException("Malformed environment variable " + name + ": expected " + expected
                    + ", got '" + shown + "'");
        }
        return value.trim();
    }
}
