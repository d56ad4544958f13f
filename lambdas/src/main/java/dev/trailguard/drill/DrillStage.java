package dev.trailguard.drill;

/** The stage of a drill that never happened: what a failed drill notification names. */
public enum DrillStage {
    /** The StopLogging event never reached the TamperResponder (no runbook was started for it). */
    EVENT_NEVER_ARRIVED("the StopLogging event never reached the TamperResponder"),
    /** The event arrived, but the runbook could not be started. */
    RUNBOOK_NOT_STARTED("the runbook was not started"),
    /** The runbook ran and failed, timed out or was cancelled. */
    RUNBOOK_FAILED("the runbook failed"),
    /** The runbook succeeded, but GetTrailStatus says the canary is not logging. */
    VERIFICATION_FAILED("verification failed: the canary is not logging after the runbook"),
    /** A runbook was started, but the canary is still stopped at the deadline (failed, still running, unverified). */
    NOT_RESTORED("a runbook was started but the canary was not restored");

    private final String description;

    DrillStage(String description) {
        this.description = description;
    }

    /** What did not happen, as a notification says it. */
    public String description() {
        return description;
    }
}
