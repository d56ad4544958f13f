package dev.trailguard.tamper;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.drill.DrillMeasurement;
import dev.trailguard.drill.DrillReport;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.drill.DrillStage;
import dev.trailguard.drill.DrillTags;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.UserIdentity;
import dev.trailguard.notify.CallNotifications;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.Reconciler;
import dev.trailguard.restore.RestoreService;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailRestorer;
import dev.trailguard.restore.UnrestorableBaselineException;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The response to a successful {@code StopLogging}: find the trail, and unless it logs again already or only its
 * organization's management account may start it, compare it with its baseline from before the stop
 * ({@link Reconciler}) and start {@value Remediator#RUNBOOK} in its home region, or, when it differs,
 * {@value TrailRestorer#RESTORE_RUNBOOK} (baseline back, then StartLogging); a guarded trail that is gone by then is
 * recreated. A third stop by the same principal within {@link #REPEAT_WINDOW} is repeated tampering. Every path ends
 * in one notification.
 */
final class StopLoggingResponse {

    private static final Logger LOG = LoggerFactory.getLogger(StopLoggingResponse.class);
    /** This many stops by one actor within {@link #REPEAT_WINDOW} (this one included) is repeated tampering. */
    static final int REPEAT_THRESHOLD = 3;
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(15);

    private final TrailLocator locator;
    private final Remediator remediator;
    private final Notifier notifier;
    private final AutomationExecutions executions;
    private final RestoreService restore;
    private final DrillSetup drill;
    private final DrillReport drillReport;
    private final Reconciler reconciler;
    private final TrailGuardConfig config;

    StopLoggingResponse(TrailLocator locator, Remediator remediator, Notifier notifier,
                        AutomationExecutions executions, RestoreService restore, Reconciler reconciler,
                        TrailGuardConfig config, DrillSetup drill) {
        this.drill = drill;
        this.drillReport = new DrillReport(notifier, drill);
        this.locator = locator;
        this.remediator = remediator;
        this.notifier = notifier;
        this.executions = executions;
        this.restore = restore;
        this.reconciler = reconciler;
        this.config = config;
    }

    Outcome respond(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        Optional<TrailState> located;
        try {
            located = locator.locate(ref);
        } catch (CallFailedException e) {
            return couldNotStart(envelope, record, ref, null, e);
        }
        if (located.isEmpty()) {
            Outcome recreated = recreate(envelope, record, ref);
            if (recreated != null) {
                return recreated;
            }
            LOG.warn("Trail {} from StopLogging not found", ref.value());
            Notification n = base(Severity.CRITICAL, "TRAIL_NOT_FOUND", envelope, record, summary(ref, null))
                    .headline("Logging stopped on " + ref.name() + ", trail now missing")
                    .summary(record.actorName() + " stopped logging on trail " + ref.name()
                            + ", and the trail no longer exists (deleted since?). Nothing is recording through it.")
                    .action(new Notification.Action("TRAIL_NOT_FOUND",
                            "Nothing started: the trail could not be found with DescribeTrails.", null, null))
                    .build();
            return published("TRAIL_NOT_FOUND", record, n).trail(ref.value(), null).build();
        }
        Trail trail = located.get().trail();
        MDC.put("trailArn", trail.arn());
        String account = CallNotifications.account(envelope, record);
        // The drill only when both match: the drill role's session and the canary. Anyone else's stop of the canary,
        // or the drill role's stop of any other trail, is answered below like every incident.
        if (drill.config().isDrill(record.userIdentity().sessionIssuerArn(), trail.arn())) {
            return drill(envelope, record, trail, located.get().status(), account);
        }
        if (!trail.startableFrom(account)) {
            Notification n = base(Severity.HIGH, "NOT_STARTABLE_HERE", envelope, record, summary(trail))
                    .headline("Logging stopped on organization trail " + trail.name())
                    .summary(record.actorName() + " stopped logging on organization trail " + trail.name()
                            + ". Only the organization's management account (" + trail.ownerAccountId()
                            + ") or its delegated administrator can start it; account " + account + " cannot.")
                    .action(new Notification.Action("NOT_STARTABLE_HERE", "Nothing started: run StartLogging "
                            + "from the management account, or deploy TrailGuard there.", null, null))
                    .build();
            return published("NOT_STARTABLE_HERE", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        if (located.get().status().logging()) {
            Notification n = base(Severity.MEDIUM, "LOGGING_STOPPED", envelope, record, summary(trail))
                    .headline("Logging stopped on " + trail.name() + ", already logging again")
                    .summary(record.actorName() + " stopped logging on trail " + trail.name()
                            + ". It is logging again already, so events were unrecorded only in between.")
                    .action(new Notification.Action("ALREADY_LOGGING", "Nothing started: the trail is logging.",
                            null, null))
                    .detail("Logging restarted at", located.get().status().startLoggingTime()
                            .map(Object::toString).orElse(null))
                    .build();
            return published("ALREADY_LOGGING", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        return restart(envelope, record, ref, trail);
    }

    private Outcome restart(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref, Trail trail) {
        TrailId trailId = new TrailId(trail.arn(), trail.name(), trail.homeRegion());
        Instant stoppedAt = eventTime(record);
        Reconciler.Check check = stoppedAt == null
                ? new Reconciler.Check(Baseline.none(), null, "the event's time is not ISO-8601")
                : reconciler.compare(trailId, stoppedAt, false);
        Map<String, String> facts = new LinkedHashMap<>();
        if (check.differs()) {
            try {
                RemediationStart start = reconciler.restore(trailId, check, "reconcile/" + record.eventId(),
                        record.eventName());
                return restored(envelope, record, trail, check, start);
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
            start = remediator.startLogging(new RemediationRequest(trail, record.eventId(), record.eventName(),
                    actorKey(record.userIdentity())));
        } catch (CallFailedException e) {
            return couldNotStart(envelope, record, ref, trail, e);
        }
        start.executionId().ifPresent(id -> MDC.put("executionId", id));
        String outcome = start.outcome();
        String did = start.describe(Remediator.RUNBOOK, "to restart logging", "for this event (duplicate delivery)");
        int stops = start.dryRun() ? 0 : recentStops(record, start.region());
        boolean repeated = stops >= REPEAT_THRESHOLD;
        // Logging restarted outside SSM because its automations are full: the quota attack is part of the incident.
        boolean direct = start.direct().isPresent();
        Notification n = base(repeated || direct ? Severity.CRITICAL : Severity.HIGH,
                repeated ? "REPEATED_TAMPERING" : "LOGGING_STOPPED", envelope, record, summary(trail))
                .headline(repeated
                        ? "Repeated tampering by " + record.actorName() + ": " + trail.name() + " stopped " + stops
                                + " times in " + REPEAT_WINDOW.toMinutes() + " min"
                        : direct ? "Logging stopped on " + trail.name() + ", restarted directly ("
                                + start.direct().get().headlineNote() + ")"
                        : "Logging stopped on " + trail.name() + ", restart started")
                .summary((repeated ? "Repeated tampering: " : "") + record.actorName() + " stopped logging on trail "
                        + trail.name() + " in " + trail.homeRegion() + (repeated ? ", the " + ordinal(stops)
                        + " time in " + REPEAT_WINDOW.toMinutes() + " minutes. TrailGuard keeps restarting it, "
                        + "but this principal should be contained now (revoke its sessions, deny it by SCP)."
                        : direct ? ". " + start.direct().get().summary()
                        : ". Activity is unrecorded until the restart completes; "
                        + "a follow-up notification confirms it."))
                .action(new Notification.Action(outcome, did, start.executionId().orElse(null), start.region()))
                .detail("Stops by this actor in " + REPEAT_WINDOW.toMinutes() + " min", stops > 1
                        ? String.valueOf(stops) : null)
                .details(facts)
                .details(restore.gap(record, "Logging stopped: nothing recorded through the trail"))
                .build();
        LOG.info("{} for {} in {} (execution {})", outcome, trail.arn(), start.region(),
                start.executionId().orElse("-"));
        return published(outcome, record, n).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun()).build();
    }

    /** The trail differs from its baseline too: the restore runbook puts it back and restarts logging. */
    private Outcome restored(EventEnvelope envelope, CloudTrailRecord record, Trail trail, Reconciler.Check check,
                             RemediationStart start) {
        start.executionId().ifPresent(id -> MDC.put("executionId", id));
        String outcome = Reconciler.outcome(start, false);
        Notification n = base(Severity.HIGH, "CHANGED_WHILE_STOPPED", envelope, record, summary(trail))
                .headline("Logging stopped on " + trail.name() + " and trail changed, restore started")
                .summary(record.actorName() + " stopped logging on trail " + trail.name() + " in "
                        + trail.homeRegion() + ", and the trail also differs from its baseline from before the stop "
                        + "(below): changes made while a trail does not log produce no event. TrailGuard puts the "
                        + "baseline back and restarts logging in one execution; a follow-up notification confirms it.")
                .action(new Notification.Action(outcome, start.describe(TrailRestorer.RESTORE_RUNBOOK,
                        "to put the baseline back and restart logging", "for this event (duplicate delivery)"),
                        start.executionId().orElse(null), start.region()))
                .details(check.details(true))
                .details(restore.gap(record, "Logging stopped: nothing recorded through the trail"))
                .build();
        LOG.info("{} for {} in {} (execution {})", outcome, trail.arn(), start.region(),
                start.executionId().orElse("-"));
        return published(outcome, record, n).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun()).build();
    }

    /**
     * The fire drill's StopLogging of the canary: the same restart as for any stop, its execution tagged with the
     * stop's {@code eventTime} and the moment the event got here, so that the reporter can time every stage. No
     * notification yet when the runbook started (the reporter sends the drill notification); one naming the stage
     * when it did not.
     */
    private Outcome drill(EventEnvelope envelope, CloudTrailRecord record, Trail trail, TrailStatus status,
                          String account) {
        Instant detected = drill.clock().instant();
        Instant stopped;
        try {
            stopped = Instant.parse(record.eventTime());
        } catch (DateTimeParseException | NullPointerException e) {
            stopped = detected;
        }
        DrillMeasurement reached = new DrillMeasurement(account, trail.homeRegion(), trail.arn(), null, stopped,
                Optional.of(detected), Optional.empty(), Optional.empty(), Optional.empty());
        LOG.info("Fire drill: StopLogging of the canary {} at {} reached the TamperResponder after {} ms",
                trail.arn(), stopped, Duration.between(stopped, detected).toMillis());
        if (status.logging()) {
            return drillReport.failed(reached, DrillStage.RUNBOOK_NOT_STARTED, "the canary was already logging "
                    + "again when the event arrived, so TrailGuard did not restart it (someone else did)",
                    record.eventId()).build();
        }
        RemediationStart start;
        try {
            start = remediator.startLogging(new RemediationRequest(trail, record.eventId(), DrillReport.DETECTED_BY,
                    actorKey(record.userIdentity()), false, DrillTags.of(stopped, detected)));
        } catch (CallFailedException e) {
            return drillReport.failed(reached, DrillStage.RUNBOOK_NOT_STARTED, e.action() + " failed: "
                    + e.getMessage(), record.eventId()).note(e.getMessage()).build();
        }
        if (start.direct().isPresent()) {
            return drillReport.failed(reached, DrillStage.RUNBOOK_NOT_STARTED, "SSM had no capacity for the runbook; "
                    + start.direct().get().summary(), record.eventId()).build();
        }
        start.executionId().ifPresent(id -> MDC.put("executionId", id));
        LOG.info("Fire drill: {} for the canary (execution {}); the reporter times the rest", start.outcome(),
                start.executionId().orElse("-"));
        return Outcome.of(start.outcome(), record.eventId()).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun())
                .note("fire drill: the drill notification follows when the runbook ends").build();
    }

    /**
     * The stopped trail is gone by the time TrailGuard looks (deleted while it did not log, which produces no event):
     * a guarded trail with baseline settings is recreated from them. Null when it cannot be, so that the caller
     * reports the trail as not found.
     */
    private Outcome recreate(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        Instant stoppedAt = eventTime(record);
        if (stoppedAt == null) {
            return null;
        }
        TrailId id;
        try {
            id = RestoreService.trailId(envelope, record, ref);
        } catch (InvalidTrailReferenceException e) {
            return null;
        }
        if (!guarded(id)) {
            return null;
        }
        Baseline baseline = reconciler.baselineOf(id, stoppedAt);
        if (baseline.settings().isEmpty()) {
            return null;
        }
        RemediationStart start;
        try {
            start = reconciler.recreate(id, baseline, "reconcile/" + record.eventId(), record.eventName());
        } catch (UnrestorableBaselineException | CallFailedException e) {
            LOG.error("{} could not start for {}: {}", TrailRestorer.RECREATE_RUNBOOK, id.arn(), e.getMessage());
            Notification n = base(Severity.CRITICAL, "TRAIL_NOT_FOUND", envelope, record, summary(ref, record))
                    .headline("Logging stopped on " + ref.name() + ", trail now missing, recreate could not start")
                    .summary(record.actorName() + " stopped logging on trail " + ref.name() + ", and the trail no "
                            + "longer exists (deleted since: that produces no event once nothing logs). TrailGuard "
                            + "could not start " + TrailRestorer.RECREATE_RUNBOOK + ": " + e.getMessage()
                            + ". Recreate it now.")
                    .action(new Notification.Action("RESTORE_NOT_STARTED", "Recreate could not start: "
                            + e.getMessage(), null, null))
                    .details(baseline.provenance())
                    .build();
            return published("RESTORE_NOT_STARTED", record, n).trail(id.arn(), id.homeRegion())
                    .note(e.getMessage()).build();
        }
        String outcome = Reconciler.outcome(start, true);
        Notification n = base(Severity.CRITICAL, "TRAIL_NOT_FOUND", envelope, record,
                new Notification.TrailSummary(id.arn(), id.name(), id.homeRegion(), false))
                .headline("Logging stopped on " + ref.name() + ", trail now missing, recreate started")
                .summary(record.actorName() + " stopped logging on trail " + ref.name() + ", and the trail no longer "
                        + "exists (deleted since: that produces no event once nothing logs). TrailGuard recreates it "
                        + "from its baseline; a follow-up notification confirms it.")
                .action(new Notification.Action(outcome, start.describe(TrailRestorer.RECREATE_RUNBOOK,
                        "to recreate the trail from its baseline and start logging",
                        "for this event (duplicate delivery)"), start.executionId().orElse(null), start.region()))
                .details(baseline.provenance())
                .details(restore.gap(record, "Logging stopped, then trail deleted: nothing recorded through it"))
                .build();
        LOG.info("{} for {} in {} (execution {})", outcome, id.arn(), start.region(), start.executionId().orElse("-"));
        return published(outcome, record, n).trail(id.arn(), id.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun()).build();
    }

    private boolean guarded(TrailId trail) {
        return config.guardedTrails().isEmpty()
                || config.guardedTrails().stream().anyMatch(g -> TrailRef.parse(g).matches(trail.arn()));
    }

    private static Instant eventTime(CloudTrailRecord record) {
        try {
            return Instant.parse(record.eventTime());
        } catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

    /**
     * How many runbook executions TrailGuard started for this actor's stops in the window before this event (this
     * one included), from the executions' actor tag. A failure to count must not cost the notification: it is
     * logged and treated as a first stop.
     */
    private int recentStops(CloudTrailRecord record, String region) {
        String actor = actorKey(record.userIdentity());
        if (actor == null) {
            return 1;
        }
        try {
            Instant since = Instant.parse(record.eventTime()).minus(REPEAT_WINDOW);
            return executions.countStartedFor(actor, since, region, 100);
        } catch (CallFailedException | DateTimeParseException e) {
            LOG.warn("Could not count earlier stops by {}: {}", actor, e.getMessage());
            return 1;
        }
    }

    /**
     * Who to count repeats against: the role behind an assumed-role session (session names are the caller's
     * choice, so they would split one attacker into many), else the principal ARN.
     */
    static String actorKey(UserIdentity identity) {
        String issuer = identity.sessionIssuerArn();
        if (!issuer.isBlank()) {
            return issuer;
        }
        return identity.arn() == null || identity.arn().isBlank() ? null : identity.arn();
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }

    private Outcome couldNotStart(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref, Trail trail,
                                  CallFailedException e) {
        LOG.error("Remediation could not start for {}: {}", ref.value(), e.getMessage());
        Notification.TrailSummary summary = trail == null ? summary(ref, record) : summary(trail);
        Notification n = base(Severity.CRITICAL, "REMEDIATION_NOT_STARTED", envelope, record, summary)
                .headline("Logging stopped on " + ref.name() + ", remediation could not start")
                .summary(record.actorName() + " stopped logging on trail " + ref.name()
                        + ". TrailGuard could not restart it: " + e.getMessage()
                        + ". Start logging by hand now.")
                .action(new Notification.Action("REMEDIATION_NOT_STARTED",
                        "Remediation could not start: " + e.getMessage(), null, null))
                .detail("Failed call", e.action())
                .detail("Error", e.errorCode())
                .build();
        return published("REMEDIATION_NOT_STARTED", record, n)
                .trail(trail == null ? ref.value() : trail.arn(), trail == null ? null : trail.homeRegion())
                .note(e.getMessage()).build();
    }

    private Outcome.Builder published(String outcome, CloudTrailRecord record, Notification n) {
        return TamperService.published(notifier, outcome, record, n);
    }

    private static Notification.Builder base(Severity severity, String kind, EventEnvelope envelope,
                                             CloudTrailRecord record, Notification.TrailSummary trail) {
        return CallNotifications.about(severity, kind, envelope, record).trail(trail);
    }

    private static Notification.TrailSummary summary(Trail trail) {
        return new Notification.TrailSummary(trail.arn(), trail.name(), trail.homeRegion(), trail.organization());
    }

    static Notification.TrailSummary summary(TrailRef ref, CloudTrailRecord record) {
        String region = ref.region().orElse(record == null ? null : record.awsRegion());
        return new Notification.TrailSummary(ref.value(), ref.name(), region, false);
    }
}
