package dev.trailguard.backstop;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.Reconciler;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailRestorer;
import dev.trailguard.restore.UnrestorableBaselineException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a stopped trail found by a backstop, exactly as the event path does (runbook in the trail's home region,
 * deterministic client token), and reports it. It first compares the trail with its baseline from before it stopped
 * ({@link Reconciler}): changes made while it was not logging produced no event, so when it differs,
 * {@value TrailRestorer#RESTORE_RUNBOOK} puts the baseline back and restarts logging in the same execution.
 */
final class StoppedTrailRestarter {

    private static final Logger LOG = LoggerFactory.getLogger(StoppedTrailRestarter.class);

    private final Remediator remediator;
    private final Notifier notifier;
    private final Reconciler reconciler;

    StoppedTrailRestarter(Remediator remediator, Notifier notifier, Reconciler reconciler) {
        this.remediator = remediator;
        this.notifier = notifier;
        this.reconciler = reconciler;
    }

    /**
     * Starts the runbook for the trail and, if {@code notify}, publishes what happened.
     *
     * @param finding what found it
     * @param trail   the stopped trail (startable from this account, home region here)
     * @param status  its status
     * @param why     the sentence that explains how it was found, starts the summary
     * @param notify  false to start (idempotently) without telling anyone again. When true, an execution that was
     *                already started for this incident key is still reported: the start may be this very delivery's,
     *                retried by Lambda because its notification failed, and then nobody has been told yet
     * @param details further labelled facts
     * @return the trail's outcome item
     */
    Outcome restart(Finding finding, Trail trail, TrailStatus status, String why, boolean notify,
                    Map<String, String> details) {
        return restart(finding, trail, status, why, notify, false, details);
    }

    /**
     * As {@link #restart(Finding, Trail, TrailStatus, String, boolean, Map)}.
     *
     * @param overdue true if a start for this stop should have restarted logging by now
     *                ({@link Cadence#runbookOverdue}): if SSM says it was already started, logging is started
     *                directly, and that is always notified
     */
    Outcome restart(Finding finding, Trail trail, TrailStatus status, String why, boolean notify, boolean overdue,
                    Map<String, String> details) {
        String incidentKey = Cadence.stopIncidentKey(trail.arn(), status.stopLoggingTime(), finding.now());
        TrailId id = new TrailId(trail.arn(), trail.name(), trail.homeRegion());
        Instant before = status.stopLoggingTime().orElse(finding.now());
        Reconciler.Check check = reconciler.compare(id, before, false);
        Map<String, String> facts = new LinkedHashMap<>(details);
        // Overdue: the restore (or restart) started for this stop by an earlier sweep has not brought logging back,
        // so logging is started directly below, and the differences are listed for the restore still queued.
        if (check.differs() && !overdue) {
            try {
                // Its own key: the same stop may already have had a plain restart under the stop's key.
                RemediationStart start = reconciler.restore(id, check, "restore/" + incidentKey, finding.trigger());
                return restored(finding, trail, status, why, notify, details, check, start);
            } catch (UnrestorableBaselineException | CallFailedException e) {
                // Logging first: a trail that logs with weaker settings still records more than a stopped one.
                LOG.error("{} could not start for {}: {}; restarting logging only", TrailRestorer.RESTORE_RUNBOOK,
                        trail.arn(), e.getMessage());
                facts.put("Restore not started", TrailRestorer.RESTORE_RUNBOOK + " could not start (" + e.getMessage()
                        + "): logging is restarted with the trail as it is; put the baseline below back by hand");
            }
        }
        facts.putAll(check.details(false));
        RemediationStart start;
        try {
            start = remediator.startLogging(new RemediationRequest(trail, incidentKey, finding.trigger(), null,
                    overdue));
        } catch (CallFailedException e) {
            // Always told, whatever the cadence: the trail is stopped and nothing is fixing it.
            LOG.error("Remediation could not start for {}: {}", trail.arn(), e.getMessage());
            Notification n = finding.notification(Severity.CRITICAL, "REMEDIATION_NOT_STARTED")
                    .trail(Finding.summary(trail))
                    .headline(trail.name() + " not logging, restart could not start")
                    .summary(why + " TrailGuard could not restart it: " + e.getMessage()
                            + ". Start logging by hand now.")
                    .action(new Notification.Action("REMEDIATION_NOT_STARTED",
                            "Remediation could not start: " + e.getMessage(), null, null))
                    .detail("Stopped at", status.stopLoggingTime().map(Object::toString).orElse("never started"))
                    .details(facts)
                    .detail("Failed call", e.action())
                    .detail("Error", e.errorCode())
                    .build();
            return Outcome.of("REMEDIATION_NOT_STARTED", finding.eventId()).trail(trail.arn(), trail.homeRegion())
                    .severity(n.severity().name()).messageId(notifier.publish(n)).note(e.getMessage()).build();
        }
        String outcome = start.outcome();
        LOG.info("{} for {} in {} (execution {})", outcome, trail.arn(), start.region(),
                start.executionId().orElse("-"));
        Outcome.Builder item = Outcome.of(outcome, finding.eventId()).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun());
        if (!notify && start.direct().isEmpty()) {
            return item.note("not notified again: already reported in this period").build();
        }
        String did = start.describe(Remediator.RUNBOOK, "to restart logging", "for this stop within the last hour");
        boolean direct = start.direct().isPresent();
        Notification n = finding.notification(direct ? Severity.CRITICAL : Severity.HIGH, "LOGGING_STOPPED")
                .trail(Finding.summary(trail))
                .headline(trail.name() + " not logging, " + (direct ? "restarted directly ("
                        + start.direct().get().headlineNote() + ")" : "restart started"))
                .summary(why + (direct ? " " + start.direct().get().summary()
                        : " Activity is unrecorded until the restart completes; a follow-up notification "
                        + "confirms it."))
                .action(new Notification.Action(outcome, did, start.executionId().orElse(null), start.region()))
                .detail("Stopped at", status.stopLoggingTime().map(Object::toString).orElse("never started"))
                .details(facts)
                .build();
        return item.severity(n.severity().name()).messageId(notifier.publish(n)).build();
    }

    /** The trail also differed from its baseline: the restore runbook was started instead of a plain restart. */
    private Outcome restored(Finding finding, Trail trail, TrailStatus status, String why, boolean notify,
                             Map<String, String> details, Reconciler.Check check, RemediationStart start) {
        String outcome = Reconciler.outcome(start, false);
        LOG.info("{} for {} in {} (execution {})", outcome, trail.arn(), start.region(),
                start.executionId().orElse("-"));
        Outcome.Builder item = Outcome.of(outcome, finding.eventId()).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun());
        if (!notify) {
            return item.note("not notified again: already reported in this period").build();
        }
        String did = start.describe(TrailRestorer.RESTORE_RUNBOOK, "to put the baseline back and restart logging",
                "for this stop within the last hour");
        Notification n = finding.notification(Severity.HIGH, "CHANGED_WHILE_STOPPED")
                .trail(Finding.summary(trail))
                .headline(trail.name() + " not logging and changed, restore started")
                .summary(why + " It also differs from its baseline (below): changes made while a trail does not log "
                        + "produce no event. TrailGuard puts the baseline back and restarts logging in one "
                        + "execution; a follow-up notification confirms it.")
                .action(new Notification.Action(outcome, did, start.executionId().orElse(null), start.region()))
                .detail("Stopped at", status.stopLoggingTime().map(Object::toString).orElse("never started"))
                .details(details)
                .details(check.details(true))
                .build();
        return item.severity(n.severity().name()).messageId(notifier.publish(n)).build();
    }
}
