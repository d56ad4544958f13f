package dev.trailguard.remediation;


/** Port: re-enables one of TrailGuard's EventBridge rules through SSM Automation run by the automation role. */
public interface RuleReenabler {

    /** TrailGuard's runbook that calls EventBridge {@code EnableRule}. */
    String RUNBOOK = dev.trailguard.contract.Runbooks.ENABLE_RULE;

    /**
     * Starts the runbook in the given region.
     *
     * @param ruleName    the rule
     * @param busName     its event bus (default when null)
     * @param region      where the rule lives
     * @param incidentKey the CloudTrail event id; same key, same client token
     * @throws dev.trailguard.core.CallFailedException if SSM refused or could not be reached after retries
     */
    RemediationStart reenable(String ruleName, String busName, String region, String incidentKey);

    /** Re-enables nothing (offline use). */
    static RuleReenabler none() {
        return (rule, bus, region, key) -> {
            throw new UnsupportedOperationException("rule re-enabling is not configured here");
        };
    }
}
