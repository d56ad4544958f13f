package dev.trailguard.report;

import dev.trailguard.notify.Text;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Turns an automation execution's status and {@code FailureMessage} into a {@link Diagnosis}. The rules are tried in
 * order; the first whose pattern occurs in the message (case-insensitive) wins.
 */
public final class FailureDiagnoser {

    /** Failure messages are quoted at most this long. */
    static final int MAX_QUOTE = 300;

    private record Rule(Predicate<String> matches, String code, String title, String cause, String fix) {
    }

    private static Predicate<String> contains(String... needles) {
        return message -> {
            for (String needle : needles) {
                if (message.contains(needle.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static final List<Rule> RULES = List.of(
            // SSM's words when it cannot assume AutomationAssumeRole: "The defined assume role is unable to be
            // assumed" (also raised at start as InvalidAutomationExecutionParametersException) or "The provided
            // role: <arn> can't be assumed".
            new Rule(contains("assume role is unable to be assumed", "can't be assumed", "cannot be assumed"),
                    "ASSUME_ROLE_FAILED", "role cannot be assumed",
                    "Systems Manager could not assume the automation role.",
                    "The role's trust policy must allow ssm.amazonaws.com (not config.amazonaws.com) to call "
                            + "sts:AssumeRole, with aws:SourceAccount and aws:SourceArn matching this account's "
                            + "automation executions. Redeploy TrailGuard's stack to restore it."),
            new Rule(contains("explicit deny in a service control policy"),
                    "ACCESS_DENIED_SCP", "denied by an SCP",
                    "A service control policy denied cloudtrail:StartLogging to the automation role.",
                    "Exempt TrailGuard's automation role in the SCP (ArnNotLike aws:PrincipalARN) or start "
                            + "logging from an exempt role."),
            new Rule(contains("accessdenied", "not authorized to perform", "unauthorizedoperation"),
                    "ACCESS_DENIED", "access denied",
                    "The automation role was not allowed to call cloudtrail:StartLogging.",
                    "Give the automation role cloudtrail:StartLogging on this trail (TrailGuard's stack grants it "
                            + "for the guarded trails), and check for a service control policy or permissions "
                            + "boundary that denies it."),
            new Rule(contains("trailnotfound", "unknown trail"),
                    "TRAIL_NOT_FOUND", "trail not found",
                    "The trail does not exist any more (TrailNotFoundException).",
                    "It was probably deleted after it was stopped: recreate it from your infrastructure code."),
            new Rule(contains("invalidhomeregion", "home region"),
                    "WRONG_HOME_REGION", "wrong home region",
                    "StartLogging was called outside the trail's home region (InvalidHomeRegionException).",
                    "Start logging in the trail's home region; TrailGuard deployed there restarts it."));

    /** The diagnosis of a terminal status other than Success. */
    public Diagnosis diagnose(String status, String failureMessage) {
        String message = failureMessage == null ? "" : failureMessage.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.matches().test(message)) {
                return new Diagnosis(rule.code(), rule.title(), rule.cause(), rule.fix());
            }
        }
        if ("TimedOut".equals(status)) {
            return new Diagnosis("TIMED_OUT", "timed out", "The runbook did not finish in time.",
                    "Check the execution's steps in the console and start logging by hand.");
        }
        if ("Cancelled".equals(status)) {
            return new Diagnosis("CANCELLED", "cancelled", "Someone cancelled the runbook before it restarted logging.",
                    "Find who cancelled it (CloudTrail: StopAutomationExecution) and start logging by hand.");
        }
        if (failureMessage == null || failureMessage.isBlank()) {
            return new Diagnosis("UNKNOWN", "no failure message", "The runbook failed without a failure message.",
                    "Check the execution's steps in the console and start logging by hand.");
        }
        return new Diagnosis("UNKNOWN", "unrecognised failure", "The runbook failed: \"" + Text.line(failureMessage, MAX_QUOTE) + "\"",
                "Check the execution's steps in the console and start logging by hand.");
    }
}
