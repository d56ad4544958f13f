package dev.trailguard.remediation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tag that marks an execution with the actor whose tampering it answers. SSM can filter executions by tag key
 * only (not value), so the key itself names the actor, as a short hash; the value carries the readable ARN.
 */
public final class ActorTags {

    static final String PREFIX = "TrailGuard:Actor:";

    private ActorTags() {
    }

    /** The tag key for an actor: a prefix and the first 16 hex digits of the actor's SHA-256. */
    public static String key(String actor) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(actor.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
