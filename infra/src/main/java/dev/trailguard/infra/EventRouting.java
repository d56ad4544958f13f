package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.FUNCTIONS;
import static dev.trailguard.infra.GuardStack.KEEPALIVE_DETAIL_TYPE;
import static dev.trailguard.infra.GuardStack.KEEPALIVE_SOURCE;
import static dev.trailguard.infra.GuardStack.RUNBOOK;
import static dev.trailguard.infra.GuardStack.TAMPER_EVENT_NAMES;
import static dev.trailguard.infra.GuardStack.TARGET_RETRIES;
import static dev.trailguard.infra.GuardStack.TERMINAL_AUTOMATION_STATUSES;
import static dev.trailguard.infra.GuardStack.TRAILGUARD_RUNBOOKS;
import static dev.trailguard.infra.GuardStack.obj;

import dev.trailguard.contract.EventTypes;
import dev.trailguard.infra.GuardStack.FunctionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The events that feed the functions: CloudTrail tamper calls to the TamperResponder, Config compliance changes to the
 * ComplianceResponder, final runbook statuses to the RemediationReporter, the sweep schedule and the daily keepalive;
 * every target with retries and the one dead-letter queue.
 */
final class EventRouting extends Construct implements LegacyIds.Group {

    private final List<String> configRuleNames;
    private final Map<String, GuardFunction> functions;
    private final Queue deadLetters;

    EventRouting(final Construct scope, final String id, final List<String> configRuleNames,
            final Map<String, GuardFunction> functions) {
        super(scope, id);
        this.configRuleNames = configRuleNames;
        this.functions = functions;
        this.deadLetters = createEventDeliveryDlq();
        createTamperRule();
        createComplianceRule();
        createRemediationStatusRule();
    }

    /** The dead-letter queue of every rule target. */
    Queue deadLetters() {
        return deadLetters;
    }

    /** The schedules, after the guard rules: the dead-letter queue's policy lists its statements in this order. */
    void addSchedules(int sweepMinutes) {
        createSweepSchedule(sweepMinutes);
        createKeepalive();
    }

    private Queue createEventDeliveryDlq() {
        return GuardFunction.encryptedQueue(this, "EventDeliveryDlq");
    }

    LambdaFunction target(String functionName, RuleTargetInput input) {
        LambdaFunctionProps.Builder target = LambdaFunctionProps.builder()
                .deadLetterQueue(deadLetters)
                .retryAttempts(TARGET_RETRIES)
                .maxEventAge(Duration.hours(2));
        if (input != null) {
            target.event(input);
        }
        return new LambdaFunction(functions.get(functionName).alias(), target.build());
    }

    private void createTamperRule() {
        Rule.Builder.create(this, "TamperRule")
                .description("TrailGuard: CloudTrail calls that stop, delete or weaken a trail")
                .eventPattern(EventPattern.builder()
                        .source(List.of(EventTypes.CLOUDTRAIL_SOURCE))
                        .detailType(List.of(EventTypes.API_CALL))
                        .detail(Map.of(
                                "eventSource", List.of("cloudtrail.amazonaws.com"),
                                "eventName", TAMPER_EVENT_NAMES))
                        .build())
                .targets(List.of(target("TamperResponder", null)))
                .build();
    }

    private void createComplianceRule() {
        Rule.Builder.create(this, "ComplianceRule")
                .description("TrailGuard: compliance changes of TrailGuard's own Config rules")
                .eventPattern(EventPattern.builder()
                        .source(List.of(EventTypes.CONFIG_SOURCE))
                        .detailType(List.of(EventTypes.CONFIG_COMPLIANCE_CHANGE))
                        .detail(Map.of(
                                "configRuleName", configRuleNames,
                                // COMPLIANT too: the responder sends a "resolved" note.
                                "newEvaluationResult", Map.of("complianceType", List.of("NON_COMPLIANT", "COMPLIANT"))))
                        .build())
                .targets(List.of(target("ComplianceResponder", null)))
                .build();
    }

    private void createRemediationStatusRule() {
        List<String> definitions = new ArrayList<>();
        definitions.add(RUNBOOK);
        definitions.addAll(TRAILGUARD_RUNBOOKS);
        Rule.Builder.create(this, "RemediationStatusRule")
                .description("TrailGuard: final status of " + RUNBOOK + " and TrailGuard runbook executions")
                .eventPattern(EventPattern.builder()
                        .source(List.of(EventTypes.SSM_SOURCE))
                        .detailType(List.of(EventTypes.AUTOMATION_STATUS_CHANGE))
                        .detail(Map.of(
                                "Definition", definitions,
                                "Status", TERMINAL_AUTOMATION_STATUSES))
                        .build())
                .targets(List.of(target("RemediationReporter", null)))
                .build();
    }

    private void createSweepSchedule(int sweepMinutes) {
        Rule.Builder.create(this, "SweepSchedule")
                .description("TrailGuard: backstop sweep of every guarded trail")
                .schedule(Schedule.rate(Duration.minutes(sweepMinutes)))
                .targets(List.of(target("TrailSweeper", null)))
                .build();
    }

    private void createKeepalive() {
        // A SnapStart version unused for 14 days goes inactive and its next invoke fails.
        // An ordered map: Map.of iterates in an order that changes from one JVM to the next, and a different string
        // would update the rule on every deployment.
        RuleTargetInput ping = RuleTargetInput.fromObject(obj(
                "source", KEEPALIVE_SOURCE,
                "detail-type", KEEPALIVE_DETAIL_TYPE));
        Rule.Builder.create(this, "KeepaliveSchedule")
                .description("TrailGuard: keeps the SnapStart versions of the event-driven functions active")
                .schedule(Schedule.rate(Duration.days(1)))
                .targets(FUNCTIONS.stream().filter(FunctionSpec::keepalive)
                        .map(spec -> target(spec.name(), ping)).toList())
                .build();
    }
}
