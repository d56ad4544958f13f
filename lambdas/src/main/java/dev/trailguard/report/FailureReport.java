package dev.trailguard.report;

import static dev.trailguard.report.Reports.action;
import static dev.trailguard.report.Reports.base;
import static dev.trailguard.report.Reports.published;
import static dev.trailguard.report.Reports.summary;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.notify.Text;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.report.ReportService.RuleTarget;
import dev.trailguard.report.ReportService.StatusChange;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a runbook execution that did not succeed: why (the {@link FailureDiagnoser}'s diagnosis), whether the trail
 * logs anyway, and what to do by hand.
 */
final class FailureReport {

    private static final Logger LOG = LoggerFactory.getLogger(FailureReport.class);
    /** Step names are quoted at most this long (SSM allows 128 characters). */
    private static final int MAX_STEP = 128;

    private final TrailLocator locator;
    private final Notifier notifier;
    private final FailureDiagnoser diagnoser = new FailureDiagnoser();

    FailureReport(TrailLocator locator, Notifier notifier) {
        this.locator = locator;
        this.notifier = notifier;
    }

    Outcome report(EventEnvelope envelope, StatusChange change, String region, Runbook runbook, TrailRef ref,
                           RuleTarget rule, AutomationExecution execution) {
        Diagnosis diagnosis = diagnoser.diagnose(runbook, change.status(), execution.failureMessage(),
                execution.failedStep());
        Notification.TrailSummary trail = ref == null ? null : summary(ref, region);
        String name = runbook.actsOnTrail() ? (ref == null ? "trail" : ref.name()) : (rule == null ? "(unknown)" : rule.name());
        // Is the trail logging anyway (someone started it by hand)? Worth saying; not worth failing over.
        Boolean logging = null;
        String loggingNow = runbook.actsOnTrail() ? "unknown" : null;
        String lookupNote = null;
        if (ref != null) {
            try {
                Optional<TrailState> state = locator.locate(ref);
                if (state.isPresent()) {
                    trail = summary(state.get().trail());
                    logging = state.get().status().logging();
                    loggingNow = logging ? "yes" : "no";
                } else {
                    logging = false;
                    loggingNow = "no (trail not found)";
                }
            } catch (CallFailedException e) {
                lookupNote = "trail status not checked: " + e.getMessage();
                LOG.warn("Could not check {} after failed execution: {}", ref.value(), e.getMessage());
            }
        }
        boolean cancelled = "Cancelled".equals(change.status());
        // A trail that logs after a failed restore may still be weakened: that is not yet good news.
        Severity severity = Boolean.TRUE.equals(logging)
                ? (runbook == Runbook.LOGGING ? Severity.MEDIUM : Severity.HIGH)
                : cancelled ? Severity.HIGH : Severity.CRITICAL;
        String verb = switch (change.status()) {
            case "TimedOut" -> "timed out";
            case "Cancelled" -> "was cancelled";
            case "Rejected", "ChangeCalendarOverrideRejected" -> "was rejected";
            case "Exited" -> "exited early";
            case "CompletedWithFailure" -> "completed with failures";
            default -> "failed";
        };
        String now;
        if (!runbook.actsOnTrail()) {
            now = "TrailGuard does not receive the events this rule routes until it is enabled: "
                    + runbook.byHand() + ", then apply the fix below.";
        } else if (Boolean.TRUE.equals(logging)) {
            now = runbook == Runbook.LOGGING ? "The trail is logging now anyway (started by other means)."
                    : "The trail is logging, but may still be weaker than its baseline: " + runbook.byHand()
                    + ", then apply the fix below.";
        } else {
            now = "The trail is still not recording: " + runbook.byHand() + ", then apply the fix below.";
        }
        Notification n = base(envelope, change, severity, "REMEDIATION_FAILED", trail)
                .headline(runbook.act(name) + " " + verb
                        + (verb.equals(diagnosis.title()) || "CANCELLED".equals(diagnosis.code()) ? ""
                        : ": " + diagnosis.title()))
                .summary(diagnosis.cause() + " " + now)
                .action(action("REMEDIATION_FAILED", runbook.document() + " " + verb + ".", change, region))
                .detail("Rule", rule == null ? null : rule.name())
                .detail("Event bus", rule == null ? null : rule.bus().orElse(null))
                .detail("Diagnosis", diagnosis.code())
                .detail("Fix", diagnosis.fix())
                .detail("Failed step", execution.failedStep() == null ? null
                        : Text.line(execution.failedStep(), MAX_STEP))
                .detail("Failure message", execution.failureMessage() == null ? null
                        : Text.line(execution.failureMessage(), FailureDiagnoser.MAX_QUOTE))
                .detail("Logging now", loggingNow)
                .build();
        Outcome.Builder out = published(notifier, "REMEDIATION_FAILED", envelope, n)
                .trail(trail == null ? null : trail.arn(), trail == null ? null : trail.homeRegion())
                .execution(change.executionId(), null).note("diagnosis: " + diagnosis.code());
        if (lookupNote != null) {
            out.note(lookupNote);
        }
        return out.build();
    }
}
