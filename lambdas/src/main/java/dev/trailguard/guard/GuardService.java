package dev.trailguard.guard;

import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.edge.EventEdge;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.event.UserIdentity;
import dev.trailguard.notify.CallNotifications;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.restore.GapReport;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Guards the guard: a call against TrailGuard's own resources is an attacker's likely first step before stopping a
 * trail in silence, so it gets an immediate critical notification. A disabled rule is re-enabled through SSM
 * Automation; everything else (deleted functions, rules, roles, topics) needs the stack redeployed, which TrailGuard
 * cannot do for itself. Calls by TrailGuard's own roles are ignored; calls by deployment and break-glass roles are
 * reported at medium severity; calls that failed are reported as attempts.
 */
public final class GuardService {

    static final String DETAIL_TYPE = EventTypes.API_CALL;
    static final EventEdge.Kind KIND = new EventEdge.Kind("event about TrailGuard's own resources",
            GuardClassifier.SOURCES, DETAIL_TYPE);

    private static final Logger LOG = LoggerFactory.getLogger(GuardService.class);

    private final EventReader reader;
    private final Notifier notifier;
    private final TrailGuardConfig config;
    private final ResponseConfig response;
    private final GuardClassifier classifier;
    private final RuleReenabler reenabler;
    private final EventEdge edge;

    public GuardService(EventReader reader, Notifier notifier, TrailGuardConfig config, ResponseConfig response,
                        RuleReenabler reenabler) {
        this.reader = reader;
        this.notifier = notifier;
        this.config = config;
        this.response = response;
        this.classifier = new GuardClassifier(config, response);
        this.reenabler = reenabler;
        this.edge = new EventEdge(reader, notifier);
    }

    /** True if the event is a CloudTrail call from one of the watched services (not from CloudTrail itself). */
    public boolean accepts(byte[] rawEvent) {
        try {
            return KIND.matches(reader.envelope(rawEvent));
        } catch (UnreadableEventException e) {
            return false;
        }
    }

    /** Handles one accepted event. */
    public Outcome handle(byte[] rawEvent) {
        return edge.handle(rawEvent, KIND, reader::cloudTrailRecord, (envelope, record) -> record.eventId(),
                this::respond);
    }

    private Outcome respond(EventEnvelope envelope, CloudTrailRecord record) {
        MDC.put("eventName", record.eventName());
        UserIdentity who = record.userIdentity();
        // TrailGuard's runbooks make none of the watched calls (TrailGuard-EnableRule calls EnableRule and
        // DescribeRule only), so one made with the automation role is someone borrowing it: never ignored.
        if (config.isOwnRole(who.arn(), who.sessionIssuerArn())
                && !config.isAutomationRole(who.arn(), who.sessionIssuerArn())) {
            return Outcome.of("IGNORED_OWN_ACTION", record.eventId()).build();
        }
        Optional<GuardFinding> found = classifier.classify(record);
        if (found.isEmpty()) {
            // The rule's pattern already narrows to TrailGuard's names; this is someone else's resource.
            LOG.info("{} {} does not touch TrailGuard's resources", record.eventSource(), record.eventName());
            return Outcome.of("NOT_TRAILGUARD_RESOURCE", record.eventId()).build();
        }
        GuardFinding f = found.get();
        String call = GuardClassifier.operation(record);
        String actor = record.actorName();
        if (record.failed()) {
            Notification n = base(Severity.HIGH, "GUARD_ATTEMPT_BLOCKED", envelope, record)
                    .headline(call + " on TrailGuard's " + f.component() + " attempted, blocked")
                    .summary(actor + " tried " + call + " on " + f.resource() + " and the call failed ("
                            + record.errorCode() + "). Someone is probing the guard.")
                    .action(new Notification.Action("ATTEMPT_BLOCKED", "Nothing done: the call failed.", null, null))
                    .detail("Resource", f.component() + " " + f.resource())
                    .detail("Error code", record.errorCode())
                    .build();
            return published("ATTEMPT_BLOCKED", record, n);
        }
        if (response.isAuthorized(who.arn(), who.sessionIssuerArn())) {
            Notification n = base(Severity.MEDIUM, "GUARD_CHANGED", envelope, record)
                    .headline(call + " on TrailGuard's " + f.component() + " by an authorized role")
                    .summary(actor + " called " + call + " on " + f.resource() + ": " + f.effect() + ". The caller "
                            + "is a deployment or break-glass role; confirm it was planned.")
                    .action(new Notification.Action("AUTHORIZED_CHANGE", "Kept: made by an authorized role.", null,
                            null))
                    .detail("Resource", f.component() + " " + f.resource())
                    .detail("Effect", f.effect())
                    .build();
            return published("AUTHORIZED_CHANGE", record, n);
        }
        Notification.Action action;
        String outcome;
        if (f.reenable()) {
            String region = record.awsRegion() != null ? record.awsRegion() : envelope.region();
            String bus = record.requestParameters() == null ? null
                    : record.requestParameters().path("eventBusName").asText(null);
            try {
                RemediationStart start = reenabler.reenable(f.resource(), bus, region, record.eventId());
                start.executionId().ifPresent(id -> MDC.put("executionId", id));
                outcome = start.dryRun() ? "WOULD_REENABLE_RULE" : start.alreadyStarted()
                        ? "REENABLE_ALREADY_STARTED" : "REENABLE_STARTED";
                action = new Notification.Action(outcome, (start.dryRun() ? "Dry run: would start " : start
                        .alreadyStarted() ? "Already started " : "Started ") + RuleReenabler.RUNBOOK + " in "
                        + region + " to enable the rule again.", start.executionId().orElse(null), region);
            } catch (CallFailedException | UnsupportedOperationException e) {
                outcome = "REENABLE_NOT_STARTED";
                action = new Notification.Action(outcome, "Could not start " + RuleReenabler.RUNBOOK + ": "
                        + e.getMessage() + ". Enable the rule by hand now.", null, null);
            }
        } else {
            outcome = "GUARD_TAMPERED";
            action = new Notification.Action(outcome, "Reported only: redeploy the TrailGuard stack to put "
                    + f.component() + " " + f.resource() + " back, then check every trail.", null, null);
        }
        Notification n = base(Severity.CRITICAL, "GUARD_TAMPERED", envelope, record)
                .headline(call + " on TrailGuard's " + f.component())
                .summary(actor + " called " + call + " on " + f.resource() + ": " + f.effect() + ". Tampering "
                        + "with the guard often comes just before stopping or weakening a trail. Check the trails "
                        + "now; TrailGuard may not see what follows.")
                .action(action)
                .detail("Resource", f.component() + " " + f.resource())
                .detail("Effect", f.effect())
                .details(GapReport.details(record, "TrailGuard impaired", response))
                .build();
        LOG.warn("{} on TrailGuard {} {}: {}", call, f.component(), f.resource(), outcome);
        return published(outcome, record, n);
    }

    private Outcome published(String outcome, CloudTrailRecord record, Notification n) {
        String messageId = notifier.publish(n);
        return Outcome.of(outcome, record.eventId()).severity(n.severity().name()).messageId(messageId).build();
    }

    private static Notification.Builder base(Severity severity, String kind, EventEnvelope envelope,
                                             CloudTrailRecord record) {
        return CallNotifications.about(severity, kind, envelope, record);
    }
}
