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
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The scheduled backstop. CloudTrail tamper events need a logging trail to be delivered at all, so once the only
 * trail is stopped the event path can go blind; every few minutes this checks each trail it may act on and
 * restarts what the event path missed, reports trails that log but cannot deliver, and guarded trails that are gone.
 * A healthy sweep publishes nothing.
 *
 * <p>A problem that persists is acted on again at the {@link Cadence}: a stopped trail gets one new runbook
 * execution and one notification per hour; a delivery error or a missing guarded trail one notification per hour
 * (on the first sweep of each UTC hour, so the first notice may take up to an hour: the event path reports
 * DeleteTrail immediately).
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
    private final AutomationExecutions executions;
    private final DrillSetup drill;
    private final DrillReport drillReport;

    public SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                        TrailGuardConfig config) {
        this(reader, locator, remediator, notifier, config, ForwardingRules.NONE, RuleReenabler.none(),
                Clock.systemUTC());
    }

    /** In a member account reached by the organization hub, also checks its forwarding rules. */
    public SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                        TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler) {
        this(reader, locator, remediator, notifier, config, forwarding, reenabler, Clock.systemUTC());
    }

    SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                 TrailGuardConfig config, Clock clock) {
        this(reader, locator, remediator, notifier, config, ForwardingRules.NONE, RuleReenabler.none(), clock);
    }

    SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                 TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler, Clock clock) {
        this(reader, locator, remediator, notifier, config, forwarding, reenabler, null, DrillSetup.none(), clock);
    }

    /**
     * With the fire drill's canary: {@code executions} tells, at the drill's deadline, whether a runbook was started
     * for the drill at all.
     */
    public SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                        TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler,
                        AutomationExecutions executions, DrillSetup drill) {
        this(reader, locator, remediator, notifier, config, forwarding, reenabler, executions, drill,
                Clock.systemUTC());
    }

    SweepService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                 TrailGuardConfig config, ForwardingRules forwarding, RuleReenabler reenabler,
                 AutomationExecutions executions, DrillSetup drill, Clock clock) {
        this.executions = executions;
        this.drill = drill;
        this.drillReport = new DrillReport(notifier, drill);
        this.reader = reader;
        this.locator = locator;
        this.notifier = notifier;
        this.restarter = new StoppedTrailRestarter(remediator, notifier);
        this.scope = new GuardScope(config.guardedTrails());
        this.clock = clock;
        this.edge = new EventEdge(reader, notifier);
        this.forwarding = new ForwardingCheck(forwarding, reenabler, notifier);
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
        if (status.latestDeliveryError().isPresent()) {
            Outcome.Builder item = Outcome.of("DELIVERY_ERROR", finding.eventId())
                    .trail(trail.arn(), trail.homeRegion()).note(status.latestDeliveryError().get());
            if (!hourly) {
                return item.note("not notified again: reported on the first sweep of each hour").build();
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
                    .build();
            return item.severity(n.severity().name()).messageId(notifier.publish(n)).build();
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
        try {
            int started = executions == null ? 0 : executions.countStartedFor(drill.config().drillRoleArn(),
                    stoppedAt, trail.homeRegion(), 10);
            stage = started == 0 ? DrillStage.EVENT_NEVER_ARRIVED : DrillStage.NOT_RESTORED;
            why = started == 0 ? "no runbook execution was started for the drill role's stop since " + stoppedAt
                    + "; if a DRILL_FAILED notification named RUNBOOK_NOT_STARTED, the event did arrive"
                    : started + " runbook execution(s) started since " + stoppedAt
                    + ", and the canary is still not logging (see their DRILL_FAILED notification)";
        } catch (CallFailedException e) {
            stage = DrillStage.EVENT_NEVER_ARRIVED;
            why = "the canary is still stopped; the drill's executions could not be listed (" + e.getMessage() + ")";
        }
        Outcome restarted = restarter.restart(finding, trail, status, "The scheduled sweep found the canary trail "
                + trail.name() + " stopped since " + stoppedAt + ", past the drill deadline.", false,
                Cadence.runbookOverdue(status.stopLoggingTime(), now), Map.of());
        boolean notify = stoppedFor.compareTo(deadline.plus(Cadence.SWEEP_INTERVAL)) < 0
                || Cadence.firstSweepOfPeriod(status.stopLoggingTime(), now);
        if (!notify) {
            return restarted;
        }
        DrillMeasurement m = new DrillMeasurement(finding.account(), trail.homeRegion(), trail.arn(),
                restarted.executionId(), stoppedAt, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        return drillReport.overdue(m, stage, why, "The sweep restarted the canary: " + restarted.outcome(),
                finding.eventId()).item(restarted).build();
    }

    private Outcome missing(Finding finding, TrailRef ref, boolean hourly) {
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
                        + "created. Nothing records through it. Recreate it from your infrastructure code.")
                .action(new Notification.Action("GUARDED_TRAIL_MISSING",
                        "Reported only: TrailGuard does not recreate trails.", null, null))
                .build();
        return item.severity(n.severity().name()).messageId(notifier.publish(n)).build();
    }
}
