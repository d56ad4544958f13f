package dev.trailguard.remediation;

import dev.trailguard.trail.Trail;
import java.util.Map;

/**
 * A request to put a trail back to logging.
 *
 * @param trail       the trail
 * @param incidentKey what this remediation answers (a CloudTrail event id, or a sweep's finding); same key, same
 *                    client token
 * @param trigger     what noticed it, for the execution's tags (for example {@code StopLogging}, {@code Sweep})
 * @param actor       who caused it (the role behind a session, else the principal ARN), or null if unknown; tagged
 *                    on the execution so that repeated tampering by one actor can be counted
 * @param runbookOverdue true if a runbook for this stop was started long enough ago that logging should be back, and
 *                    it is not (the second sweep of the stop's period): logging is then started directly, without
 *                    asking SSM again ({@link DirectStartFallback})
 * @param tags        further tags for the execution (a fire drill's stage times), usually none
 */
public record RemediationRequest(Trail trail, String incidentKey, String trigger, String actor,
                                 boolean runbookOverdue, Map<String, String> tags) {

    public RemediationRequest {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Without further tags. */
    public RemediationRequest(Trail trail, String incidentKey, String trigger, String actor, boolean runbookOverdue) {
        this(trail, incidentKey, trigger, actor, runbookOverdue, Map.of());
    }

    /** A request answering an event or a first finding. */
    public RemediationRequest(Trail trail, String incidentKey, String trigger, String actor) {
        this(trail, incidentKey, trigger, actor, false);
    }

    /** A request without a known actor (sweep, Config). */
    public RemediationRequest(Trail trail, String incidentKey, String trigger) {
        this(trail, incidentKey, trigger, null);
    }
}
