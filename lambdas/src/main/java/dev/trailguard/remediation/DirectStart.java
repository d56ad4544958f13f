package dev.trailguard.remediation;

/**
 * Logging restarted by TrailGuard's function itself ({@code cloudtrail:StartLogging}) because the runbook could not do
 * it: an attacker can fill the account's concurrent automations and their queue with long-running executions before
 * stopping a trail. Then SSM either refuses the start for capacity, or accepts it into its queue where it waits as
 * {@code Pending} while the trail stays stopped. It is the one change TrailGuard makes outside SSM Automation, so it
 * has no execution record and no runbook assertion; {@code GetTrailStatus} right after it is the check.
 *
 * @param reason           why the runbook could not do it: SSM's refusal (the failed call and its error), or the
 *                         overdue runbook
 * @param overdue          true if SSM had accepted a start for this stop, but logging was still off long after it
 * @param loggingConfirmed true if {@code GetTrailStatus} said the trail logs right after the call
 * @param notDone          what the runbook would also have done and this did not (empty if nothing), for example
 *                         that the trail's weakened settings were not restored
 */
public record DirectStart(String reason, boolean overdue, boolean loggingConfirmed, String notDone) {

    public DirectStart {
        notDone = notDone == null ? "" : notDone;
    }

    /** The headline's note: why logging was restarted directly. */
    public String headlineNote() {
        return overdue ? "runbook overdue" : "SSM refused";
    }

    /**
     * The sentence that replaces "a follow-up notification confirms it" in a summary: no runbook result follows for
     * this restart.
     */
    public String summary() {
        return (overdue
                ? "The runbook TrailGuard started for this stop had not restarted logging minutes later (it may wait "
                        + "as Pending behind other automations, or have failed)"
                : "SSM Automation refused the runbook (the account's automation quota and queue are full, or SSM is "
                        + "throttling)")
                + ", so TrailGuard started logging directly; " + (loggingConfirmed
                        ? "GetTrailStatus confirms the trail logs again."
                        : "GetTrailStatus did not confirm it: check the trail now.")
                + " No runbook result follows for this restart. Look for long-running automation executions you did "
                + "not start (ssm:DescribeAutomationExecutions, status InProgress or Pending): they may be the "
                + "attacker's, filling the quota so that the runbook cannot run.";
    }

    /** The notification's action text (kept short: the JSON document caps it). */
    String describe(String runbook, String region) {
        return (overdue ? "The " + runbook + " execution started earlier in " + region + " for this stop had not "
                        + "restarted logging (" + reason + ")."
                        : "SSM refused " + runbook + " in " + region + " (" + reason + ").")
                + " TrailGuard called cloudtrail:StartLogging itself, the one change it makes outside SSM Automation "
                + "(no execution record, no runbook check); " + (loggingConfirmed
                        ? "GetTrailStatus confirms the trail logs again."
                        : "GetTrailStatus did not confirm that the trail logs: check it now.")
                + (notDone.isEmpty() ? "" : " " + notDone);
    }
}
