package dev.trailguard.remediation;

import dev.trailguard.trail.Trail;

/**
 * A request to put a trail back to logging.
 *
 * @param trail       the trail
 * @param incidentKey what this remediation answers (a CloudTrail event id, or a sweep's finding); same key, same
 *                    client token
 * @param trigger     what noticed it, for the execution's tags (for example {@code StopLogging}, {@code Sweep})
 */
public record RemediationRequest(Trail trail, String incidentKey, String trigger) {
}
