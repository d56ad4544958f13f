package dev.trailguard.backstop;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.drill.DrillMeasurement;
import dev.trailguard.drill.DrillReport;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.drill.DrillStage;
import dev.trailguard.edge.EventEdge;
import dev.trailguard.event.EventReader;
import dev.trailguard.member.ForwardingRules;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.Reconciler;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailRestorer;
import dev.trailguard.restore.UnrestorableBaselineException;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The scheduled backstop. CloudTrail tamper events need a logging trail to be delivered at all, so once the only
 * trail is stopped the event path can go blind; every few minutes this checks each trail it may act on and
 * restarts what the event path missed, compares each with its baseline ({@link Reconciler}: a weakened trail that
 * still logs is not healthy), recreates guarded trails that are gone, reports trails that log but cannot deliver,
 * and reports a region in which no trail logs at all. A healthy sweep publishes nothing.
 *
 * <p>A problem that persists is acted on again at the {@link Cadence}: a stopped trail gets one new runbook
 * execution and one notification per hour; a drifted or missing trail one restore or recreate per UTC hour, notified
 * when it starts; a region without a logging trail one notification per hour (on the first sweep of each UTC hour). A
 * delivery error is notified on the first sweep that sees it new (see {@link #newDeliveryError}) and then once an hour
 * while it persists.
 */
public final class SweepService {

    static final String SOURCE = "aws.events";
    static final String DETAIL_TYPE = "Scheduled Event";
    static final EventEdge.Kind KIND = EventEdge.Kind.of("scheduled sweep event", SOURCE, DETAIL_TYPE);

    private static final Logger LOG = LoggerFactory.getLogger(SweepService.class);

    private final EventReader reader;
    private final TrailLocator locator;
    private final Notifier notifier;
    private final StoppedTrailRestarter restarter;
    private final GuardScope scope;
    private final Clock clock;
    private final EventEdge edge;
    private final ForwardingCheck forwarding;
    /**
     * The delivery error this function instance last saw per trail ARN ("" for none): an error that differs from the
     * previous sweep's is new. Lost on a cold start; {@link #newDeliveryError} then judges by the last delivery time.
     */
    private final Map<String, String> deliveryErrorsSeen = new ConcurrentHashMap<>();
    private final Reconciler reconciler;
    private final TrailGuardConfig config;
    private final AutomationExecutions executions;
    private final DrillSetup drill;
    private final DrillReport drillReport;

    /** Without baselines: stopped trails are restarted as they are, nothing is compared or recreated. */
    public SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                        TrailGuardConfig config) {
        this(reader, locator, remediator, notifier, config, ForwardingRules.NONE, RuleReenabler.none(),
                Reconciler.none(), Clock.systemUTC());
    }

    /** In a member account reached by the organization hub, also checks its forwarding rules. */
    public SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                        TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler,
                        Reconciler reconciler) {
        this(reader, locator, remediator, notifier, config, forwarding, reenabler, reconciler, Clock.systemUTC());
    }

    SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                 TrailGuardConfig config, Clock clock) {
        this(reader, locator, remediator, notifier, config, ForwardingRules.NONE, RuleReenabler.none(),
                Reconciler.none(), clock);
    }

    SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                 TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler, Reconciler reconciler,
                 Clock clock) {
        this(reader, locator, remediator, notifier, config, forwarding, reenabler, reconciler, null,
                DrillSetup.none(), clock);
    }

    /**
     * With the fire drill's canary: {@code executions} tells, at the drill's deadline, whether a runbook was started
     * for the drill at all.
     */
    public SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                        TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler,
                        Reconciler reconciler, AutomationExecutions executions, DrillSetup drill) {
        this(reader, locator, remediator, notifier, config, forwarding, reenabler, reconciler, executions, drill,
                Clock.systemUTC());
    }

    SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                 TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler, Reconciler reconciler,
                 AutomationExecutions executions, DrillSetup drill, Clock clock) {
        this.executions = executions;
        this.drill = drill;
        this.drillReport = new DrillReport(notifier, drill);
        this.reader = reader;
        this.locator = locator;
        this.notifier = notifier;
        this.restarter = new StoppedTrailRestarter(remediator, notifier, reconciler);
        this.scope = new GuardScope(config.guardedTrails());
        this.clock = clock;
        this.edge = new EventEdge(reader, notifier);
        this.forwarding = new ForwardingCheck(forwarding, reenabler, notifier);
        this.reconciler = reconciler;
        this.config = config;
    }

    /** Handles one scheduled event. */
    public Outcome handle(byte[] rawEvent) {
        return edge.handle(rawEvent, KIND, envelope -> {
            Events.requireRegion(envelope);
            return new Finding("Sweep", "Sweep", envelope.account(), envelope.region(), envelope.detailType(),
                    envelope.id(), envelope.time(), Events.time(envelope, clock));
        }, EventEdge.EventId.envelope(), (envelope, finding) -> sweep(finding));
    }

    private Outcome sweep(Finding finding) {
        List<Trail> trails = locator.listTrails();
        List<Outcome> items = new ArrayList<>();
        boolean hourly = Cadence.firstSweepOfPeriod(Optional.empty(), finding.now());
        for (TrailRef ref : scope.missing(trails, finding.region())) {
            items.add(missing(finding, ref, hourly));
        }
        GuardScope.Selection selection = scope.select(trails, finding.account(), finding.region());
        for (Trail trail : selection.candidates()) {
            MDC.put("trailArn", trail.arn());
            TrailStatus status = locator.status(trail);
            items.add(check(finding, trail, status, hourly));
        }
        MDC.remove("trailArn");
        // The canary records nothing: a region whose only logging trail is the canary records nothing either.
        if (selection.candidates().stream().allMatch(t -> drill.config().isCanary(t.arn()))) {
            noTrailLogging(finding, trails.stream().filter(t -> !drill.config().isCanary(t.arn())).toList(), hourly)
                    .ifPresent(items::add);
        }
        items.addAll(forwarding.check(finding, hourly));
        boolean healthy = items.stream().allMatch(i -> "LOGGING".equals(i.outcome())
                || "FORWARDING_OK".equals(i.outcome()));
        LOG.info("Sweep checked {} trail(s), skipped {}: {}", selection.candidates().size(),
                selection.skipped().size(), healthy ? "healthy" : "issues found");
        Outcome.Builder out = Outcome.of(healthy ? "HEALTHY" : "ISSUES_FOUND", finding.eventId());
        items.forEach(out::item);
        selection.skipped().forEach((arn, why) -> out.note("skipped " + arn + ": " + why));
        return out.build();
    }

    /**
     * No trail here is one TrailGuard acts on (none at all, or only trails homed elsewhere, owned by another account
     * or not guarded): is any of them recording this region? When every trail that covers the region was read and
     * none logs, or there is none, the region records nothing at all, whatever {@code TRAILGUARD_GUARDED_TRAILS} says
     * (a trail TrailGuard acts on is restarted, and that is notified on its own). A trail whose status cannot be read
     * from here (an organization trail, whose status the member may not read) is not known not to log, so it
     * suppresses the alarm rather than cause a false one every hour. The fire drill's canary is not among the trails
     * here: it logs, but records nothing.
     */
    private Optional<Outcome> noTrailLogging(Finding finding, List<Trail> trails, boolean hourly) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Trail trail : trails) {
            boolean covers = trail.multiRegion() || finding.region().equals(trail.homeRegion());
            if (!covers) {
                continue;
            }
            try {
                if (locator.status(trail).logging()) {
                    return Optional.empty();
                }
                checked.put(trail.arn(), "not logging");
            } catch (CallFailedException e) {
                LOG.info("Status of {} unreadable from here ({}): not known not to log", trail.arn(), e.getMessage());
                return Optional.empty();
            }
        }
        Outcome.Builder item = Outcome.of("NO_TRAIL_LOGGING", finding.eventId());
        if (!hourly) {
            return Optional.of(item.note("not notified again: reported on the first sweep of each hour").build());
        }
        Map<String, String> details = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, String> e : checked.entrySet()) {
            details.put("Trail " + (++n), e.getKey() + ": " + e.getValue());
        }
        Notification notification = finding.notification(Severity.CRITICAL, "NO_TRAIL_LOGGING")
                .headline("No trail logging in " + finding.region())
                .summary("No CloudTrail trail records account " + finding.account() + " in " + finding.region()
                        + (checked.isEmpty() ? ": DescribeTrails returns none that covers this region."
                        : ": every trail that covers it is stopped (listed below).")
                        + " API activity here is unrecorded. Create or start a trail (ideally multi-region) now.")
                .action(new Notification.Action("NO_TRAIL_LOGGING", checked.isEmpty()
                        ? "Reported only: there is no trail to start." : "Reported only: none of these trails is one "
                        + "TrailGuard acts on from here (homed elsewhere, another account's, or not guarded).", null,
                        null))
                .details(details)
                .build();
        return Optional.of(item.severity(notification.severity().name()).messageId(notifier.publish(notification))
                .build());
    }

    private Outcome check(Finding finding, Trail trail, TrailStatus status, boolean hourly) {
        Instant now = finding.now();
        if (drill.config().isCanary(trail.arn())) {
            Duration stoppedFor = status.logging() ? Duration.ZERO : status.stopLoggingTime()
                    .map(t -> Duration.between(t, now)).filter(d -> !d.isNegative()).orElse(drill.config().deadline());
            // Every sweep: the alarm "canary not restored within N minutes" watches this metric.
            drill.metrics().canaryStopped(finding.account(), trail.homeRegion(), stoppedFor);
            if (!status.logging()) {
                return canaryStopped(finding, trail, status, stoppedFor);
            }
        }
        String previousError = deliveryErrorsSeen.get(trail.arn());
        if (status.latestDeliveryError().isEmpty() || !status.logging()) {
            deliveryErrorsSeen.put(trail.arn(), "");
        }
        if (!status.logging()) {
            if (Cadence.withinGrace(status.stopLoggingTime(), now)) {
                LOG.info("{} stopped at {}: left to the event path for now", trail.arn(),
                        status.stopLoggingTime().orElse(null));
                return Outcome.of("STOP_RECENT", finding.eventId()).trail(trail.arn(), trail.homeRegion())
                        .note("stopped less than " + Cadence.GRACE.toMinutes() + " min ago: left to the event path")
                        .build();
            }
            boolean notify = Cadence.firstSweepOfPeriod(status.stopLoggingTime(), now);
            String why = "The scheduled sweep found trail " + trail.name() + " in " + trail.homeRegion()
                    + " not logging" + status.stopLoggingTime().map(t -> " since " + t).orElse(" (never started)")
                    + ". The event path did not restart it (its StopLogging event may never have been delivered).";
            return restarter.restart(finding, trail, status, why, notify,
                    Cadence.runbookOverdue(status.stopLoggingTime(), now), status.latestDeliveryError().map(e -> Map.of("Latest delivery error", e)).orElse(Map.of()));
        }
        Optional<Outcome> drifted = drift(finding, trail, status, hourly);
        if (drifted.isPresent()) {
            return drifted.get();
        }
        if (status.latestDeliveryError().isPresent()) {
            Outcome.Builder item = Outcome.of("DELIVERY_ERROR", finding.eventId())
                    .trail(trail.arn(), trail.homeRegion()).note(status.latestDeliveryError().get());
            boolean fresh = newDeliveryError(status, previousError, now);
            if (!hourly && !fresh) {
                deliveryErrorsSeen.put(trail.arn(), status.latestDeliveryError().get());
                return item.note("not notified again: reported when first seen and on the first sweep of each hour")
                        .build();
            }
            Notification n = finding.notification(Severity.HIGH, "DELIVERY_FAILING")
                    .trail(Finding.summary(trail))
                    .headline(trail.name() + " logs but cannot deliver")
                    .summary("Trail " + trail.name() + " is logging, but CloudTrail cannot deliver its log files ("
                            + status.latestDeliveryError().get() + "). Events are not reaching the bucket: check "
                            + "the bucket policy, the bucket's existence and the KMS key policy.")
                    .action(new Notification.Action("DELIVERY_ERROR_REPORTED",
                            "Reported only: TrailGuard does not change bucket or key policies.", null, null))
                    .detail("Latest delivery error", status.latestDeliveryError().get())
                    .detail("Last successful delivery", status.latestDeliveryTime().map(Instant::toString)
                            .orElse(null))
                    .detail("Why now", fresh ? "first sweep that sees this error" : "hourly reminder: it persists")
                    .build();
            String messageId = notifier.publish(n);
            // Only once told: when the notification fails, Lambda's retry of this sweep finds the error new again.
            deliveryErrorsSeen.put(trail.arn(), status.latestDeliveryError().get());
            return item.severity(n.severity().name()).messageId(messageId).build();
        }
        return Outcome.of("LOGGING", finding.eventId()).trail(trail.arn(), trail.homeRegion()).build();
    }

    /**
     * The canary is stopped. Until the drill's deadline that is the drill in progress and the event path's to answer
     * (the canary records nothing, so nothing goes unrecorded meanwhile). At the deadline the sweep restarts it like
     * any stopped trail and publishes one CRITICAL notification that names the stage that never happened: no runbook
     * started for the drill role since the stop means the event never arrived (or, as its own earlier notification
     * said, the TamperResponder could not start the runbook).
     */
    private Outcome canaryStopped(Finding finding, Trail trail, TrailStatus status, Duration stoppedFor) {
        Instant now = finding.now();
        Duration deadline = drill.config().deadline();
        if (stoppedFor.compareTo(deadline) < 0) {
            return Outcome.of("DRILL_IN_PROGRESS", finding.eventId()).trail(trail.arn(), trail.homeRegion())
                    .note("canary stopped " + stoppedFor.toSeconds() + " s ago, deadline " + deadline.toMinutes()
                            + " min: left to the event path").build();
        }
        Instant stoppedAt = status.stopLoggingTime().orElse(now.minus(deadline));
        DrillStage stage;
        String why;
        boolean drillRunbookStarted = false;
        try {
            int started = executions == null ? 0 : executions.countStartedFor(drill.config().drillRoleArn(),
                    stoppedAt, trail.homeRegion(), 10);
            drillRunbookStarted = started > 0;
            stage = started == 0 ? DrillStage.EVENT_NEVER_ARRIVED : DrillStage.NOT_RESTORED;
            why = started == 0 ? "no runbook execution was started for the drill role's stop since " + stoppedAt
                    + "; if a DRILL_FAILED notification named RUNBOOK_NOT_STARTED, the event did arrive"
                    : started + " runbook execution(s) started since " + stoppedAt
                    + ", and the canary is still not logging (see their DRILL_FAILED notification)";
        } catch (CallFailedException e) {
            stage = DrillStage.EVENT_NEVER_ARRIVED;
            why = "the canary is still stopped; the drill's executions could not be listed (" + e.getMessage() + ")";
        }
        boolean firstPastDeadline = stoppedFor.compareTo(deadline.plus(Cadence.SWEEP_INTERVAL)) < 0;
        // Overdue bypasses SSM (DirectStartFallback): only once a runbook for this stop has had its time, the drill's
        // own or this sweep's from the first sweep past the deadline. Before that nothing was started, so SSM is asked.
        boolean overdue = Cadence.runbookOverdue(status.stopLoggingTime(), now)
                && (drillRunbookStarted || !firstPastDeadline);
        Outcome restarted = restarter.restart(finding, trail, status, "The scheduled sweep found the canary trail "
                + trail.name() + " stopped since " + stoppedAt + ", past the drill deadline.", false, overdue,
                Map.of());
        boolean notify = firstPastDeadline || Cadence.firstSweepOfPeriod(status.stopLoggingTime(), now);
        if (!notify) {
            return restarted;
        }
        DrillMeasurement m = new DrillMeasurement(finding.account(), trail.homeRegion(), trail.arn(),
                restarted.executionId(), stoppedAt, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        return drillReport.overdue(m, stage, why, "The sweep restarted the canary: " + restarted.outcome(),
                finding.eventId()).item(restarted).build();
    }

    /**
     * True if the delivery error is new since the previous sweep. This instance's own last sweep decides when it saw
     * the trail (a different or no error then); after a cold start the last successful delivery does: CloudTrail
     * delivers every few minutes, so a success within {@link Cadence#NEW_DELIVERY_ERROR} means the failures began
     * after the previous sweep (a sweep that sees it twice across a cold start notifies twice: at least once).
     */
    static boolean newDeliveryError(TrailStatus status, String previousError, Instant now) {
        String error = status.latestDeliveryError().orElse("");
        if (previousError != null) {
            return !error.isEmpty() && !error.equals(previousError);
        }
        return status.latestDeliveryTime()
                .filter(t -> java.time.Duration.between(t, now).compareTo(Cadence.NEW_DELIVERY_ERROR) < 0)
                .isPresent();
    }

    /**
     * A logging trail compared with its baseline. After a recent blind window (stopped, then logging again within
     * {@link Cadence#DRIFT_HORIZON}) the whole baseline from before the stop counts: what changed in that window
     * produced no event. Otherwise only the declared baseline counts: every change since was seen by the event path,
     * which reverted it or kept it for an authorized role, and AWS Config records an authorized change minutes late.
     */
    private Optional<Outcome> drift(Finding finding, Trail trail, TrailStatus status, boolean hourly) {
        Optional<Instant> windowStart = Cadence.recentBlindWindow(status, finding.now());
        TrailId id = new TrailId(trail.arn(), trail.name(), trail.homeRegion());
        Reconciler.Check check = reconciler.compare(id, windowStart.orElse(finding.now()), windowStart.isEmpty());
        if (!check.differs()) {
            return Optional.empty();
        }
        String key = Cadence.hourlyKey("drift/" + trail.arn() + "/" + windowStart.map(Instant::toString)
                .orElse("declared"), finding.now());
        String found = "The scheduled sweep found trail " + trail.name() + " in " + trail.homeRegion()
                + " logging, but different from its baseline"
                + windowStart.map(t -> " from before it stopped at " + t + " (changes made while it did not log "
                + "produce no event)").orElse(" as declared") + ".";
        RemediationStart start;
        try {
            start = reconciler.restore(id, check, key, finding.trigger());
        } catch (UnrestorableBaselineException | CallFailedException e) {
            LOG.error("{} could not start for drifted {}: {}", TrailRestorer.RESTORE_RUNBOOK, trail.arn(),
                    e.getMessage());
            Outcome.Builder item = Outcome.of("RESTORE_NOT_STARTED", finding.eventId())
                    .trail(trail.arn(), trail.homeRegion()).note(e.getMessage());
            if (!hourly) {
                return Optional.of(item.note("not notified again: reported on the first sweep of each hour").build());
            }
            Notification n = finding.notification(Severity.CRITICAL, "TRAIL_DRIFTED")
                    .trail(Finding.summary(trail))
                    .headline(trail.name() + " differs from its baseline, restore could not start")
                    .summary(found + " TrailGuard could not start " + TrailRestorer.RESTORE_RUNBOOK + ": "
                            + e.getMessage() + ". Put the baseline below back by hand.")
                    .action(new Notification.Action("RESTORE_NOT_STARTED", "Restore could not start: "
                            + e.getMessage(), null, null))
                    .details(check.details(false))
                    .build();
            return Optional.of(item.severity(n.severity().name()).messageId(notifier.publish(n)).build());
        }
        String outcome = Reconciler.outcome(start, false);
        LOG.info("{} for drifted {} in {} (execution {})", outcome, trail.arn(), start.region(),
                start.executionId().orElse("-"));
        Outcome.Builder item = Outcome.of(outcome, finding.eventId()).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun());
        // One execution per hour: notified when it starts (and hourly while it persists).
        if (start.alreadyStarted() && !hourly) {
            return Optional.of(item.note("not notified again: restore already started this hour").build());
        }
        Notification n = finding.notification(Severity.HIGH, "TRAIL_DRIFTED")
                .trail(Finding.summary(trail))
                .headline(trail.name() + " differs from its baseline, restore started")
                .summary(found + " It records less, or elsewhere, than its baseline until the restore completes; a "
                        + "follow-up notification confirms it.")
                .action(new Notification.Action(outcome, start.describe(TrailRestorer.RESTORE_RUNBOOK,
                        "to put the baseline back", "for this drift within this hour"),
                        start.executionId().orElse(null), start.region()))
                .details(check.details(true))
                .build();
        return Optional.of(item.severity(n.severity().name()).messageId(notifier.publish(n)).build());
    }

    /**
     * A guarded trail that DescribeTrails does not return: recreated from its baseline when TrailGuard knows the
     * trail lived here (its ARN names this region, or AWS Config recorded it here), else reported.
     */
    private Outcome missing(Finding finding, TrailRef ref, boolean hourly) {
        String region = ref.region().orElse(finding.region());
        TrailId id;
        try {
            id = ref.isArn() ? new TrailId(ref.value(), ref.name(), region)
                    : new TrailId(TrailRef.parse("arn:" + config.partition() + ":cloudtrail:" + region + ":"
                    + finding.account() + ":trail/" + ref.name()).value(), ref.name(), region);
        } catch (InvalidTrailReferenceException e) {
            return reportMissing(finding, ref, hourly, "its ARN cannot be built (" + e.getMessage() + ")",
                    Baseline.none());
        }
        Baseline baseline = reconciler.baselineOf(id, finding.now());
        if (baseline.settings().isEmpty()) {
            return reportMissing(finding, ref, hourly, "there are no baseline settings to recreate it from (none "
                    + "declared, and no AWS Config item)", baseline);
        }
        if (!ref.isArn() && !baseline.settingsRecordedByConfig()) {
            return reportMissing(finding, ref, hourly, "its home region is not known (a bare name with a declared "
                    + "baseline only; name it by ARN in " + TrailGuardConfig.GUARDED_TRAILS + " to let the sweep "
                    + "recreate it)", baseline);
        }
        String key = Cadence.hourlyKey("recreate/" + id.arn(), finding.now());
        String found = "Trail " + ref.name() + " is listed in " + TrailGuardConfig.GUARDED_TRAILS + " but "
                + "DescribeTrails in " + finding.region() + " does not return it: it was deleted (a DeleteTrail "
                + "made while nothing logged produces no event). Nothing records through it.";
        RemediationStart start;
        try {
            start = reconciler.recreate(id, baseline, key, finding.trigger());
        } catch (UnrestorableBaselineException | CallFailedException e) {
            LOG.error("{} could not start for {}: {}", TrailRestorer.RECREATE_RUNBOOK, id.arn(), e.getMessage());
            return reportMissing(finding, ref, hourly, TrailRestorer.RECREATE_RUNBOOK + " could not start ("
                    + e.getMessage() + ")", baseline);
        }
        String outcome = Reconciler.outcome(start, true);
        LOG.info("{} for {} in {} (execution {})", outcome, id.arn(), start.region(), start.executionId().orElse("-"));
        Outcome.Builder item = Outcome.of(outcome, finding.eventId()).trail(id.arn(), region)
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun());
        if (start.alreadyStarted() && !hourly) {
            return item.note("not notified again: recreate already started this hour").build();
        }
        Notification n = finding.notification(Severity.CRITICAL, "GUARDED_TRAIL_MISSING")
                .trail(new Notification.TrailSummary(id.arn(), ref.name(), region, false))
                .headline("Guarded trail " + ref.name() + " missing, recreate started")
                .summary(found + " TrailGuard recreates it from its baseline (or restores it, if a trail of that "
                        + "name exists by then); a follow-up notification confirms it.")
                .action(new Notification.Action(outcome, start.describe(TrailRestorer.RECREATE_RUNBOOK,
                        "to recreate the trail from its baseline and start logging", "for this trail within this "
                        + "hour"), start.executionId().orElse(null), start.region()))
                .details(baseline.provenance())
                .build();
        return item.severity(n.severity().name()).messageId(notifier.publish(n)).build();
    }

    private Outcome reportMissing(Finding finding, TrailRef ref, boolean hourly, String why, Baseline baseline) {
        Outcome.Builder item = Outcome.of("GUARDED_TRAIL_MISSING", finding.eventId())
                .trail(ref.value(), ref.region().orElse(finding.region()));
        if (!hourly) {
            return item.note("not notified again: reported on the first sweep of each hour").build();
        }
        Notification n = finding.notification(Severity.CRITICAL, "GUARDED_TRAIL_MISSING")
                .trail(new Notification.TrailSummary(ref.value(), ref.name(), ref.region().orElse(finding.region()),
                        false))
                .headline("Guarded trail " + ref.name() + " missing")
                .summary("Trail " + ref.name() + " is listed in " + TrailGuardConfig.GUARDED_TRAILS + " but "
                        + "DescribeTrails in " + finding.region() + " does not return it: it was deleted or never "
                        + "created. Nothing records through it. TrailGuard did not recreate it: " + why
                        + ". Recreate it from your infrastructure code.")
                .action(new Notification.Action("GUARDED_TRAIL_MISSING",
                        "Reported only: " + why + ".", null, null))
                .details(baseline.provenance())
                .build();
        return item.severity(n.severity().name()).messageId(notifier.publish(n)).build();
    }
}
