package dev.trailguard.restore;

import dev.trailguard.remediation.RemediationStart;

/**
 * Port: starts TrailGuard's own runbooks that put a trail back to its baseline. Every change runs inside SSM
 * Automation under the automation role, like {@link dev.trailguard.remediation.Remediator}, so it is auditable.
 */
public interface TrailRestorer {

    /** Re-applies a baseline to an existing trail (UpdateTrail, selectors, Insights, StartLogging, assertions). */
    String RESTORE_RUNBOOK = dev.trailguard.contract.Runbooks.RESTORE_TRAIL;
    /** Recreates a deleted trail from its baseline (CreateTrail, then as {@link #RESTORE_RUNBOOK}). */
    String RECREATE_RUNBOOK = dev.trailguard.contract.Runbooks.RECREATE_TRAIL;

    /**
     * Starts the restore (or recreate) runbook in the trail's home region.
     *
     * @throws UnrestorableBaselineException if the baseline cannot be passed to the runbook
     * @throws dev.trailguard.core.CallFailedException if SSM refused or could not be reached after retries
     */
    RemediationStart restore(RestoreRequest request);
}
