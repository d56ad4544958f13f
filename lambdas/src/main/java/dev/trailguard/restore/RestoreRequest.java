package dev.trailguard.restore;

/**
 * A request to put a trail back to its baseline.
 *
 * @param trail       the trail
 * @param baseline    what to put back
 * @param recreate    true if the trail was deleted and must be created again
 * @param incidentKey the CloudTrail event id; same key, same client token
 * @param trigger     the tamper call, for the execution's tags
 */
public record RestoreRequest(TrailId trail, Baseline baseline, boolean recreate, String incidentKey,
                             String trigger) {
}
