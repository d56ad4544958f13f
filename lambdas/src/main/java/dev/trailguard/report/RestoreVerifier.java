package dev.trailguard.report;

import static dev.trailguard.report.Reports.action;
import static dev.trailguard.report.Reports.base;
import static dev.trailguard.report.Reports.published;
import static dev.trailguard.report.Reports.summary;

import dev.trailguard.config.ResponseConfig;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.report.ReportService.StatusChange;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineDiff;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.GapReport;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.restore.TrailId;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says "restored" only after comparing the trail with its baseline: the same sources the restore uses (a declared
 * baseline first, then AWS Config's history before the runbook started), never the parameters the execution was
 * given, which whoever started it chose. A trail that still differs is {@code RESTORE_INCOMPLETE}; one that cannot be
 * compared is {@code RESTORE_NOT_VERIFIED}.
 */
final class RestoreVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreVerifier.class);

    private final BaselineSource baselines;
    private final TrailConfigurations configurations;
    private final Notifier notifier;
    private final ResponseConfig response;
    private final Clock clock;

    RestoreVerifier(BaselineSource baselines, TrailConfigurations configurations, Notifier notifier,
                    ResponseConfig response, Clock clock) {
        this.baselines = baselines;
        this.configurations = configurations;
        this.notifier = notifier;
        this.response = response;
        this.clock = clock;
    }

    /** A restore or recreate runbook that succeeded, with the trail confirmed logging. */
    Outcome verify(EventEnvelope envelope, StatusChange change, String region, Runbook runbook, Trail trail,
                   TrailStatus status, AutomationExecution execution) {
        TrailId id = new TrailId(trail.arn(), trail.name(), trail.homeRegion());
        // Anchored before the runbook started, as the restore anchored it before the tamper call.
        Instant before = execution.startTime().orElse(clock.instant());
        Baseline baseline = baselines.baselineBefore(id, before);
        if (baseline.isEmpty()) {
            return notVerified(envelope, change, region, runbook, trail, baseline, "there is no baseline to compare "
                    + "it with (none declared, and no AWS Config item before the runbook started)", null);
        }
        Baseline now;
        try {
            now = configurations.current(id, baseline.settings().isPresent(), baseline.selectors().isPresent(),
                    baseline.insightTypes().isPresent());
        } catch (CallFailedException e) {
            LOG.warn("Could not read {} to compare it with its baseline: {}", trail.arn(), e.getMessage());
            return notVerified(envelope, change, region, runbook, trail, baseline, "its configuration could not be "
                    + "read (" + e.getMessage() + ")", e);
        }
        BaselineDiff diff = diff(baseline, now);
        if (diff == null) {
            return notVerified(envelope, change, region, runbook, trail, baseline, "CloudTrail did not return the "
                    + "parts of it that the baseline has", null);
        }
        if (diff.needsRestore()) {
            return incomplete(envelope, change, region, runbook, trail, baseline, diff);
        }
        return restored(envelope, change, region, runbook, trail, status, execution, baseline);
    }

    /** Every part the baseline has, compared; null if the trail's answer lacks one of them. */
    static BaselineDiff diff(Baseline baseline, Baseline now) {
        return BaselineDiff.against(baseline, now);
    }

    private Outcome incomplete(EventEnvelope envelope, StatusChange change, String region, Runbook runbook,
                               Trail trail, Baseline baseline, BaselineDiff diff) {
        Notification n = base(envelope, change, Severity.HIGH, "RESTORE_INCOMPLETE", summary(trail))
                .headline(trail.name() + " logging, but still differs from its baseline")
                .summary("The " + runbook.document() + " execution succeeded and trail " + trail.name() + " is "
                        + "logging, but it still differs from its baseline in " + diff.changes().size()
                        + " place(s), listed below (changed since, or the runbook was given other parameters). "
                        + runbook.byHand().substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                        + runbook.byHand().substring(1) + " and find who changed it.")
                .action(action("RESTORE_INCOMPLETE", "Compared with the baseline: not restored.", change, region))
                .details(diff.asDetails(false))
                .details(baseline.provenance())
                .build();
        return published(notifier, "RESTORE_INCOMPLETE", envelope, n).trail(trail.arn(), trail.homeRegion())
                .execution(change.executionId(), null).build();
    }

    private Outcome notVerified(EventEnvelope envelope, StatusChange change, String region, Runbook runbook,
                                Trail trail, Baseline baseline, String why, CallFailedException failure) {
        Notification.Builder n = base(envelope, change, Severity.MEDIUM, "RESTORE_NOT_VERIFIED", summary(trail))
                .headline(trail.name() + " logging, restore not verified")
                .summary("The " + runbook.document() + " execution succeeded and trail " + trail.name() + " is "
                        + "logging, but TrailGuard cannot say it matches its baseline: " + why + ". Check the "
                        + "trail's settings, event selectors and Insights by hand.")
                .action(action("RESTORE_NOT_VERIFIED", "Logging confirmed; baseline not compared.", change,
                        region))
                .details(baseline.provenance());
        if (failure != null) {
            n.detail("Failed call", failure.action()).detail("Error", failure.errorCode());
        }
        return published(notifier, "RESTORE_NOT_VERIFIED", envelope, n.build()).trail(trail.arn(),
                trail.homeRegion()).execution(change.executionId(), null).build();
    }

    /** The trail matches its baseline: restored (or recreated), with the closed window. */
    private Outcome restored(EventEnvelope envelope, StatusChange change, String region, Runbook runbook,
                             Trail trail, TrailStatus status, AutomationExecution execution, Baseline baseline) {
        boolean recreated = runbook == Runbook.RECREATE;
        Optional<Instant> started = execution.startTime();
        // The window ends when the trail started logging again. A recreated trail's StartLoggingTime is the
        // runbook's StartLogging; a restored trail that never stopped keeps an older one, and then the runbook's
        // end is when the baseline was back.
        Optional<Instant> startLogging = status.startLoggingTime();
        boolean restartedByRunbook = startLogging.isPresent()
                && (started.isPresent() ? !startLogging.get().isBefore(started.get()) : recreated);
        Instant end = restartedByRunbook ? startLogging.get() : execution.endTime().orElse(null);
        String endSource = restartedByRunbook ? "StartLoggingTime" : "the runbook ended";
        Notification.LoggingGap gap = restartedByRunbook && !recreated
                ? Notification.LoggingGap.between(status.stopLoggingTime(), startLogging) : null;
        String what = recreated ? "Trail deleted: nothing recorded through it"
                : "Trail weakened: recorded less than its baseline";
        String kind = recreated ? "TRAIL_RECREATED" : "TRAIL_RESTORED";
        Notification.Builder n = base(envelope, change, Severity.LOW, kind, summary(trail))
                .headline(trail.name() + (recreated ? " recreated" : " restored"))
                .summary((recreated
                        ? "Trail " + trail.name() + " exists again with its baseline " + compared(baseline)
                        + ", and GetTrailStatus confirms it is logging. Nothing was recorded through it "
                        + "from the DeleteTrail call until then; its tags were not restored."
                        : "Trail " + trail.name() + " is back to its baseline " + compared(baseline)
                        + ", and GetTrailStatus confirms it is logging. It recorded less than its baseline from "
                        + "the tamper call until then.")
                        + notCompared(baseline)
                        + " Run the queries below against another trail, an organization trail or CloudTrail "
                        + "Lake to review the window.")
                .action(action(kind, (recreated ? "Recreated the trail" : "Restored the baseline") + " with "
                        + runbook.document() + ".", change, region))
                .loggingGap(gap)
                .details(baseline.provenance());
        if (end == null) {
            n.detail("Unrecorded window", what + " from the tamper call until the runbook ended (time unknown)");
        } else {
            n.details(GapReport.closed("Unrecorded window", what, started, end, endSource, response));
        }
        return published(notifier, kind, envelope, n.build()).trail(trail.arn(), trail.homeRegion())
                .execution(change.executionId(), null).build();
    }

    /** The parts of the trail that were compared with the baseline, and how, for the summary. */
    private static String compared(Baseline baseline) {
        List<String> parts = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        if (baseline.settings().isPresent()) {
            parts.add("settings");
            calls.add("GetTrail");
        }
        if (baseline.selectors().isPresent()) {
            parts.add("event selectors");
            calls.add("GetEventSelectors");
        }
        if (baseline.insightTypes().isPresent()) {
            parts.add("Insights");
            calls.add("GetInsightSelectors");
        }
        return and(parts) + " (compared with " + and(calls) + ")";
    }

    /** The parts the baseline did not have, which were therefore not compared (never claimed as restored). */
    private static String notCompared(Baseline baseline) {
        List<String> parts = new ArrayList<>();
        if (baseline.settings().isEmpty()) {
            parts.add("settings");
        }
        if (baseline.selectors().isEmpty()) {
            parts.add("event selectors");
        }
        if (baseline.insightTypes().isEmpty()) {
            parts.add("Insights");
        }
        return parts.isEmpty() ? "" : " Its " + and(parts) + " had no baseline to compare with and were not verified.";
    }

    private static String and(List<String> items) {
        return items.size() <= 1 ? String.join("", items)
                : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
