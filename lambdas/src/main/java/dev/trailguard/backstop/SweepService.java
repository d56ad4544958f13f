package dev.trailguard.backstop;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.edge.EventEdge;
import dev.trailguard.event.EventReader;
import dev.trailguard.member.ForwardingRules;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
 * restarts what the event path missed, reports trails that log but cannot deliver, and guarded trails that are gone.
 * A healthy sweep publishes nothing.
 *
 * <p>A problem that persists is acted on again at the {@link Cadence}: a stopped trail gets one new runbook
 * execution and one notification per hour; a missing guarded trail one notification per hour (on the first sweep of
 * each UTC hour: the event path reports DeleteTrail immediately). A delivery error is notified on the first sweep
 * that sees it new (see {@link #newDeliveryError}) and then once an hour while it persists.
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
