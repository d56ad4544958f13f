package dev.trailguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.AutomationStatus;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.notify.Text;
import dev.trailguard.notify.UnreadableEvents;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.GapReport;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reports how an execution of one of TrailGuard's runbooks ({@link Runbook}: {@value Remediator#RUNBOOK} and
 * TrailGuard's restore, recreate and rule runbooks) ended. On success it confirms with {@code GetTrailStatus} that the
 * trail logs again and says how long it did not (or, for a rule, relies on the runbook's own assertion); on failure it
 * says why and what to fix. Executions not started by TrailGuard (another automation role) are ignored.
 *
 * <p>The event's {@code StartTime}/{@code EndTime} are not ISO-8601 ({@code Nov 20, 2026 2:03:19 PM}) and are not
 * read; times come from GetTrailStatus and GetAutomationExecution.
 */
public final class ReportService {

    static final String SOURCE = EventTypes.SSM_SOURCE;
    static final String DETAIL_TYPE = EventTypes.AUTOMATION_STATUS_CHANGE;

    private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);
    private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9-]{36}");
    /** Step names are quoted at most this long (SSM allows 128 characters). */
    private static final int MAX_STEP = 128;

    private final EventReader reader;
    private final AutomationExecutions executions;
    private final TrailLocator locator;
    private final Notifier notifier;
    private final TrailGuardConfig config;
    private final ResponseConfig response;
    private final FailureDiagnoser diagnoser = new FailureDiagnoser();

    /** With the default gap-query settings ({@link ResponseConfig#defaults()}). */
    public ReportService(EventReader reader, AutomationExecutions executions, TrailLocator locator, Notifier notifier,
                         TrailGuardConfig config) {
        this(reader, executions, locator, notifier, config, ResponseConfig.defaults());
    }

    /** {@code response} says where the gap queries in restore notifications run. */
    public ReportService(EventReader reader, AutomationExecutions executions, TrailLocator locator, Notifier notifier,
                         TrailGuardConfig config, ResponseConfig response) {
        this.reader = reader;
        this.executions = executions;
        this.locator = locator;
        this.notifier = notifier;
        this.config = config;
        this.response = response;
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
            MDC.remove("ruleName");
            MDC.remove("executionId");
            MDC.remove("eventId");
        }
    }

    private Outcome respond(EventEnvelope envelope, StatusChange change) {
        Optional<Runbook> known = Runbook.of(change.definition());
        if (known.isEmpty()) {
            LOG.info("Ignoring execution {} of runbook {}", change.executionId(), change.definition());
            return Outcome.of("IGNORED_NOT_OURS", envelope.id()).execution(change.executionId(), null)
                    .note("runbook " + change.definition() + " is not one of TrailGuard's").build();
        }
        Runbook runbook = known.get();
        // Every final status the stack forwards is reported (one list: AutomationStatus); the others (Pending,
        // InProgress, Cancelling, ...) are not final and are ignored.
        Optional<AutomationStatus> finalStatus = AutomationStatus.ofWireName(change.status());
        if (finalStatus.isEmpty()) {
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
                    .summary("A " + runbook.document() + " execution ended with status " + change.status()
                            + ", but GetAutomationExecution in " + region + " does not know it, so TrailGuard "
                            + "cannot tell whether it was its own or which " + (runbook.actsOnTrail() ? "trail"
                            : "rule") + " it concerned. Check the " + (runbook.actsOnTrail() ? "trails." : "rules."))
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
        if (!runbook.actsOnTrail()) {
            RuleTarget rule = RuleTarget.of(execution);
            if (rule != null) {
                MDC.put("ruleName", rule.name());
            }
            return finalStatus.get().succeeded()
                    ? ruleReenabled(envelope, change, region, rule, execution)
                    : failed(envelope, change, region, runbook, null, rule, execution);
        }
        TrailRef ref;
        try {
            ref = TrailRef.parse(execution.parameter(runbook.targetParameter()));
        } catch (InvalidTrailReferenceException e) {
            ref = null;
        }
        if (ref != null && runbook == Runbook.RECREATE && !ref.isArn()) {
            ref = arnInRegion(ref, envelope);
        }
        if (ref != null) {
            MDC.put("trailArn", ref.value());
        }
        return finalStatus.get().succeeded()
                ? succeeded(envelope, change, region, runbook, ref, execution)
                : failed(envelope, change, region, runbook, ref, null, execution);
    }

    /**
     * CreateTrail takes a name, so the recreate runbook gets one; the trail it creates lives in the account and region
     * the runbook ran in. Looking it up by that ARN keeps DescribeTrails from matching a same-named shadow trail of
     * another region. The partition is the automation role's.
     */
    private TrailRef arnInRegion(TrailRef name, EventEnvelope envelope) {
        String partition = config.automationRoleArn().split(":", 3)[1];
        try {
            return TrailRef.parse("arn:" + partition + ":cloudtrail:" + envelope.region() + ":" + envelope.account()
                    + ":trail/" + name.name());
        } catch (InvalidTrailReferenceException e) {
            return name;
        }
    }

    /**
     * The rule a {@link Runbook#ENABLE_RULE} execution enabled, validated as the runbook's parameters are.
     *
     * @param name the rule name
     * @param bus  its event bus, if the parameter was given and valid
     */
    record RuleTarget(String name, Optional<String> bus) {

        private static final Pattern NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
        private static final Pattern BUS = Pattern.compile("[/.\\-_A-Za-z0-9:]{1,256}");

        /** The rule, or null if the parameter is missing or not a rule name. */
        static RuleTarget of(AutomationExecution execution) {
            String name = execution.parameter("RuleName");
            if (name == null || !NAME.matcher(name).matches()) {
                return null;
            }
            String bus = execution.parameter("EventBusName");
            return new RuleTarget(name, Optional.ofNullable(bus).filter(b -> BUS.matcher(b).matches()));
        }
    }

    private Outcome succeeded(EventEnvelope envelope, StatusChange change, String region, Runbook runbook,
                              TrailRef ref, AutomationExecution execution) {
        String after = runbook == Runbook.LOGGING ? "restart" : runbook == Runbook.RESTORE ? "restore" : "recreation";
        if (ref == null) {
            Notification n = base(envelope, change, Severity.MEDIUM, "RESTORE_NOT_VERIFIED", null)
                    .headline("Runbook succeeded, trail unknown")
                    .summary("TrailGuard's " + runbook.document() + " execution succeeded, but its "
                            + runbook.targetParameter() + " parameter is missing or not a trail name or ARN, so "
                            + "the trail could not be checked.")
                    .action(action("RESTORE_NOT_VERIFIED", "Nothing verified.", change, region))
                    .build();
            return published("RESTORE_NOT_VERIFIED", envelope, n).execution(change.executionId(), null).build();
        }
        Optional<TrailState> state = locator.locate(ref);
        if (state.isEmpty()) {
            Notification n = base(envelope, change, Severity.HIGH, "TRAIL_NOT_FOUND", summary(ref, region))
                    .headline(ref.name() + " missing after " + after)
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
                    .headline(trail.name() + " still not logging after " + after)
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
        if (runbook == Runbook.LOGGING) {
            return restarted(envelope, change, region, trail, status);
        }
        return restored(envelope, change, region, runbook, trail, status, execution);
    }

    private Outcome restarted(EventEnvelope envelope, StatusChange change, String region, Trail trail,
                              TrailStatus status) {
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

    /** A restore or recreate that succeeded, with the trail confirmed logging. */
    private Outcome restored(EventEnvelope envelope, StatusChange change, String region, Runbook runbook,
                             Trail trail, TrailStatus status, AutomationExecution execution) {
        boolean recreated = runbook == Runbook.RECREATE;
        Optional<Instant> started = execution.startTime();
        // The window ends when the trail started logging again. A recreated trail's StartLoggingTime is the
        // runbook's StartLogging; a restored trail that never stopped keeps an older one, and then the runbook's
        // end is when the baseline was back.
        Optional<Instant> startLogging = status.startLoggingTime();
        boolean restartedByRunbook = startLogging.isPresent()
                && (started.isPresent() ? !startLogging.get().isBefore(started.get()) : recreated);
        Instant end = restartedByRunbook ? startLogging.get() : execution.endTime().orElse(null);
        String endSource = restartedByRunbook ? "StartLoggingTime" : "the runbook ended";
        Notification.LoggingGap gap = restartedByRunbook && !recreated
                ? Notification.LoggingGap.between(status.stopLoggingTime(), startLogging) : null;
        String what = recreated ? "Trail deleted: nothing recorded through it"
                : "Trail weakened: recorded less than its baseline";
        String kind = recreated ? "TRAIL_RECREATED" : "TRAIL_RESTORED";
        Notification.Builder n = base(envelope, change, Severity.LOW, kind, summary(trail))
                .headline(trail.name() + (recreated ? " recreated" : " restored"))
                .summary((recreated
                        ? "Trail " + trail.name() + " exists again with its baseline settings, selectors and "
                        + "Insights, and GetTrailStatus confirms it is logging. Nothing was recorded through it "
                        + "from the DeleteTrail call until then; its tags were not restored."
                        : "Trail " + trail.name() + " is back to its baseline settings, selectors and Insights, "
                        + "and GetTrailStatus confirms it is logging. It recorded less than its baseline from "
                        + "the tamper call until then.")
                        + " Run the queries below against another trail, an organization trail or CloudTrail "
                        + "Lake to review the window.")
                .action(action(kind, (recreated ? "Recreated the trail" : "Restored the baseline") + " with "
                        + runbook.document() + ".", change, region))
                .loggingGap(gap);
        if (end == null) {
            n.detail("Unrecorded window", what + " from the tamper call until the runbook ended (time unknown)");
        } else {
            n.details(GapReport.closed("Unrecorded window", what, started, end, endSource, response));
        }
        return published(kind, envelope, n.build()).trail(trail.arn(), trail.homeRegion())
                .execution(change.executionId(), null).build();
    }

    /**
     * A rule re-enabled. The runbook's last step asserts with DescribeRule that the rule is ENABLED, so success is
     * the confirmation; TrailGuard does not call EventBridge itself.
     */
    private Outcome ruleReenabled(EventEnvelope envelope, StatusChange change, String region, RuleTarget rule,
                                  AutomationExecution execution) {
        if (rule == null) {
            Notification n = base(envelope, change, Severity.MEDIUM, "RESTORE_NOT_VERIFIED", null)
                    .headline("Runbook succeeded, rule unknown")
                    .summary("TrailGuard's " + Runbook.ENABLE_RULE.document() + " execution succeeded, but its "
                            + "RuleName parameter is missing or not a rule name, so TrailGuard cannot say which "
                            + "rule is enabled again.")
                    .action(action("RESTORE_NOT_VERIFIED", "Nothing verified.", change, region))
                    .build();
            return published("RESTORE_NOT_VERIFIED", envelope, n).execution(change.executionId(), null).build();
        }
        String what = "TrailGuard did not receive the events this rule routes";
        Notification.Builder n = base(envelope, change, Severity.LOW, "RULE_REENABLED", null)
                .headline("Rule " + rule.name() + " re-enabled")
                .summary("TrailGuard's EventBridge rule " + rule.name() + " is enabled again (the runbook's "
                        + "DescribeRule assertion found it ENABLED). While it was disabled the events it routes did "
                        + "not reach TrailGuard; the sweep and the Config rules were the backstop. Review the "
                        + "window below.")
                .action(action("RULE_REENABLED", "Re-enabled the rule with " + Runbook.ENABLE_RULE.document() + ".",
                        change, region))
                .detail("Rule", rule.name())
                .detail("Event bus", rule.bus().orElse(null));
        if (execution.endTime().isPresent()) {
            n.details(GapReport.closed("Unmonitored window", what, execution.startTime(), execution.endTime().get(),
                    "the runbook ended", response));
        } else {
            n.detail("Unmonitored window", what + " from the DisableRule call until the runbook ended");
        }
        return published("RULE_REENABLED", envelope, n.build()).execution(change.executionId(), null)
                .note("rule: " + rule.name()).build();
    }

    private Outcome failed(EventEnvelope envelope, StatusChange change, String region, Runbook runbook, TrailRef ref,
                           RuleTarget rule, AutomationExecution execution) {
        Diagnosis diagnosis = diagnoser.diagnose(runbook, change.status(), execution.failureMessage(),
                execution.failedStep());
        Notification.TrailSummary trail = ref == null ? null : summary(ref, region);
        String name = runbook.actsOnTrail() ? (ref == null ? "trail" : ref.name()) : (rule == null ? "(unknown)" : rule.name());
        // Is the trail logging anyway (someone started it by hand)? Worth saying; not worth failing over.
        Boolean logging = null;
        String loggingNow = runbook.actsOnTrail() ? "unknown" : null;
        String lookupNote = null;
        if (ref != null) {
            try {
                Optional<TrailState> state = locator.locate(ref);
                if (state.isPresent()) {
                    trail = summary(state.get().trail());
                    logging = state.get().status().logging();
                    loggingNow = logging ? "yes" : "no";
                } else {
                    logging = false;
                    loggingNow = "no (trail not found)";
                }
            } catch (AwsCallFailedException e) {
                lookupNote = "trail status not checked: " + e.getMessage();
                LOG.warn("Could not check {} after failed execution: {}", ref.value(), e.getMessage());
            }
        }
        boolean cancelled = "Cancelled".equals(change.status());
        // A trail that logs after a failed restore may still be weakened: that is not yet good news.
        Severity severity = Boolean.TRUE.equals(logging)
                ? (runbook == Runbook.LOGGING ? Severity.MEDIUM : Severity.HIGH)
                : cancelled ? Severity.HIGH : Severity.CRITICAL;
        String verb = switch (change.status()) {
            case "TimedOut" -> "timed out";
            case "Cancelled" -> "was cancelled";
            case "Rejected", "ChangeCalendarOverrideRejected" -> "was rejected";
            case "Exited" -> "exited early";
            case "CompletedWithFailure" -> "completed with failures";
            default -> "failed";
        };
        String now;
        if (!runbook.actsOnTrail()) {
            now = "TrailGuard does not receive the events this rule routes until it is enabled: "
                    + runbook.byHand() + ", then apply the fix below.";
        } else if (Boolean.TRUE.equals(logging)) {
            now = runbook == Runbook.LOGGING ? "The trail is logging now anyway (started by other means)."
                    : "The trail is logging, but may still be weaker than its baseline: " + runbook.byHand()
                    + ", then apply the fix below.";
        } else {
            now = "The trail is still not recording: " + runbook.byHand() + ", then apply the fix below.";
        }
        Notification n = base(envelope, change, severity, "REMEDIATION_FAILED", trail)
                .headline(runbook.act(name) + " " + verb
                        + (verb.equals(diagnosis.title()) || "CANCELLED".equals(diagnosis.code()) ? ""
                        : ": " + diagnosis.title()))
                .summary(diagnosis.cause() + " " + now)
                .action(action("REMEDIATION_FAILED", runbook.document() + " " + verb + ".", change, region))
                .detail("Rule", rule == null ? null : rule.name())
                .detail("Event bus", rule == null ? null : rule.bus().orElse(null))
                .detail("Diagnosis", diagnosis.code())
                .detail("Fix", diagnosis.fix())
                .detail("Failed step", execution.failedStep() == null ? null
                        : Text.line(execution.failedStep(), MAX_STEP))
                .detail("Failure message", execution.failureMessage() == null ? null
                        : Text.line(execution.failureMessage(), FailureDiagnoser.MAX_QUOTE))
                .detail("Logging now", loggingNow)
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
