package dev.trailguard.remediation;

/** Port: starts the SSM Automation runbook that restarts a trail's logging. */
public interface Remediator {

    /** The AWS-owned runbook that starts (or stops) a trail's logging. */
    String RUNBOOK = dev.trailguard.contract.Runbooks.CONFIGURE_LOGGING;

    /**
     * Starts {@value #RUNBOOK} for the trail in its home region.
     *
     * @throws dev.trailguard.core.CallFailedException if SSM refused or could not be reached after retries
     */
    RemediationStart startLogging(RemediationRequest request);
}
