package dev.trailguard.report;

import dev.trailguard.notify.Text;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an automation execution's status, {@code FailureMessage} and failed step into a {@link Diagnosis}. The rules
 * are tried in order; the first that matches the message (case-insensitive) or the failed step wins. Causes and fixes
 * name the call that failed when the message says which, else the calls the runbook makes.
 */
public final class FailureDiagnoser {

    /** Failure messages are quoted at most this long. */
    static final int MAX_QUOTE = 300;

    /** The action an IAM or SCP denial names ("not authorized to perform: cloudtrail:UpdateTrail"). */
    private static final Pattern DENIED_ACTION = Pattern.compile("not authorized to perform:? ([a-z0-9-]{2,30}:[A-Za-z0-9]{2,64})");
    /** The operation a botocore-style message names ("when calling the CreateTrail operation"). */
    private static final Pattern OPERATION = Pattern.compile("when calling the ([A-Za-z0-9]{2,64}) operation");

    /** What one rule looks at. */
    private record Failure(Runbook runbook, String message, String raw, String step) {

        boolean contains(String... needles) {
            for (String needle : needles) {
                if (message.contains(needle.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        }

        boolean stepIs(String name) {
            return name.equals(step);
        }

        /** The denied action, as precise as the message allows. */
        String deniedAction() {
            Matcher denied = DENIED_ACTION.matcher(raw);
            if (denied.find()) {
                return denied.group(1);
            }
            Matcher operation = OPERATION.matcher(raw);
            if (operation.find()) {
                return (runbook == Runbook.ENABLE_RULE ? "events:" : "cloudtrail:") + operation.group(1);
            }
            return runbook.actions();
        }
    }

    private record Rule(Predicate<Failure> matches, String code, String title, Function<Failure, String> cause,
                        Function<Failure, String> fix) {
    }

    private static Rule rule(Predicate<Failure> matches, String code, String title, String cause, String fix) {
        return new Rule(matches, code, title, f -> cause, f -> fix);
    }

    private static String accessFix(Failure f) {
        String action = f.deniedAction();
        if (action.startsWith("events:")) {
            return "Give the automation role events:EnableRule and events:DescribeRule on TrailGuard's rules "
                    + "(TrailGuard's stack grants them), and check for a service control policy or permissions "
                    + "boundary that denies them.";
        }
        if (action.startsWith("iam:PassRole")) {
            return "Give the automation role iam:PassRole on the trail's CloudWatch Logs role, conditioned on "
                    + "iam:PassedToService cloudtrail.amazonaws.com (TrailGuard's stack grants it for the roles it "
                    + "knows).";
        }
        return "Give the automation role " + action + " on this trail (TrailGuard's stack grants it for the guarded "
                + "trails), and check for a service control policy or permissions boundary that denies it.";
    }

    private static final List<Rule> RULES = List.of(
            // SSM's words when it cannot assume AutomationAssumeRole: "The defined assume role is unable to be
            // assumed" (also raised at start as InvalidAutomationExecutionParametersException) or "The provided
            // role: <arn> can't be assumed".
            rule(f -> f.contains("assume role is unable to be assumed", "can't be assumed", "cannot be assumed"),
                    "ASSUME_ROLE_FAILED", "role cannot be assumed",
                    "Systems Manager could not assume the automation role.",
                    "The role's trust policy must allow ssm.amazonaws.com (not config.amazonaws.com) to call "
                            + "sts:AssumeRole, with aws:SourceAccount and aws:SourceArn matching this account's "
                            + "automation executions. Redeploy TrailGuard's stack to restore it."),
            new Rule(f -> f.contains("explicit deny in a service control policy"),
                    "ACCESS_DENIED_SCP", "denied by an SCP",
                    f -> "A service control policy denied " + f.deniedAction() + " to the automation role.",
                    f -> "Exempt TrailGuard's automation role in the SCP (ArnNotLike aws:PrincipalARN) or "
                            + f.runbook().byHand() + " from an exempt role."),
            // Before ACCESS_DENIED: CloudTrail's own refusals about the bucket and key can mention permissions.
            rule(f -> f.contains("InsufficientS3BucketPolicy"),
                    "S3_BUCKET_POLICY", "bucket policy refuses CloudTrail",
                    "CloudTrail refused the trail's S3 bucket: its bucket policy does not let CloudTrail write to it "
                            + "(InsufficientS3BucketPolicyException). The bucket policy may have been changed too.",
                    "Restore the bucket policy so that cloudtrail.amazonaws.com may call s3:GetBucketAcl and "
                            + "s3:PutObject (with aws:SourceArn of this trail), check that the bucket is the "
                            + "baseline's and still exists, then run the runbook again."),
            rule(f -> f.contains("InsufficientEncryptionPolicy"),
                    "KMS_KEY_POLICY", "key policy refuses CloudTrail",
                    "CloudTrail cannot use the trail's KMS key: its key policy does not allow CloudTrail "
                            + "(InsufficientEncryptionPolicyException), or the key is disabled or pending deletion.",
                    "Restore the key policy so that cloudtrail.amazonaws.com may call kms:GenerateDataKey* and "
                            + "kms:DescribeKey for this trail, make sure the key is enabled, then run the runbook "
                            + "again."),
            rule(f -> f.contains("TrailAlreadyExists"),
                    "TRAIL_ALREADY_EXISTS", "trail already exists",
                    "A trail with this name exists again (recreated by someone else, or by an earlier run), so "
                            + "CreateTrail refused (TrailAlreadyExistsException).",
                    "Compare the existing trail with its baseline: if it is weaker, restore it (UpdateTrail, "
                            + "selectors, StartLogging) rather than recreate it, and find who created it."),
            rule(f -> f.contains("InvalidEventSelectors"),
                    "INVALID_EVENT_SELECTORS", "baseline selectors rejected",
                    "CloudTrail rejected the baseline's event selectors (InvalidEventSelectorsException).",
                    "Correct the selectors in the declared baseline (/trailguard/baseline/<trail name>) so that "
                            + "PutEventSelectors accepts them, then put them back by hand."),
            new Rule(f -> f.contains("accessdenied", "not authorized to perform", "unauthorizedoperation"),
                    "ACCESS_DENIED", "access denied",
                    f -> "The automation role was not allowed to call " + f.deniedAction() + ".",
                    FailureDiagnoser::accessFix),
            rule(f -> f.contains("trailnotfound", "unknown trail"),
                    "TRAIL_NOT_FOUND", "trail not found",
                    "The trail does not exist any more (TrailNotFoundException).",
                    "It was probably deleted after it was stopped: recreate it from your infrastructure code."),
            rule(f -> f.runbook() == Runbook.ENABLE_RULE && f.contains("ResourceNotFound", "does not exist"),
                    "RULE_NOT_FOUND", "rule not found",
                    "The rule does not exist any more (ResourceNotFoundException): it was deleted, not disabled.",
                    "Redeploy TrailGuard's stack to create the rule again (TrailGuard cannot recreate itself)."),
            rule(f -> f.contains("invalidhomeregion", "home region"),
                    "WRONG_HOME_REGION", "wrong home region",
                    "StartLogging was called outside the trail's home region (InvalidHomeRegionException).",
                    "Start logging in the trail's home region; TrailGuard deployed there restarts it."),
            // The runbooks' own assertions (aws:assertAwsResourceProperty). The step name is the firm evidence;
            // the property path is what the step's failure message quotes.
            rule(f -> f.stepIs("verifyLogging") || f.contains("$.IsLogging"),
                    "NOT_LOGGING_AFTER_RESTORE", "not logging after StartLogging",
                    "Every change was made, but the runbook's final check found the trail not logging "
                            + "(GetTrailStatus IsLogging is false): it was stopped again while the runbook ran.",
                    "Start logging by hand and find who stops it (CloudTrail: StopLogging)."),
            rule(f -> f.stepIs("verifyBucket") || f.contains("$.Trail.S3BucketName"),
                    "BUCKET_NOT_RESTORED", "bucket not restored",
                    "After UpdateTrail the trail still does not write to the baseline's bucket (changed again "
                            + "while the runbook ran?).",
                    "Set the baseline's bucket by hand (UpdateTrail) and find who changes it."),
            rule(f -> f.stepIs("verifyEnabled") || f.contains("$.State"),
                    "RULE_NOT_ENABLED", "rule still disabled",
                    "EnableRule succeeded, but the rule is not ENABLED (disabled again while the runbook ran?).",
                    "Enable the rule by hand and find who disables it (CloudTrail: DisableRule)."));

    /** The diagnosis of a terminal status other than Success of the logging runbook. */
    public Diagnosis diagnose(String status, String failureMessage) {
        return diagnose(Runbook.LOGGING, status, failureMessage, null);
    }

    /**
     * The diagnosis of a terminal status other than Success.
     *
     * @param failedStep the first step that did not succeed, or null
     */
    public Diagnosis diagnose(Runbook runbook, String status, String failureMessage, String failedStep) {
        String raw = failureMessage == null ? "" : failureMessage;
        Failure failure = new Failure(runbook, raw.toLowerCase(Locale.ROOT), raw, failedStep);
        for (Rule rule : RULES) {
            if (rule.matches().test(failure)) {
                return new Diagnosis(rule.code(), rule.title(), rule.cause().apply(failure),
                        rule.fix().apply(failure));
            }
        }
        String fallback = "Check the execution's steps in the console and " + runbook.byHand() + ".";
        if ("TimedOut".equals(status)) {
            return new Diagnosis("TIMED_OUT", "timed out", "The runbook did not finish in time.", fallback);
        }
        if ("Cancelled".equals(status)) {
            return new Diagnosis("CANCELLED", "cancelled", "Someone cancelled the runbook before it finished.",
                    "Find who cancelled it (CloudTrail: StopAutomationExecution) and " + runbook.byHand() + ".");
        }
        if ("Rejected".equals(status) || "ChangeCalendarOverrideRejected".equals(status)) {
            return new Diagnosis("REJECTED", "rejected", "Systems Manager rejected the execution (" + status
                    + "): an approval or a change calendar closed to automation refused it, so nothing ran.",
                    "Allow TrailGuard's runbooks in the change calendar or approval workflow and " + runbook.byHand()
                            + ".");
        }
        if ("Exited".equals(status) || "CompletedWithFailure".equals(status)) {
            return new Diagnosis("INCOMPLETE", "did not complete", "The runbook ended with status " + status
                    + " before every step succeeded.", fallback);
        }
        if (failureMessage == null || failureMessage.isBlank()) {
            return new Diagnosis("UNKNOWN", "no failure message", "The runbook failed without a failure message.",
                    fallback);
        }
        return new Diagnosis("UNKNOWN", "unrecognised failure", "The runbook failed: \"" + Text.line(failureMessage, MAX_QUOTE) + "\"",
                fallback);
    }
}
