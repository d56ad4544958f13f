package dev.trailguard.report;

import static dev.trailguard.report.Reports.action;
import static dev.trailguard.report.Reports.base;
import static dev.trailguard.report.Reports.summary;

import dev.trailguard.config.ResponseConfig;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Severity;
import dev.trailguard.notify.Text;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.report.ReportService.RuleTarget;
import dev.trailguard.report.ReportService.StatusChange;
import dev.trailguard.restore.GapReport;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailStatus;

/**
 * What the {@link ReportService}'s notifications say: one method per kind, each given the facts the service decided
 * on. Failures are worded by {@link FailureReport}, restore comparisons by {@link RestoreVerifier}.
 */
final class ReportWording {

    private ReportWording() {
    }

    static Notification executionNotFound(EventEnvelope envelope, StatusChange change, Runbook runbook,
                                          String region) {
        return base(envelope, change, Severity.MEDIUM, "EXECUTION_NOT_FOUND", null)
                .headline("Runbook execution " + change.executionId() + " not found")
                .summary("A " + runbook.document() + " execution ended with status " + change.status()
                        + ", but GetAutomationExecution in " + region + " does not know it, so TrailGuard "
                        + "cannot tell whether it was its own or which " + (runbook.actsOnTrail() ? "trail"
                        : "rule") + " it concerned. Check the " + (runbook.actsOnTrail() ? "trails." : "rules."))
                .action(new Notification.Action("EXECUTION_NOT_FOUND", "Nothing verified.", change.executionId(),
                        region))
                .build();
    }

    static Notification trailUnknown(EventEnvelope envelope, StatusChange change, Runbook runbook, String region) {
        return base(envelope, change, Severity.MEDIUM, "RESTORE_NOT_VERIFIED", null)
                .headline("Runbook succeeded, trail unknown")
                .summary("TrailGuard's " + runbook.document() + " execution succeeded, but its "
                        + runbook.targetParameter() + " parameter is missing or not a trail name or ARN, so "
                        + "the trail could not be checked.")
                .action(action("RESTORE_NOT_VERIFIED", "Nothing verified.", change, region))
                .build();
    }

    static Notification trailMissing(EventEnvelope envelope, StatusChange change, TrailRef ref, String after,
                                     String region) {
        return base(envelope, change, Severity.HIGH, "TRAIL_NOT_FOUND", summary(ref, region))
                .headline(ref.name() + " missing after " + after)
                .summary("The runbook reported success, but trail " + ref.name() + " cannot be found any "
                        + "more (deleted since?). Nothing records through it.")
                .action(action("TRAIL_NOT_FOUND", "Verified with DescribeTrails: the trail is gone.", change,
                        region))
                .build();
    }

    static Notification stillNotLogging(EventEnvelope envelope, StatusChange change, Trail trail, TrailStatus status,
                                        String after, String region) {
        return base(envelope, change, Severity.CRITICAL, "REMEDIATION_FAILED", summary(trail))
                .headline(trail.name() + " still not logging after " + after)
                .summary("The runbook reported success, but GetTrailStatus says trail " + trail.name()
                        + " is not logging (stopped again since?). Activity is unrecorded: start logging by "
                        + "hand and find who stops it.")
                .action(action("RESTORE_NOT_CONFIRMED", "Checked with GetTrailStatus: not logging.", change,
                        region))
                .detail("Stopped at", status.stopLoggingTime().map(Object::toString).orElse(null))
                .build();
    }

    static Notification loggingRestored(EventEnvelope envelope, StatusChange change, Trail trail, TrailStatus status,
                                        String region) {
        Notification.LoggingGap gap = Notification.LoggingGap.between(status.stopLoggingTime(),
                status.startLoggingTime());
        return base(envelope, change, Severity.LOW, "LOGGING_RESTORED", summary(trail))
                .headline(trail.name() + " logging again")
                .summary("Trail " + trail.name() + " is logging again (confirmed with GetTrailStatus)."
                        + (gap == null ? "" : " Nothing was recorded through it from " + gap.stoppedAt() + " to "
                        + gap.restartedAt() + " (" + gap.seconds() + " s): review activity in that window by "
                        + "other means."))
                .action(action("LOGGING_RESTORED", "Restarted logging with " + Remediator.RUNBOOK + ".", change,
                        region))
                .loggingGap(gap)
                .build();
    }

    static Notification ruleUnknown(EventEnvelope envelope, StatusChange change, String region) {
        return base(envelope, change, Severity.MEDIUM, "RESTORE_NOT_VERIFIED", null)
                .headline("Runbook succeeded, rule unknown")
                .summary("TrailGuard's " + Runbook.ENABLE_RULE.document() + " execution succeeded, but its "
                        + "RuleName parameter is missing or not a rule name, so TrailGuard cannot say which "
                        + "rule is enabled again.")
                .action(action("RESTORE_NOT_VERIFIED", "Nothing verified.", change, region))
                .build();
    }

    static Notification ruleReenabled(EventEnvelope envelope, StatusChange change, RuleTarget rule,
                                      AutomationExecution execution, ResponseConfig response, String region) {
        String what = "TrailGuard did not receive the events this rule routes";
        Notification.Builder n = base(envelope, change, Severity.LOW, "RULE_REENABLED", null)
                .headline("Rule " + rule.name() + " re-enabled")
                .summary("TrailGuard's EventBridge rule " + rule.name() + " is enabled again (the runbook's "
                        + "DescribeRule assertion found it ENABLED). While it was disabled the events it routes did "
                        + "not reach TrailGuard; the sweep and the Config rules were the backstop. Review the "
                        + "window below.")
                .action(action("RULE_REENABLED", "Re-enabled the rule with " + Runbook.ENABLE_RULE.document() + ".",
                        change, region))
                .detail("Rule", rule.name())
                .detail("Event bus", rule.bus().orElse(null));
        if (execution.endTime().isPresent()) {
            n.details(GapReport.closed("Unmonitored window", what, execution.startTime(), execution.endTime().get(),
                    "the runbook ended", response));
        } else {
            n.detail("Unmonitored window", what + " from the DisableRule call until the runbook ended");
        }
        return n.build();
    }

    static Notification startedByOther(EventEnvelope envelope, StatusChange change, Runbook runbook,
                                       AutomationExecution execution, String by, boolean ourRole, String region) {
        String target = execution.parameter(runbook.targetParameter());
        return base(envelope, change, Severity.CRITICAL, "RUNBOOK_STARTED_BY_OTHER", null)
                .headline(runbook.document() + " started by someone else")
                .summary(by + " started " + runbook.document() + (ourRole ? " as TrailGuard's automation role" : "")
                        + " (status " + change.status() + "). TrailGuard did not start it, so whatever it changed "
                        + "is not a restore: treat it as tampering, check the " + (runbook.actsOnTrail() ? "trail"
                        : "rule") + " it names, and deny that principal iam:PassRole and "
                        + "ssm:StartAutomationExecution on TrailGuard's roles and documents.")
                .action(action("RUNBOOK_STARTED_BY_OTHER", "Reported as tampering; nothing verified as restored.",
                        change, region))
                .detail("Started by", by)
                .detail("Automation role", role(execution))
                .detail(runbook.targetParameter(), target == null ? null : Text.line(target, 200))
                .build();
    }

    private static String role(AutomationExecution execution) {
        String role = execution.parameter("AutomationAssumeRole");
        return role == null ? "(none: ran as the caller)" : Text.line(role, 200);
    }
}
