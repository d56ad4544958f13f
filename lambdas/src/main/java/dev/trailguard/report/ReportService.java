package dev.trailguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.notify.UnreadableEvents;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reports how a runbook execution of {@value Remediator#RUNBOOK} ended: on success it confirms with
 * {@code GetTrailStatus} that the trail logs again and says how long it did not; on failure it says why and what to
 * fix. Executions not started by TrailGuard (another automation role) are ignored.
 *
 * <p>The event's {@code StartTime}/{@code EndTime} are not ISO-8601 ({@code Nov 20, 2026 2:03:19 PM}) and are not
 * read; times come from GetTrailStatus and GetAutomationExecution.
 */
public final class ReportService {

    static final String SOURCE = "aws.ssm";
    static final String DETAIL_TYPE = "EC2 Automation Execution Status-change Notification";
    /** The terminal statuses reported; the others (Pending, InProgress, Cancelling, ...) are ignored. */
    static final Set<String> TERMINAL = Set.of("Success", "Failed", "TimedOut", "Cancelled");

    private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);
    private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9-]{36}");

    private final EventReader reader;
    private final AutomationExecutions executions;
    private final TrailLocator locator;
    private final Notifier notifier;
    private final TrailGuardConfig config;
    private final FailureDiagnoser diagnoser = new FailureDiagnoser();

    public ReportService(EventReader reader, AutomationExecutions executions, TrailLocator locator, Notifier notifier,
                         TrailGuardConfig config) {
        this.reader = reader;
        this.executions = executions;
        this.locator = locator;
        this.notifier = notifier;
        this.config = config;
    }

    /**
     * The fields of the status-change event this service reads.
     *
     * @param executionId {@code detail.ExecutionId}
     * @param definition  {@code detail.Definition}, the runbook
     * @param status      {@code detail.Status}
     */
    record StatusChange(String executionId, String definition, String status) {

        static StatusChange of(EventEnvelope envelope) {
            JsonNode detail = envelope.detail();
            if (detail == null || !detail.isObject()) {
                throw new UnreadableEventException("event has no detail object", envelope.id());
            }
            String id = detail.path("ExecutionId").asText("");
            if (!EXECUTION_ID.matcher(id).matches()) {
                throw new UnreadableEventException("detail.ExecutionId is missing or malformed", envelope.id());
            }
            String status = detail.path("Status").asText("");
            if (status.isBlank()) {
                throw new UnreadableEventException("detail.Status is missing", envelope.id());
            }
            return new StatusChange(id, detail.path("Definition").asText(""), status);
        }
    }

    /** Handles one event as delivered by EventBridge. */
    public Outcome handle(byte[] rawEvent) {
        EventEnvelope envelope = null;
        StatusChange change;
        try {
            envelope = reader.envelope(rawEvent);
            if (!SOURCE.equals(envelope.source()) || !DETAIL_TYPE.equals(envelope.detailType())) {
                throw new UnreadableEventException("unexpected event source '" + envelope.source()
                        + "' / detail-type '" + envelope.detailType() + "'", envelope.id());
            }
            change = StatusChange.of(envelope);
        } catch (UnreadableEventException e) {
            return UnreadableEvents.publish(notifier, "automation status change", e, envelope);
        }
        MDC.put("eventId", envelope.id());
        MDC.put("executionId", change.executionId());
        try {
            return respond(envelope, change);
        } finally {
            MDC.remove("trailArn");
            MDC.remove("executionId");
            MDC.remove("eventId");
        }
    }

    private Outcome respond(EventEnvelope envelope, StatusChange change) {
        if (!Remediator.RUNBOOK.equals(change.definition())) {
            LOG.info("Ignoring execution {} of runbook {}", change.executionId(), change.definition());
            return Outcome.of("IGNORED_NOT_OURS", envelope.id()).execution(change.executionId(), null)
                    .note("runbook " + change.definition() + " is not " + Remediator.RUNBOOK).build();
        }
        if (!TERMINAL.contains(change.status())) {
            LOG.info("Ignoring status {} of execution {}", change.status(), change.executionId());
            return Outcome.of("IGNORED", envelope.id()).execution(change.executionId(), null)
                    .note("status " + change.status() + " is not final").build();
        }
        // The execution runs where the event was emitted: the trail's home region.
        String region = envelope.region();
        Optional<AutomationExecution> found = executions.get(change.executionId(), region);
        if (found.isEmpty()) {
            Notification n = base(envelope, change, Severity.MEDIUM, "EXECUTION_NOT_FOUND", null)
                    .headline("Runbook execution " + change.executionId() + " not found")
                    .summary("A " + Remediator.RUNBOOK + " execution ended with status " + change.status()
                            + ", but GetAutomationExecution in " + region + " does not know it, so TrailGuard "
                            + "cannot tell whether it was its own or which trail it concerned. Check the trails.")
                    .action(new Notification.Action("EXECUTION_NOT_FOUND", "Nothing verified.", change.executionId(),
                            region))
                    .build();
            return published("EXECUTION_NOT_FOUND", envelope, n).execution(change.executionId(), null).build();
        }
        AutomationExecution execution = found.get();
        String role = execution.parameter("AutomationAssumeRole");
        if (!config.automationRoleArn().equals(role)) {
            LOG.info("Ignoring execution {}: started with role {}, not TrailGuard's", change.executionId(), role);
            return Outcome.of("IGNORED_NOT_OURS", envelope.id()).execution(change.executionId(), null)
                    .note("AutomationAssumeRole is not " + TrailGuardConfig.AUTOMATION_ROLE_ARN).build();
        }
        TrailRef ref;
        try {
            ref = TrailRef.parse(execution.parameter("CloudTrailArn"));
        } catch (InvalidTrailReferenceException e) {
            ref = null;
        }
        if (ref != null) {
            MDC.put("trailArn", ref.value());
        }
        return "Success".equals(change.status())
                ? succeeded(envelope, change, region, ref)
                : failed(envelope, change, region, ref, execution);
    }

    private Outcome succeeded(EventEnvelope envelope, StatusChange change, String region, TrailRef ref) {
        if (ref == null) {
            Notification n = base(envelope, change, Severity.MEDIUM, "RESTORE_NOT_VERIFIED", null)
                    .headline("Runbook succeeded, trail unknown")
                    .summary("TrailGuard's " + Remediator.RUNBOOK + " execution succeeded, but its CloudTrailArn "
                            + "parameter is missing or not a trail ARN, so the trail could not be checked.")
                    .action(action("RESTORE_NOT_VERIFIED", "Nothing verified.", change, region))
                    .build();
            return published("RESTORE_NOT_VERIFIED", envelope, n).execution(change.executionId(), null).build();
        }
        Optional<TrailState> state = locator.locate(ref);
        if (state.isEmpty()) {
            Notification n = base(envelope, change, Severity.HIGH, "TRAIL_NOT_FOUND", summary(ref, region))
                    .headline(ref.name() + " missing after restart")
                    .summary("The runbook reported success, but trail " + ref.name() + " cannot be found any "
                            + "more (deleted since?). Nothing records through it.")
                    .action(action("TRAIL_NOT_FOUND", "Verified with DescribeTrails: the trail is gone.", change,
                            region))
                    .build();
            return published("TRAIL_NOT_FOUND", envelope, n).trail(ref.value(), region)
                    .execution(change.executionId(), null).build();
        }
        Trail trail = state.get().trail();
        var status = state.get().status();
        if (!status.logging()) {
            Notification n = base(envelope, change, Severity.CRITICAL, "REMEDIATION_FAILED", summary(trail))
                    .headline(trail.name() + " still not logging after restart")
                    .summary("The runbook reported success, but GetTrailStatus says trail " + trail.name()
                            + " is not logging (stopped again since?). Activity is unrecorded: start logging by "
                            + "hand and find who stops it.")
                    .action(action("RESTORE_NOT_CONFIRMED", "Checked with GetTrailStatus: not logging.", change,
                            region))
                    .detail("Stopped at", status.stopLoggingTime().map(Object::toString).orElse(null))
                    .build();
            return published("RESTORE_NOT_CONFIRMED", envelope, n).trail(trail.arn(), trail.homeRegion())
                    .execution(change.executionId(), null).build();
        }
        Notification.LoggingGap gap = Notification.LoggingGap.between(status.stopLoggingTime(),
                status.startLoggingTime());
        Notification n = base(envelope, change, Severity.LOW, "LOGGING_RESTORED", summary(trail))
                .headline(trail.name() + " logging again")
                .summary("Trail " + trail.name() + " is logging again (confirmed with GetTrailStatus)."
                        + (gap == null ? "" : " Nothing was recorded through it from " + gap.stoppedAt() + " to "
                        + gap.restartedAt() + " (" + gap.seconds() + " s): review activity in that window by "
                        + "other means."))
                .action(action("LOGGING_RESTORED", "Restarted logging with " + Remediator.RUNBOOK + ".", change,
                        region))
                .loggingGap(gap)
                .build();
        return published("LOGGING_RESTORED", envelope, n).trail(trail.arn(), trail.homeRegion())
                .execution(change.executionId(), null).build();
    }

    private Outcome failed(EventEnvelope envelope, StatusChange change, String region, TrailRef ref,
                           AutomationExecution execution) {
        Diagnosis diagnosis = diagnoser.diagnose(change.status(), execution.failureMessage());
        Notification.TrailSummary trail = ref == null ? null : summary(ref, region);
        String name = ref == null ? "trail" : ref.name();
        // Is the trail logging anyway (someone started it by hand)? Worth saying; not worth failing over.
        Boolean logging = null;
        String lookupNote = null;
        if (ref != null) {
            try {
                Optional<TrailState> state = locator.locate(ref);
                if (state.isPresent()) {
                    trail = summary(state.get().trail());
                    logging = state.get().status().logging();
                }
            } catch (AwsCallFailedException e) {
                lookupNote = "trail status not checked: " + e.getMessage();
                LOG.warn("Could not check {} after failed execution: {}", ref.value(), e.getMessage());
            }
        }
        Severity severity = Boolean.TRUE.equals(logging) ? Severity.MEDIUM
                : "Cancelled".equals(change.status()) ? Severity.HIGH : Severity.CRITICAL;
        String verb = switch (change.status()) {
            case "TimedOut" -> "timed out";
            case "Cancelled" -> "was cancelled";
            default -> "failed";
        };
        Notification n = base(envelope, change, severity, "REMEDIATION_FAILED", trail)
                .headline("Restart of " + name + " " + verb
                        + (verb.equals(diagnosis.title()) || "CANCELLED".equals(diagnosis.code()) ? ""
                        : ": " + diagnosis.title()))
                .summary(diagnosis.cause() + " " + (Boolean.TRUE.equals(logging)
                        ? "The trail is logging now anyway (started by other means)."
                        : "The trail is still not recording: start logging by hand, then apply the fix below."))
                .action(action("REMEDIATION_FAILED", Remediator.RUNBOOK + " " + verb + ".", change, region))
                .detail("Diagnosis", diagnosis.code())
                .detail("Fix", diagnosis.fix())
                .detail("Failure message", execution.failureMessage() == null ? null
                        : dev.trailguard.notify.Text.line(execution.failureMessage(), FailureDiagnoser.MAX_QUOTE))
                .detail("Logging now", logging == null ? "unknown" : logging ? "yes" : "no")
                .build();
        Outcome.Builder out = published("REMEDIATION_FAILED", envelope, n)
                .trail(trail == null ? null : trail.arn(), trail == null ? null : trail.homeRegion())
                .execution(change.executionId(), null).note("diagnosis: " + diagnosis.code());
        if (lookupNote != null) {
            out.note(lookupNote);
        }
        return out.build();
    }

    private static Notification.Builder base(EventEnvelope envelope, StatusChange change, Severity severity,
                                             String kind, Notification.TrailSummary trail) {
        return Notification.builder(severity, kind)
                .detectedBy("Automation")
                .account(envelope.account())
                .region(envelope.region())
                .eventName(envelope.detailType())
                .eventId(envelope.id())
                .eventTime(envelope.time())
                .trail(trail)
                .detail("Runbook status", change.status());
    }

    private static Notification.Action action(String outcome, String description, StatusChange change,
                                              String region) {
        return new Notification.Action(outcome, description, change.executionId(), region);
    }

    private static Notification.TrailSummary summary(Trail trail) {
        return new Notification.TrailSummary(trail.arn(), trail.name(), trail.homeRegion(), trail.organization());
    }

    private static Notification.TrailSummary summary(TrailRef ref, String region) {
        return new Notification.TrailSummary(ref.value(), ref.name(), ref.region().orElse(region), false);
    }

    private Outcome.Builder published(String outcome, EventEnvelope envelope, Notification n) {
        return Outcome.of(outcome, envelope.id()).severity(n.severity().name()).messageId(notifier.publish(n));
    }
}
