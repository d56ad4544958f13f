package dev.trailguard.guard;

import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.SelfGuardConfig;
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
import dev.trailguard.remediation.SelfRepair;
import dev.trailguard.restore.GapReport;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Guards the guard: a call against TrailGuard's own resources is an attacker's likely first step before stopping a
 * trail in silence, so it gets an immediate critical notification. A disabled rule is re-enabled through SSM
 * Automation; a rule whose pattern, schedule or targets changed (or that was deleted) is put back from its deployed
 * definition; removed or filtered subscriptions are put back from the configured ones. Everything else (deleted
 * functions, roles, topics, a disabled topic key) needs the stack redeployed or a person, which TrailGuard cannot do
 * for itself. A call that can silence the notification path (topic, topic key, subscriptions) is also reported through
 * the second channel, which depends on neither that topic nor its key. Calls by TrailGuard's own roles are ignored;
 * calls by deployment and break-glass roles are reported at medium severity; calls that failed are reported as
 * attempts.
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
    private final SelfGuardConfig self;
    private final SelfRepair repair;
    private final Notifier secondChannel;
    private final EventEdge edge;

    /** Without rule and subscription restores and without a second channel (an older stack). */
    public GuardService(EventReader reader, Notifier notifier, TrailGuardConfig config, ResponseConfig response,
                        RuleReenabler reenabler) {
        this(reader, notifier, config, response, reenabler, SelfGuardConfig.none(), SelfRepair.none(), null);
    }

    /**
     * @param secondChannel the second channel's notifier, null when none is deployed
     */
    public GuardService(EventReader reader, Notifier notifier, TrailGuardConfig config, ResponseConfig response,
                        RuleReenabler reenabler, SelfGuardConfig self, SelfRepair repair, Notifier secondChannel) {
        this.reader = reader;
        this.notifier = notifier;
        this.config = config;
        this.response = response;
        this.classifier = new GuardClassifier(config, response, self);
        this.reenabler = reenabler;
        this.self = self;
        this.repair = repair;
        this.secondChannel = secondChannel;
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

    /**
     * True if the event is a KMS call on the notification topic's key: the delivery response also takes KMS calls
     * (on the trails' keys) and must leave this one to the guard.
     */
    public boolean claimsKeyEvent(byte[] rawEvent) {
        try {
            EventEnvelope envelope = reader.envelope(rawEvent);
            if (!KIND.matches(envelope)) {
                return false;
            }
            CloudTrailRecord record = reader.cloudTrailRecord(envelope);
            return "kms.amazonaws.com".equals(record.eventSource()) && classifier.classify(record).isPresent();
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
        Notification.Action action = switch (f.repair()) {
            case REENABLE_RULE -> reenable(f, envelope, record);
            case RESTORE_RULE -> restoreRule(f, record);
            case RESTORE_SUBSCRIPTIONS -> restoreSubscriptions(f);
            case REPAIR_TOPIC_KEY -> repairTopicKey(f, call, record.awsRegion() != null ? record.awsRegion()
                    : envelope.region());
            case NONE -> new Notification.Action("GUARD_TAMPERED", "Reported only: redeploy the TrailGuard stack to "
                    + "put " + f.component() + " " + f.resource() + " back, then check every trail.", null, null);
        };
        String outcome = action.outcome();
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
        return f.notificationPath() ? publishedTwice(outcome, record, n) : published(outcome, record, n);
    }

    private Notification.Action reenable(GuardFinding f, EventEnvelope envelope, CloudTrailRecord record) {
        String region = record.awsRegion() != null ? record.awsRegion() : envelope.region();
        String bus = record.requestParameters() == null ? null
                : record.requestParameters().path("eventBusName").asText(null);
        try {
            RemediationStart start = reenabler.reenable(f.resource(), bus, region, record.eventId());
            start.executionId().ifPresent(id -> MDC.put("executionId", id));
            String outcome = start.dryRun() ? "WOULD_REENABLE_RULE" : start.alreadyStarted()
                    ? "REENABLE_ALREADY_STARTED" : "REENABLE_STARTED";
            return new Notification.Action(outcome, (start.dryRun() ? "Dry run: would start " : start
                    .alreadyStarted() ? "Already started " : "Started ") + RuleReenabler.RUNBOOK + " in "
                    + region + " to enable the rule again.", start.executionId().orElse(null), region);
        } catch (CallFailedException | UnsupportedOperationException e) {
            return new Notification.Action("REENABLE_NOT_STARTED", "Could not start " + RuleReenabler.RUNBOOK + ": "
                    + e.getMessage() + ". Enable the rule by hand now.", null, null);
        }
    }

    private Notification.Action restoreRule(GuardFinding f, CloudTrailRecord record) {
        // The hub's routing rules live on the hub bus: PutRule, PutTargets and RemoveTargets name it.
        String bus = record.requestParameters() == null ? null
                : record.requestParameters().path("eventBusName").asText(null);
        try {
            List<String> changes = repair.rules().restore(f.resource(), bus);
            if (changes.isEmpty()) {
                return new Notification.Action("RULE_AS_DEPLOYED", "Compared the rule with its deployed definition:"
                        + " nothing differs now (changed back already, or the call changed nothing that matters).",
                        null, null);
            }
            return new Notification.Action("RULE_RESTORED", "Put the rule back as deployed: "
                    + String.join("; ", changes) + ".", null, null);
        } catch (CallFailedException | UnsupportedOperationException e) {
            LOG.error("Could not restore rule {}: {}", f.resource(), e.getMessage());
            return new Notification.Action("RULE_NOT_RESTORED", "Could not put the rule back from its deployed "
                    + "definition: " + e.getMessage() + ". Redeploy the TrailGuard stack now.", null, null);
        }
    }

    private Notification.Action restoreSubscriptions(GuardFinding f) {
        String topic = topicOf(f.resource());
        try {
            List<String> changes = repair.subscriptions().restore(topic, self.subscriptions());
            if (changes.isEmpty()) {
                return new Notification.Action("SUBSCRIPTIONS_AS_CONFIGURED", "Compared the topic's subscriptions "
                        + "with the configured ones: all present, no filter policy.", null, null);
            }
            return new Notification.Action("SUBSCRIPTIONS_RESTORED", "Put the configured subscriptions back: "
                    + String.join("; ", changes) + ".", null, null);
        } catch (CallFailedException | UnsupportedOperationException e) {
            LOG.error("Could not restore the subscriptions of {}: {}", topic, e.getMessage());
            return new Notification.Action("SUBSCRIPTIONS_NOT_RESTORED", "Could not put the configured "
                    + "subscriptions back: " + e.getMessage() + ". Redeploy the TrailGuard stack now.", null, null);
        }
    }

    /**
     * Makes the topic's key usable again: {@code CancelKeyDeletion} (which leaves it disabled) after
     * {@code ScheduleKeyDeletion}, then {@code EnableKey}. The alert itself goes through the second channel, which does
     * not depend on this key.
     */
    private Notification.Action repairTopicKey(GuardFinding f, String call, String region) {
        List<String> done = new java.util.ArrayList<>();
        try {
            if (call.equals("ScheduleKeyDeletion")) {
                repair.keys().cancelKeyDeletion(f.resource(), region);
                done.add("CancelKeyDeletion");
            }
            repair.keys().enableKey(f.resource(), region);
            done.add("EnableKey");
            return new Notification.Action("TOPIC_KEY_REPAIRED", "Made the topic's key usable again: "
                    + String.join(", then ", done) + " on " + f.resource() + ". Notifications published while it was "
                    + "disabled were lost; check the trails now.", null, null);
        } catch (CallFailedException | UnsupportedOperationException e) {
            LOG.error("Could not repair the topic key {}: {}", f.resource(), e.getMessage());
            return new Notification.Action("TOPIC_KEY_NOT_REPAIRED", (done.isEmpty() ? "" : "Done: "
                    + String.join(", ", done) + ". ") + "Could not make the topic's key usable again: " + e.getMessage()
                    + ". Cancel its deletion and enable it by hand now (aws kms cancel-key-deletion, aws kms "
                    + "enable-key).", null, null);
        }
    }

    /** The topic of a subscription ARN (the topic ARN plus {@code :<id>}). */
    private static String topicOf(String subscriptionArn) {
        return subscriptionArn.split(":").length > 6 ? subscriptionArn.substring(0, subscriptionArn.lastIndexOf(':'))
                : subscriptionArn;
    }

    /**
     * The notification path itself is under attack: the second channel first (its failure is retried by Lambda and
     * ends in the failure queue), then the topic as usual, whose failure is expected here and only logged.
     */
    private Outcome publishedTwice(String outcome, CloudTrailRecord record, Notification n) {
        if (secondChannel == null) {
            return published(outcome, record, n);
        }
        String messageId = secondChannel.publish(n);
        try {
            notifier.publish(n);
        } catch (CallFailedException e) {
            LOG.error("The notification topic refused the alert about its own notification path ({}); it went "
                    + "through the second channel only", e.getMessage());
        }
        return Outcome.of(outcome, record.eventId()).severity(n.severity().name()).messageId(messageId).build();
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
