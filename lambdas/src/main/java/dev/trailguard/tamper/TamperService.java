package dev.trailguard.tamper;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.contract.TamperCalls;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.event.UserIdentity;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.RestoreService;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Responds to CloudTrail tamper calls: a successful {@code StopLogging} starts the runbook in the trail's home region;
 * a successful {@code DeleteTrail}, {@code UpdateTrail} or {@code Put*Selectors} goes to the {@link RestoreService};
 * failed calls are reported. Every path ends in exactly one notification (or, when even that fails, an exception
 * so that Lambda's retries and the dead-letter queue take over), except TrailGuard's own calls, which are ignored.
 */
public final class TamperService {

    /** The calls that tamper with a trail; the EventBridge rule forwards exactly these. */
    public static final Set<String> TAMPER_EVENTS = Set.copyOf(TamperCalls.ALL);

    static final String SOURCE = EventTypes.CLOUDTRAIL_SOURCE;
    static final String DETAIL_TYPE = EventTypes.API_CALL;
    static final String EVENT_SOURCE = EventTypes.CLOUDTRAIL_EVENT_SOURCE;

    private static final Logger LOG = LoggerFactory.getLogger(TamperService.class);
    /** This many stops by one actor within {@link #REPEAT_WINDOW} (this one included) is repeated tampering. */
    static final int REPEAT_THRESHOLD = 3;
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(15);

    private final EventReader reader;
    private final TrailLocator locator;
    private final Remediator remediator;
    private final Notifier notifier;
    private final AutomationExecutions executions;
    private final TrailGuardConfig config;
    private final RestoreService restore;
    private final LoopGuard loopGuard;

    public TamperService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                         AutomationExecutions executions, TrailGuardConfig config, RestoreService restore) {
        this.reader = reader;
        this.locator = locator;
        this.remediator = remediator;
        this.notifier = notifier;
        this.executions = executions;
        this.config = config;
        this.restore = restore;
        this.loopGuard = new LoopGuard(config, executions);
    }

    /** Handles one event as delivered by EventBridge. */
    public Outcome handle(byte[] rawEvent) {
        EventEnvelope envelope = null;
        CloudTrailRecord record;
        try {
            envelope = reader.envelope(rawEvent);
            if (!SOURCE.equals(envelope.source()) || !DETAIL_TYPE.equals(envelope.detailType())) {
                throw new UnreadableEventException("unexpected event source '" + envelope.source()
                        + "' / detail-type '" + envelope.detailType() + "'", envelope.id());
            }
            record = reader.cloudTrailRecord(envelope);
        } catch (UnreadableEventException e) {
            return unreadable(e, envelope);
        }
        MDC.put("eventId", record.eventId());
        MDC.put("eventName", record.eventName());
        try {
            return respond(envelope, record);
        } catch (AwsCallFailedException e) {
            // Only the notifier's failure gets here: let Lambda retry and dead-letter the event.
            throw e;
        } catch (RuntimeException e) {
            // A defect must not swallow a tamper event: report it, with the stack trace in the log.
            LOG.error("Internal error handling {} {}", record.eventName(), record.eventId(), e);
            return unreadable(new UnreadableEventException("internal error: " + e.getClass().getSimpleName(),
                    record.eventId(), e), envelope, "INTERNAL_ERROR");
        } finally {
            MDC.remove("trailArn");
            MDC.remove("executionId");
            MDC.remove("eventName");
            MDC.remove("eventId");
        }
    }

    private Outcome respond(EventEnvelope envelope, CloudTrailRecord record) {
        LoopGuard.Verdict verdict = loopGuard.check(record,
                record.awsRegion() != null ? record.awsRegion() : envelope.region());
        switch (verdict.kind()) {
            case OWN -> {
                LOG.info("Ignoring {} by TrailGuard's own role {}: {}", record.eventName(),
                        record.userIdentity().sessionIssuerArn(), verdict.reason());
                return Outcome.of("IGNORED_OWN_ACTION", record.eventId()).build();
            }
            case BORROWED, UNVERIFIED -> {
                LOG.warn("{} by the automation role, not TrailGuard's own: {}", record.eventName(), verdict.reason());
                // Answered like any other tamper call; every notification of the answer says what was found.
                BorrowedRole borrowed = new BorrowedRole(notifier, verdict);
                return borrowed.outcome(new TamperService(reader, locator, remediator, borrowed, executions, config,
                        restore.withNotifier(borrowed)).respondToTamperCall(envelope, record));
            }
            default -> {
                return respondToTamperCall(envelope, record);
            }
        }
    }

    private Outcome respondToTamperCall(EventEnvelope envelope, CloudTrailRecord record) {
        if (!EVENT_SOURCE.equals(record.eventSource()) || !TAMPER_EVENTS.contains(record.eventName())) {
            return unreadable(new UnreadableEventException("not a CloudTrail tamper call: " + record.eventSource()
                    + " " + record.eventName(), record.eventId()), envelope);
        }
        TrailRef ref;
        try {
            ref = TrailRef.parse(trailParameter(record));
        } catch (InvalidTrailReferenceException e) {
            return unreadable(new UnreadableEventException("trail reference rejected: " + e.getMessage(),
                    record.eventId()), envelope);
        }
        MDC.put("trailArn", ref.value());
        if (record.failed()) {
            return blocked(envelope, record, ref);
        }
        return switch (record.eventName()) {
            case "StopLogging" -> stopped(envelope, record, ref);
            case "DeleteTrail" -> deleted(envelope, record, ref);
            default -> changed(envelope, record, ref);
        };
    }

    private Outcome stopped(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        Optional<TrailState> located;
        try {
            located = locator.locate(ref);
        } catch (AwsCallFailedException e) {
            return couldNotStart(envelope, record, ref, null, e);
        }
        if (located.isEmpty()) {
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
        String account = accountOf(envelope, record);
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
        RemediationStart start;
        try {
            start = remediator.startLogging(new RemediationRequest(trail, record.eventId(), record.eventName(),
                    actorKey(record.userIdentity())));
        } catch (AwsCallFailedException e) {
            return couldNotStart(envelope, record, ref, trail, e);
        }
        start.executionId().ifPresent(id -> MDC.put("executionId", id));
        String outcome = start.dryRun() ? "WOULD_START_REMEDIATION"
                : start.alreadyStarted() ? "REMEDIATION_ALREADY_STARTED" : "REMEDIATION_STARTED";
        String did = start.dryRun()
                ? "Dry run: would start " + Remediator.RUNBOOK + " in " + start.region() + "."
                : start.alreadyStarted()
                ? "Already started " + Remediator.RUNBOOK + " in " + start.region()
                        + " for this event (duplicate delivery); not started again."
                : "Started " + Remediator.RUNBOOK + " in " + start.region() + " to restart logging.";
        int stops = start.dryRun() ? 0 : recentStops(record, start.region());
        boolean repeated = stops >= REPEAT_THRESHOLD;
        Notification n = base(repeated ? Severity.CRITICAL : Severity.HIGH,
                repeated ? "REPEATED_TAMPERING" : "LOGGING_STOPPED", envelope, record, summary(trail))
                .headline(repeated
                        ? "Repeated tampering by " + record.actorName() + ": " + trail.name() + " stopped " + stops
                                + " times in " + REPEAT_WINDOW.toMinutes() + " min"
                        : "Logging stopped on " + trail.name() + ", restart started")
                .summary((repeated ? "Repeated tampering: " : "") + record.actorName() + " stopped logging on trail "
                        + trail.name() + " in " + trail.homeRegion() + (repeated ? ", the " + ordinal(stops)
                        + " time in " + REPEAT_WINDOW.toMinutes() + " minutes. TrailGuard keeps restarting it, "
                        + "but this principal should be contained now (revoke its sessions, deny it by SCP)."
                        : ". Activity is unrecorded until the restart completes; "
                        + "a follow-up notification confirms it."))
                .action(new Notification.Action(outcome, did, start.executionId().orElse(null), start.region()))
                .detail("Stops by this actor in " + REPEAT_WINDOW.toMinutes() + " min", stops > 1
                        ? String.valueOf(stops) : null)
                .details(restore.gap(record, "Logging stopped: nothing recorded through the trail"))
                .build();
        LOG.info("{} for {} in {} (execution {})", outcome, trail.arn(), start.region(),
                start.executionId().orElse("-"));
        return published(outcome, record, n).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun()).build();
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
        } catch (AwsCallFailedException | java.time.format.DateTimeParseException e) {
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

    private Outcome deleted(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        return restore.deleted(envelope, record, ref);
    }

    private Outcome changed(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        return restore.changed(envelope, record, ref, RequestParameters.flatten(record.requestParameters()));
    }

    private Outcome blocked(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        Notification n = base(Severity.MEDIUM, "ATTEMPT_BLOCKED", envelope, record, summary(ref, record))
                .headline(record.eventName() + " on " + ref.name() + " attempted, blocked")
                .summary(record.actorName() + " tried " + record.eventName() + " on trail " + ref.name()
                        + " and the call failed (" + record.errorCode() + "), so nothing changed. "
                        + "An attempt to weaken the audit log is worth a look.")
                .action(new Notification.Action("ATTEMPT_BLOCKED", "Nothing started: the call failed.", null, null))
                .detail("Error code", record.errorCode())
                .detail("Error message", record.errorMessage())
                .build();
        return published("ATTEMPT_BLOCKED", record, n).trail(ref.value(), null).build();
    }

    private Outcome couldNotStart(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref, Trail trail,
                                  AwsCallFailedException e) {
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

    private Outcome unreadable(UnreadableEventException e, EventEnvelope envelope) {
        return unreadable(e, envelope, "UNREADABLE_EVENT");
    }

    private Outcome unreadable(UnreadableEventException e, EventEnvelope envelope, String outcome) {
        LOG.error("Unreadable tamper event {}: {}", e.eventId(), e.getMessage());
        Notification n = Notification.builder(Severity.HIGH, "UNREADABLE_EVENT")
                .headline("Unreadable CloudTrail tamper event received")
                .summary("TrailGuard received an event it could not act on (" + e.getMessage() + "). Nothing was "
                        + "remediated. Look the event up in CloudTrail or the function's logs by its id.")
                .account(envelope == null ? null : envelope.account())
                .region(envelope == null ? null : envelope.region())
                .eventId(e.eventId())
                .eventTime(envelope == null ? null : envelope.time())
                .action(new Notification.Action("UNREADABLE_EVENT", "Nothing started: the event was unreadable.",
                        null, null))
                .detail("Reason", e.getMessage())
                .build();
        String messageId = notifier.publish(n);
        return Outcome.of(outcome, e.eventId()).severity(n.severity().name()).messageId(messageId)
                .note(e.getMessage()).build();
    }

    private Outcome.Builder published(String outcome, CloudTrailRecord record, Notification n) {
        String messageId = notifier.publish(n);
        return Outcome.of(outcome, record.eventId()).severity(n.severity().name()).messageId(messageId);
    }

    private static String trailParameter(CloudTrailRecord record) {
        // PutEventSelectors and PutInsightSelectors name the trail in trailName; the others in name.
        String name = record.requestParameter("name");
        return name != null ? name : record.requestParameter("trailName");
    }

    private static Notification.Builder base(Severity severity, String kind, EventEnvelope envelope,
                                             CloudTrailRecord record, Notification.TrailSummary trail) {
        UserIdentity who = record.userIdentity();
        return Notification.builder(severity, kind)
                .detectedBy("CloudTrailEvent")
                .account(accountOf(envelope, record))
                .region(record.awsRegion() != null ? record.awsRegion() : envelope.region())
                .eventName(record.eventName())
                .eventId(record.eventId())
                .eventTime(record.eventTime())
                .actor(new Notification.Actor(who.arn(), who.type(), who.accountId(), who.sessionIssuerArn(),
                        who.invokedBy(), record.sourceIpAddress(), record.userAgent()))
                .trail(trail);
    }

    private static String accountOf(EventEnvelope envelope, CloudTrailRecord record) {
        return envelope.account() != null ? envelope.account() : record.recipientAccountId();
    }

    private static Notification.TrailSummary summary(Trail trail) {
        return new Notification.TrailSummary(trail.arn(), trail.name(), trail.homeRegion(), trail.organization());
    }

    private static Notification.TrailSummary summary(TrailRef ref, CloudTrailRecord record) {
        String region = ref.region().orElse(record == null ? null : record.awsRegion());
        return new Notification.TrailSummary(ref.value(), ref.name(), region, false);
    }

}
