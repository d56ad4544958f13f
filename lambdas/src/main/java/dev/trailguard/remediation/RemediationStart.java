package dev.trailguard.remediation;

import java.util.Optional;

/**
 * The result of starting the runbook.
 *
 * @param executionId    the automation execution id; empty when SSM reported that this client token was already used,
 *                       and when logging was started directly instead
 * @param region         where the execution runs (the trail's home region)
 * @param clientToken    the idempotency token used
 * @param alreadyStarted true if an earlier delivery of the same incident already started it
 * @param dryRun         true if nothing was started because this was a dry run
 * @param direct         present if SSM refused the start for capacity and TrailGuard called {@code StartLogging}
 *                       itself instead ({@link DirectStart})
 */
public record RemediationStart(Optional<String> executionId, String region, String clientToken,
                               boolean alreadyStarted, boolean dryRun, Optional<DirectStart> direct) {

    /** Outcome of a start that logging was restarted directly, without SSM Automation. */
    public static final String STARTED_DIRECTLY = "LOGGING_STARTED_DIRECTLY";

    public RemediationStart {
        direct = direct == null ? Optional.empty() : direct;
    }

    /** A start through SSM Automation (or its dry run). */
    public RemediationStart(Optional<String> executionId, String region, String clientToken,
                            boolean alreadyStarted, boolean dryRun) {
        this(executionId, region, clientToken, alreadyStarted, dryRun, Optional.empty());
    }

    /** Logging restarted directly because SSM refused the runbook for capacity. */
    public static RemediationStart direct(String region, String clientToken, DirectStart direct) {
        return new RemediationStart(Optional.empty(), region, clientToken, false, false, Optional.of(direct));
    }

    /**
     * This start as an outcome: {@code WOULD_START_REMEDIATION}, {@code REMEDIATION_ALREADY_STARTED},
     * {@value #STARTED_DIRECTLY} or {@code REMEDIATION_STARTED}.
     */
    public String outcome() {
        return dryRun ? "WOULD_START_REMEDIATION"
                : alreadyStarted ? "REMEDIATION_ALREADY_STARTED"
                : direct.isPresent() ? STARTED_DIRECTLY : "REMEDIATION_STARTED";
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
                : direct.isPresent() ? direct.get().describe(runbook, region)
                : "Started " + runbook + " in " + region + " " + purpose + ".";
    }
}
