package dev.trailguard.tamper;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.contract.TamperCalls;
import dev.trailguard.core.Outcome;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.edge.EventEdge;
import dev.trailguard.edge.UnreadableEvents;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.notify.CallNotifications;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.RestoreService;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Responds to CloudTrail tamper calls: TrailGuard's own calls are ignored (the {@link LoopGuard} decides), a call made
 * with a borrowed automation role is answered like anyone's and says so ({@link BorrowedRole}), a failed call is
 * reported as an attempt, and a successful one is routed: {@code StopLogging} to the {@link StopLoggingResponse},
 * {@code DeleteTrail}, {@code UpdateTrail}, {@code Put*Selectors} and {@code CreateTrail} (a look-alike of a guarded
 * trail) to the {@link RestoreService}. Every path ends in
 * exactly one notification (or, when even that fails, an exception so that Lambda's retries and the dead-letter
 * queue take over), except TrailGuard's own calls.
 */
public final class TamperService {

    /**
     * The calls that tamper with a trail, and CreateTrail (a look-alike of a guarded trail); the EventBridge rule
     * forwards exactly these (CreateTrail on guarded names only).
     */
    public static final Set<String> TAMPER_EVENTS = Stream.concat(TamperCalls.ALL.stream(),
            Stream.of(TamperCalls.CREATE_TRAIL)).collect(Collectors.toUnmodifiableSet());

    static final String SOURCE = EventTypes.CLOUDTRAIL_SOURCE;
    static final String DETAIL_TYPE = EventTypes.API_CALL;
    static final String EVENT_SOURCE = EventTypes.CLOUDTRAIL_EVENT_SOURCE;
    static final EventEdge.Kind KIND = EventEdge.Kind.of("CloudTrail tamper event", SOURCE, DETAIL_TYPE);

    private static final Logger LOG = LoggerFactory.getLogger(TamperService.class);

    private final EventReader reader;
    private final TrailLocator locator;
    private final Remediator remediator;
    private final Notifier notifier;
    private final AutomationExecutions executions;
    private final TrailGuardConfig config;
    private final RestoreService restore;
    private final LoopGuard loopGuard;
    private final EventEdge edge;
    private final StopLoggingResponse stopLogging;
    private final DrillSetup drill;

    /** Without fire drills: every StopLogging is an incident. */
    public TamperService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                         AutomationExecutions executions, TrailGuardConfig config, RestoreService restore) {
        this(reader, locator, remediator, notifier, executions, config, restore, DrillSetup.none());
    }

    /** {@code drill} says which StopLogging is the fire drill's (the drill role's, of the canary trail). */
    public TamperService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                         AutomationExecutions executions, TrailGuardConfig config, RestoreService restore,
                         DrillSetup drill) {
        this.reader = reader;
        this.locator = locator;
        this.remediator = remediator;
        this.notifier = notifier;
        this.executions = executions;
        this.config = config;
        this.restore = restore;
        this.loopGuard = new LoopGuard(config, executions);
        this.edge = new EventEdge(reader, notifier);
        this.drill = drill;
        this.stopLogging = new StopLoggingResponse(locator, remediator, notifier, executions, restore,
                restore.reconciler(), config, drill);
    }

    /** Handles one event as delivered by EventBridge. */
    public Outcome handle(byte[] rawEvent) {
        return edge.handle(rawEvent, KIND, reader::cloudTrailRecord, (envelope, record) -> record.eventId(),
                this::respond);
    }

    private Outcome respond(EventEnvelope envelope, CloudTrailRecord record) {
        MDC.put("eventName", record.eventName());
        LoopGuard.Verdict verdict = loopGuard.check(record, CallNotifications.region(envelope, record));
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
                        restore.withNotifier(borrowed), drill).respondToTamperCall(envelope, record));
            }
            default -> {
                return respondToTamperCall(envelope, record);
            }
        }
    }

    private Outcome respondToTamperCall(EventEnvelope envelope, CloudTrailRecord record) {
        if (!EVENT_SOURCE.equals(record.eventSource()) || !TAMPER_EVENTS.contains(record.eventName())) {
            return unreadable("not a CloudTrail tamper call: " + record.eventSource() + " " + record.eventName(),
                    record, envelope);
        }
        TrailRef ref;
        try {
            ref = TrailRef.parse(trailParameter(record));
        } catch (InvalidTrailReferenceException e) {
            return unreadable("trail reference rejected: " + e.getMessage(), record, envelope);
        }
        MDC.put("trailArn", ref.value());
        if (record.failed()) {
            return blocked(envelope, record, ref);
        }
        return switch (record.eventName()) {
            case "StopLogging" -> stopLogging.respond(envelope, record, ref);
            case "DeleteTrail" -> restore.deleted(envelope, record, ref);
            case TamperCalls.CREATE_TRAIL -> restore.created(envelope, record, ref);
            default -> restore.changed(envelope, record, ref, RequestParameters.flatten(record.requestParameters()));
        };
    }

    private Outcome blocked(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        Notification n = CallNotifications.about(Severity.MEDIUM, "ATTEMPT_BLOCKED", envelope, record)
                .trail(StopLoggingResponse.summary(ref, record))
                .headline(record.eventName() + " on " + ref.name() + " attempted, blocked")
                .summary(record.actorName() + " tried " + record.eventName() + " on trail " + ref.name()
                        + " and the call failed (" + record.errorCode() + "), so nothing changed. "
                        + "An attempt to weaken the audit log is worth a look.")
                .action(new Notification.Action("ATTEMPT_BLOCKED", "Nothing started: the call failed.", null, null))
                .detail("Error code", record.errorCode())
                .detail("Error message", record.errorMessage())
                .build();
        return published(notifier, "ATTEMPT_BLOCKED", record, n).trail(ref.value(), null).build();
    }

    private Outcome unreadable(String reason, CloudTrailRecord record, EventEnvelope envelope) {
        return UnreadableEvents.publish(notifier, KIND.what(), new UnreadableEventException(reason, record.eventId()),
                envelope);
    }

    static Outcome.Builder published(Notifier notifier, String outcome, CloudTrailRecord record, Notification n) {
        String messageId = notifier.publish(n);
        return Outcome.of(outcome, record.eventId()).severity(n.severity().name()).messageId(messageId);
    }

    private static String trailParameter(CloudTrailRecord record) {
        // PutEventSelectors and PutInsightSelectors name the trail in trailName; the others in name.
        String name = record.requestParameter("name");
        return name != null ? name : record.requestParameter("trailName");
    }
}
