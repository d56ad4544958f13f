package dev.trailguard.remediation;

import java.util.Optional;

/**
 * The result of starting the runbook.
 *
 * @param executionId    the automation execution id; empty when SSM reported that this client token was already used
 * @param region         where the execution runs (the trail's home region)
 * @param clientToken    the idempotency token used
 * @param alreadyStarted true if an earlier delivery of the same incident already started it
 * @param dryRun         true if nothing was started because this was a dry run
 */
public record RemediationStart(Optional<String> executionId, String region, String clientToken,
                               boolean alreadyStarted, boolean dryRun) {

    /**
     * This start as an outcome: {@code WOULD_START_REMEDIATION}, {@code REMEDIATION_ALREADY_STARTED} or
     * {@code REMEDIATION_STARTED}.
     */
    public String outcome() {
        return dryRun ? "WOULD_START_REMEDIATION"
                : alreadyStarted ? "REMEDIATION_ALREADY_STARTED" : "REMEDIATION_STARTED";
    }

    /**
     * What TrailGuard did, for a notification's action.
     *
     * @param runbook the document started
     * @param purpose what for, for example {@code to restart logging}
     * @param earlier what an earlier start with the same token was, for example {@code for this event (duplicate
     *                delivery)}
     */
    public String describe(String runbook, String purpose, String earlier) {
        return dryRun ? "Dry run: would start " + runbook + " in " + region + "."
                : alreadyStarted ? "Already started " + runbook + " in " + region + " " + earlier
                        + "; not started again."
                : "Started " + runbook + " in " + region + " " + purpose + ".";
    }
}
