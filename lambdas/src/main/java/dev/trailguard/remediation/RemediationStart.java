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
}
