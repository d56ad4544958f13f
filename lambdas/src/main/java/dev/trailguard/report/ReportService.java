package dev.trailguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.AutomationStatus;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.drill.DrillMeasurement;
import dev.trailguard.drill.DrillReport;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.drill.DrillStage;
import dev.trailguard.drill.DrillTags;
import dev.trailguard.edge.EventEdge;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Text;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reports how an execution of one of TrailGuard's runbooks ({@link Runbook}: {@value Remediator#RUNBOOK} and
 * TrailGuard's restore, recreate and rule runbooks) ended. On success it confirms with {@code GetTrailStatus} that the
 * trail logs again and says how long it did not (or, for a rule, relies on the runbook's own assertion); on failure it
 * says why and what to fix. A restore or recreate is called restored only after the {@link RestoreVerifier} compared
 * the trail with its baseline. AWS's logging runbook run by others with their own role is ignored; TrailGuard's own
 * runbooks, or any run as TrailGuard's automation role, started by anyone but a TrailGuard function are reported as
 * tampering ({@code RUNBOOK_STARTED_BY_OTHER}).
 *
 * <p>The event's {@code StartTime}/{@code EndTime} are not ISO-8601 ({@code Nov 20, 2026 2:03:19 PM}) and are not
 * read; times come from GetTrailStatus and GetAutomationExecution.
 */
public final class ReportService {

    static final String SOURCE = EventTypes.SSM_SOURCE;
    static final String DETAIL_TYPE = EventTypes.AUTOMATION_STATUS_CHANGE;
    static final EventEdge.Kind KIND = EventEdge.Kind.of("automation status change", SOURCE, DETAIL_TYPE);

    private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);
    private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9-]{36}");

    private final EventReader reader;
    private final AutomationExecutions executions;
    private final TrailLocator locator;
    private final Notifier notifier;
    private final TrailGuardConfig config;
    private final ResponseConfig response;
    private final FailureReport failures;
    private final RestoreVerifier verifier;
    private final EventEdge edge;
    private final DrillSetup drill;
    private final DrillReport drillReport;

    /**
     * With the default gap-query settings and no baseline: a restore is reported as not verified, since it cannot be
     * compared with anything.
     */
    public ReportService(EventReader reader, AutomationExecutions executions, TrailLocator locator, Notifier notifier,
                         TrailGuardConfig config) {
        this(reader, executions, locator, notifier, config, ResponseConfig.defaults(), BaselineSource.none(),
                TrailConfigurations.none());
    }

    /**
     * {@code response} says where the gap queries in restore notifications run; {@code baselines} (the restore's own
     * sources) and {@code configurations} are what a restore is compared with before it is called restored.
     */
    public ReportService(EventReader reader, AutomationExecutions executions, TrailLocator locator, Notifier notifier,
                         TrailGuardConfig config, ResponseConfig response, BaselineSource baselines,
                         TrailConfigurations configurations) {
        this(reader, executions, locator, notifier, config, response, baselines, configurations, DrillSetup.none());
    }

    /** {@code drill}: a run of the logging runbook on the canary, tagged as a drill's, is reported as the drill. */
    public ReportService(EventReader reader, AutomationExecutions executions, TrailLocator locator, Notifier notifier,
                         TrailGuardConfig config, ResponseConfig response, BaselineSource baselines,
                         TrailConfigurations configurations, DrillSetup drill) {
        this.drill = drill;
        this.drillReport = new DrillReport(notifier, drill);
        this.reader = reader;
        this.executions = executions;
        this.locator = locator;
        this.notifier = notifier;
        this.config = config;
        this.response = response;
        this.failures = new FailureReport(locator, notifier);
        this.verifier = new RestoreVerifier(baselines, configurations, notifier, response, Clock.systemUTC());
        this.edge = new EventEdge(reader, notifier);
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
        return edge.handle(rawEvent, KIND, StatusChange::of, EventEdge.EventId.envelope(), this::respond);
    }

    private Outcome respond(EventEnvelope envelope, StatusChange change) {
        MDC.put("executionId", change.executionId());
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
            return published("EXECUTION_NOT_FOUND", envelope, ReportWording.executionNotFound(envelope, change,
                    runbook, region)).execution(change.executionId(), null).build();
        }
        AutomationExecution execution = found.get();
        String role = execution.parameter("AutomationAssumeRole");
        boolean ourRole = config.automationRoleArn().equals(role);
        // AWS's logging runbook run by someone else with their own role is theirs; TrailGuard's own documents, or
        // TrailGuard's automation role, started by anyone but TrailGuard's functions are tampering.
        if ((ourRole || runbook != Runbook.LOGGING) && !config.isFunctionRole(execution.executedBy())) {
            return startedByOther(envelope, change, region, runbook, execution, ourRole);
        }
        if (!ourRole) {
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
                    : failures.report(envelope, change, region, runbook, null, rule, execution);
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
        if (runbook == Runbook.LOGGING && ref != null && drill.config().isCanary(ref.value())) {
            Optional<Outcome> drilled = drill(envelope, change, region, ref, execution, finalStatus.get());
            if (drilled.isPresent()) {
                return drilled.get();
            }
        }
        return finalStatus.get().succeeded()
                ? succeeded(envelope, change, region, runbook, ref, execution)
                : failures.report(envelope, change, region, runbook, ref, null, execution);
    }

    /**
     * The canary's restart, if its execution carries the drill's tags (only the TamperResponder sets them, for a
     * recognised drill): the drill notification with every stage's time, and the metrics. Empty for any other run on
     * the canary (a real stop of it), which is reported as usual. A failed tag lookup is logged and reported as usual
     * too: the drill then shows up as a missing data point, never as a silent loss.
     */
    private Optional<Outcome> drill(EventEnvelope envelope, StatusChange change, String region, TrailRef ref,
                                    AutomationExecution execution, AutomationStatus status) {
        Map<String, String> tags;
        try {
            tags = executions.tags(change.executionId(), region);
        } catch (CallFailedException e) {
            LOG.warn("Could not read the tags of execution {} on the canary: {}", change.executionId(),
                    e.getMessage());
            return Optional.empty();
        }
        Optional<Instant> stopped = DrillTags.stoppedAt(tags);
        if (stopped.isEmpty()) {
            return Optional.empty();
        }
        DrillMeasurement ran = new DrillMeasurement(envelope.account(), region, ref.value(), change.executionId(),
                stopped.get(), DrillTags.detectedAt(tags), execution.startTime(), execution.endTime(),
                Optional.empty());
        if (!status.succeeded()) {
            String why = "execution " + change.executionId() + " ended " + change.status()
                    + (execution.failedStep() == null ? "" : " at step " + execution.failedStep())
                    + (execution.failureMessage() == null ? "" : ": " + Text.line(execution.failureMessage(), 300));
            return Optional.of(drillReport.failed(ran, DrillStage.RUNBOOK_FAILED, why, envelope.id()).build());
        }
        Optional<TrailState> state = locator.locate(ref);
        if (state.isEmpty() || !state.get().status().logging()) {
            return Optional.of(drillReport.failed(ran, DrillStage.VERIFICATION_FAILED, state.isEmpty()
                    ? "DescribeTrails no longer returns the canary" : "GetTrailStatus says IsLogging false after "
                    + "the runbook succeeded", envelope.id()).build());
        }
        Optional<Instant> loggingAt = state.get().status().startLoggingTime();
        DrillMeasurement restored = new DrillMeasurement(ran.account(), ran.region(), ran.trailArn(),
                ran.executionId(), ran.stoppedAt(), ran.detectedAt(), ran.runbookStartedAt(), ran.runbookEndedAt(),
                loggingAt.isPresent() ? loggingAt : ran.runbookEndedAt());
        return Optional.of(drillReport.restored(restored, envelope.id()).build());
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
            return published("RESTORE_NOT_VERIFIED", envelope, ReportWording.trailUnknown(envelope, change, runbook,
                    region)).execution(change.executionId(), null).build();
        }
        Optional<TrailState> state = locator.locate(ref);
        if (state.isEmpty()) {
            return published("TRAIL_NOT_FOUND", envelope, ReportWording.trailMissing(envelope, change, ref, after,
                    region)).trail(ref.value(), region).execution(change.executionId(), null).build();
        }
        Trail trail = state.get().trail();
        TrailStatus status = state.get().status();
        if (!status.logging()) {
            return published("RESTORE_NOT_CONFIRMED", envelope, ReportWording.stillNotLogging(envelope, change, trail,
                    status, after, region)).trail(trail.arn(), trail.homeRegion())
                    .execution(change.executionId(), null).build();
        }
        if (runbook == Runbook.LOGGING) {
            return published("LOGGING_RESTORED", envelope, ReportWording.loggingRestored(envelope, change, trail,
                    status, region)).trail(trail.arn(), trail.homeRegion())
                    .execution(change.executionId(), null).build();
        }
        return verifier.verify(envelope, change, region, runbook, trail, status, execution);
    }

    /**
     * A rule re-enabled. The runbook's last step asserts with DescribeRule that the rule is ENABLED, so success is
     * the confirmation; TrailGuard does not call EventBridge itself.
     */
    private Outcome ruleReenabled(EventEnvelope envelope, StatusChange change, String region, RuleTarget rule,
                                  AutomationExecution execution) {
        if (rule == null) {
            return published("RESTORE_NOT_VERIFIED", envelope, ReportWording.ruleUnknown(envelope, change, region))
                    .execution(change.executionId(), null).build();
        }
        return published("RULE_REENABLED", envelope, ReportWording.ruleReenabled(envelope, change, rule, execution,
                response, region)).execution(change.executionId(), null).note("rule: " + rule.name()).build();
    }

    /**
     * One of TrailGuard's runbooks, or any runbook run as TrailGuard's automation role, started by a principal that is
     * not one of TrailGuard's functions: whatever it did, TrailGuard did not ask for it, so it is never "restored".
     */
    private Outcome startedByOther(EventEnvelope envelope, StatusChange change, String region, Runbook runbook,
                                   AutomationExecution execution, boolean ourRole) {
        String by = execution.executedBy() == null ? "an unknown principal" : Text.line(execution.executedBy(), 200);
        LOG.warn("Execution {} of {} started by {}, not by a TrailGuard function", change.executionId(),
                runbook.document(), by);
        return published("RUNBOOK_STARTED_BY_OTHER", envelope, ReportWording.startedByOther(envelope, change, runbook,
                execution, by, ourRole, region)).execution(change.executionId(), null).note("started by " + by)
                .build();
    }

    private Outcome.Builder published(String outcome, EventEnvelope envelope, Notification n) {
        return Reports.published(notifier, outcome, envelope, n);
    }
}
