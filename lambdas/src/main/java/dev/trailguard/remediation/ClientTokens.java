package dev.trailguard.remediation;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Derives SSM {@code ClientToken}s deterministically from an incident, so that a duplicate delivery of the same event
 * (EventBridge delivers at least once) presents the same token and cannot start a second execution.
 */
public final class ClientTokens {

    private ClientTokens() {
    }

    /** A name-based (version 3) UUID of the incident key and trail ARN. */
    public static String of(String incidentKey, String trailArn) {
        String key = "trailguard/v1/" + incidentKey + "/" + trailArn;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
