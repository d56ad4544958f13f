package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.FUNCTIONS;
import static dev.trailguard.infra.GuardStack.KEEPALIVE_DETAIL_TYPE;
import static dev.trailguard.infra.GuardStack.KEEPALIVE_SOURCE;
import static dev.trailguard.infra.GuardStack.RUNBOOK;
import static dev.trailguard.infra.GuardStack.TARGET_RETRIES;
import static dev.trailguard.infra.GuardStack.obj;

import dev.trailguard.infra.GuardStack.FunctionSpec;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.IEventBus;
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

    private final List<?> configRuleNames;
    private final Map<String, GuardFunction> functions;
    /** The bus the event rules listen on; {@code null} for the account's default bus. */
    private final IEventBus bus;
    private final Queue deadLetters;
    private final List<String> guardedTrails;

    EventRouting(final Construct scope, final String id, final List<String> configRuleNames,
            final Map<String, GuardFunction> functions, final List<String> guardedTrails) {
        this(scope, id, configRuleNames, functions, null, guardedTrails);
    }

    /**
     * The rules on another bus (the hub's, where the member accounts forward their events).
     *
     * @param configRuleNames the Config rules' names, or matchers of them ({@code {"prefix": ...}})
     * @param bus             the bus the event rules listen on, {@code null} for the default bus
     * @param guardedTrails   the guarded trails, whose names CreateTrail is watched on (empty: every name)
     */
    EventRouting(final Construct scope, final String id, final List<?> configRuleNames,
            final Map<String, GuardFunction> functions, final IEventBus bus, final List<String> guardedTrails) {
        super(scope, id);
        this.configRuleNames = configRuleNames;
        this.functions = functions;
        this.bus = bus;
        this.guardedTrails = guardedTrails;
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

    /** Only the daily keepalive: in the hub, a state machine schedules the sweeps. */
    void addKeepalive() {
        createKeepalive();
    }

    /** Delivery sabotage (trail buckets and keys, CloudTrail Lake, the Config recorder), to the TamperResponder. */
    void addDeliveryRule() {
        rule("DeliveryRule")
                .description("TrailGuard: calls that break delivery to a trail's bucket or key, stop CloudTrail Lake"
                        + " or stop Config recording trails")
                .eventPattern(EventPatterns.deliveryCalls())
                .targets(List.of(target("TamperResponder", null)))
                .build();
    }

    /** Calls against TrailGuard's resources in the member accounts, to the TamperResponder (hub only). */
    void addMemberResourceCallsRule() {
        rule("MemberResourceCallsRule")
                .description("TrailGuard: calls against TrailGuard's forwarding rules, roles and runbooks in member"
                        + " accounts")
                .eventPattern(EventPatterns.memberResourceCalls())
                .targets(List.of(target("TamperResponder", null)))
                .build();
    }

    /** A rule builder on this routing's bus. */
    private Rule.Builder rule(String id) {
        Rule.Builder builder = Rule.Builder.create(this, id);
        if (bus != null) {
            builder.eventBus(bus);
        }
        return builder;
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
        rule("TamperRule")
                .description("TrailGuard: CloudTrail calls that stop, delete or weaken a trail, and CreateTrail on "
                        + "guarded names")
                .eventPattern(EventPatterns.tamperCalls(guardedTrails))
                .targets(List.of(target("TamperResponder", null)))
                .build();
    }

    private void createComplianceRule() {
        rule("ComplianceRule")
                .description("TrailGuard: compliance changes of TrailGuard's own Config rules")
                .eventPattern(EventPatterns.complianceChanges(configRuleNames))
                .targets(List.of(target("ComplianceResponder", null)))
                .build();
    }

    private void createRemediationStatusRule() {
        rule("RemediationStatusRule")
                .description("TrailGuard: final status of " + RUNBOOK + " and TrailGuard runbook executions")
                .eventPattern(EventPatterns.runbookResults())
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
