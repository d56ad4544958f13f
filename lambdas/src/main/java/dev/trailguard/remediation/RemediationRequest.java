package dev.trailguard.remediation;

import dev.trailguard.trail.Trail;

/**
 * A request to put a trail back to logging.
 *
 * @param trail       the trail
 * @param incidentKey what this remediation answers (a CloudTrail event id, or a sweep's finding); same key, same
 *                    client token
 * @param trigger     what noticed it, for the execution's tags (for example {@code StopLogging}, {@code Sweep})
 * @param actor       who caused it (the role behind a session, else the principal ARN), or null if unknown; tagged
 *                    on the execution so that repeated tampering by one actor can be counted
 */
public record RemediationRequest(Trail trail, String incidentKey, String trigger, String actor) {

    /** A request without a known actor (sweep, Config). */
    public RemediationRequest(Trail trail, String incidentKey, String trigger) {
        this(trail, incidentKey, trigger, null);
    }
}
