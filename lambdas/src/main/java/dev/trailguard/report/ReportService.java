package dev.trailguard.report;

import static dev.trailguard.report.Reports.action;
import static dev.trailguard.report.Reports.base;
import static dev.trailguard.report.Reports.summary;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.GapReport;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.time.Clock;
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
        this.reader = reader;
        this.executions = executions;
        this.locator = locator;
        this.notifier = notifier;
        this.config = config;
        this.response = response;
        this.failures = new FailureReport(locator, notifier);
        this.verifier = new RestoreVerifier(baselines, configurations, notifier, response, Clock.systemUTC());
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
        return finalStatus.get().succeeded()
                ? succeeded(envelope, change, region, runbook, ref, execution)
                : failures.report(envelope, change, region, runbook, ref, null, execution);
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
        return verifier.verify(envelope, change, region, runbook, trail, status, execution);
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

    /**
     * One of TrailGuard's runbooks, or any runbook run as TrailGuard's automation role, started by a principal that is
     * not one of TrailGuard's functions: whatever it did, TrailGuard did not ask for it, so it is never "restored".
     */
    private Outcome startedByOther(EventEnvelope envelope, StatusChange change, String region, Runbook runbook,
                                   AutomationExecution execution, boolean ourRole) {
        String by = execution.executedBy() == null ? "an unknown principal" : Text.line(execution.executedBy(), 200);
        String target = execution.parameter(runbook.targetParameter());
        LOG.warn("Execution {} of {} started by {}, not by a TrailGuard function", change.executionId(),
                runbook.document(), by);
        Notification n = base(envelope, change, Severity.CRITICAL, "RUNBOOK_STARTED_BY_OTHER", null)
                .headline(runbook.document() + " started by someone else")
                .summary(by + " started " + runbook.document() + (ourRole ? " as TrailGuard's automation role" : "")
                        + " (status " + change.status() + "). TrailGuard did not start it, so whatever it changed "
                        + "is not a restore: treat it as tampering, check the " + (runbook.actsOnTrail() ? "trail"
                        : "rule") + " it names, and deny that principal iam:PassRole and "
                        + "ssm:StartAutomationExecution on TrailGuard's roles and documents.")
                .action(action("RUNBOOK_STARTED_BY_OTHER", "Reported as tampering; nothing verified as restored.",
                        change, region))
                .detail("Started by", by)
                .detail("Automation role", role(execution))
                .detail(runbook.targetParameter(), target == null ? null : Text.line(target, 200))
                .build();
        return published("RUNBOOK_STARTED_BY_OTHER", envelope, n).execution(change.executionId(), null)
                .note("started by " + by).build();
    }

    private static String role(AutomationExecution execution) {
        String role = execution.parameter("AutomationAssumeRole");
        return role == null ? "(none: ran as the caller)" : Text.line(role, 200);
    }

    private Outcome.Builder published(String outcome, EventEnvelope envelope, Notification n) {
        return Reports.published(notifier, outcome, envelope, n);
    }
}
