package dev.trailguard.config;

import dev.trailguard.contract.Environment;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which integrations the deployment switched on (docs/integrations.md), read from the environment once.
 *
 * @param securityHubFindings import every notification into Security Hub ({@code TRAILGUARD_SECURITY_HUB_FINDINGS})
 * @param incidentEvents      put every notification on the default event bus ({@code TRAILGUARD_INCIDENT_EVENTS})
 * @param chatTopicArn        the chat topic ({@code TRAILGUARD_CHAT_TOPIC_ARN}), or null
 */
public record IntegrationsConfig(boolean securityHubFindings, boolean incidentEvents, String chatTopicArn) {

    private static final Pattern TOPIC = Pattern.compile(
            "arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

    /** None switched on. */
    public static IntegrationsConfig none() {
        return new IntegrationsConfig(false, false, null);
    }

    /** True if any integration is on. */
    public boolean any() {
        return securityHubFindings || incidentEvents || chatTopicArn != null;
    }

    /** Reads and validates the switches; the exception names the bad variable. */
    public static IntegrationsConfig fromEnvironment(Map<String, String> env) {
        String chat = env.get(Environment.CHAT_TOPIC_ARN);
        if (chat != null && chat.isBlank()) {
            chat = null;
        }
        if (chat != null && !TOPIC.matcher(chat.trim()).matches()) {
            throw new ConfigurationException(Environment.CHAT_TOPIC_ARN + " must be an SNS topic ARN, was: " + chat);
        }
        return new IntegrationsConfig(flag(env, Environment.SECURITY_HUB_FINDINGS),
                flag(env, Environment.INCIDENT_EVENTS), chat == null ? null : chat.trim());
    }

    private static boolean flag(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new ConfigurationException(name + " must be true or false, was: " + value);
    }
}
