package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsFault;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/**
 * Every AWS call of every function (CloudTrail, SSM, SNS, Config), under every fault, once and on every attempt.
 * A transient fault once must change nothing, item by item (the SDK's retries absorb it). For a permanent fault
 * (AccessDenied, which is not retried, or any fault on every attempt) {@link #PERMANENT} states what each path does
 * when each call fails: the exact outcome of the invocation and of each trail item, with or without an SNS message,
 * and whether the notification names the failed call; or that the invocation fails, so that Lambda retries it and
 * finally dead-letters it (an alarmed queue).
 */
class EveryCallFaultTest {

    static final Duration ATTEMPT = Duration.ofMillis(400);
    static final Duration CALL = Duration.ofSeconds(4);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> ENV = Map.of(
            "TRAILGUARD_TOPIC_ARN", WireFixtures.TOPIC,
            "TRAILGUARD_AUTOMATION_ROLE_ARN", WireFixtures.ROLE,
            "TRAILGUARD_CONFIG_RULES", "trailguard-cloudtrail-enabled",
            "TRAILGUARD_FUNCTION_ROLE_ARNS", WireFixtures.FUNCTION_ROLE);

    /** One representative event per path of every function. */
    static final List<String[]> PATHS = List.of(
            new String[] {"TamperResponder", "cloudtrail/stop-logging.json"},
            new String[] {"TamperResponder", "cloudtrail/update-trail.json"},
            // the loop guard's lookup of the automation role's execution
            new String[] {"TamperResponder", "cloudtrail/update-trail-by-trailguard.json"},
            new String[] {"TamperResponder", "guard/disable-rule.json"},
            new String[] {"ComplianceResponder", "config/cloudtrail-enabled-non-compliant.json"},
            new String[] {"RemediationReporter", "ssm/automation-failed.json"},
            new String[] {"TrailSweeper", "scheduled/sweep.json"});

    /** The invocation fails with an AwsCallFailedException: Lambda retries, then the on-failure queue. */
    static final String FAILS = "fails";
    /** Suffix: the notification names the failed call. */
    static final String NAMING = " naming the call";
    /** Both stopped trails restarted plainly, each notified. */
    static final String CONFIG_RESTARTS = "REMEDIATED[REMEDIATION_STARTED+msg, REMEDIATION_STARTED+msg]";
    static final String SWEEP_RESTARTS = "ISSUES_FOUND[REMEDIATION_STARTED+msg, REMEDIATION_STARTED+msg]";

    /**
     * What each path ends in when one call fails permanently: the outcome rendered as {@link #render(Outcome)}
     * (+msg: an SNS message was published), or {@link #FAILS}. The sample events name two stopped trails for the
     * Config and sweep paths, so they have two items.
     */
    static final Map<String, String> PERMANENT = Map.ofEntries(
            Map.entry("cloudtrail/stop-logging.json cloudtrail:DescribeTrails", "REMEDIATION_NOT_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/stop-logging.json cloudtrail:GetTrailStatus", "REMEDIATION_NOT_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/stop-logging.json ssm:StartAutomationExecution",
                    "REMEDIATION_NOT_STARTED+msg[]" + NAMING),
            // the repeat count is best effort: counted as a first stop
            Map.entry("cloudtrail/stop-logging.json ssm:DescribeAutomationExecutions", "REMEDIATION_STARTED+msg[]"),
            Map.entry("cloudtrail/stop-logging.json sns:Publish", FAILS),
            // the comparison with the baseline before the restart is best effort: a source or a read that fails
            // leaves less to compare (or nothing: "Baseline not compared"), and logging is restarted all the same
            Map.entry("cloudtrail/stop-logging.json ssm:GetParameter", "REMEDIATION_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/stop-logging.json config:GetResourceConfigHistory",
                    "REMEDIATION_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/stop-logging.json cloudtrail:GetTrail", "REMEDIATION_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/stop-logging.json cloudtrail:GetEventSelectors",
                    "REMEDIATION_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/stop-logging.json cloudtrail:GetInsightSelectors",
                    "REMEDIATION_STARTED+msg[]" + NAMING),
            // a declared baseline that cannot be read: the settings come from Config, the source is named
            Map.entry("cloudtrail/update-trail.json ssm:GetParameter", "RESTORE_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/update-trail.json config:GetResourceConfigHistory", "CHANGE_REPORTED+msg[]" + NAMING),
            Map.entry("cloudtrail/update-trail.json ssm:StartAutomationExecution", "RESTORE_NOT_STARTED+msg[]" + NAMING),
            Map.entry("cloudtrail/update-trail.json sns:Publish", FAILS),
            // the loop guard cannot tell that TrailGuard started the execution: answered like any tamper call (the
            // sample's trail already matches its baseline, so nothing to restore) and reported, naming the lookup
            Map.entry("cloudtrail/update-trail-by-trailguard.json ssm:GetAutomationExecution",
                    "NO_CHANGE+msg[]" + NAMING),
            Map.entry("guard/disable-rule.json ssm:StartAutomationExecution", "REENABLE_NOT_STARTED+msg[]" + NAMING),
            Map.entry("guard/disable-rule.json sns:Publish", FAILS),
            Map.entry("config/cloudtrail-enabled-non-compliant.json cloudtrail:DescribeTrails", FAILS),
            Map.entry("config/cloudtrail-enabled-non-compliant.json cloudtrail:GetTrailStatus", FAILS),
            Map.entry("config/cloudtrail-enabled-non-compliant.json ssm:StartAutomationExecution",
                    "REMEDIATED[REMEDIATION_NOT_STARTED+msg, REMEDIATION_NOT_STARTED+msg]" + NAMING),
            Map.entry("config/cloudtrail-enabled-non-compliant.json sns:Publish", FAILS),
            Map.entry("config/cloudtrail-enabled-non-compliant.json ssm:GetParameter", CONFIG_RESTARTS + NAMING),
            Map.entry("config/cloudtrail-enabled-non-compliant.json config:GetResourceConfigHistory",
                    CONFIG_RESTARTS + NAMING),
            Map.entry("config/cloudtrail-enabled-non-compliant.json cloudtrail:GetTrail", CONFIG_RESTARTS + NAMING),
            Map.entry("config/cloudtrail-enabled-non-compliant.json cloudtrail:GetEventSelectors",
                    CONFIG_RESTARTS + NAMING),
            Map.entry("config/cloudtrail-enabled-non-compliant.json cloudtrail:GetInsightSelectors",
                    CONFIG_RESTARTS + NAMING),
            // the trail's status after a failed runbook is a courtesy: reported as unknown
            Map.entry("ssm/automation-failed.json cloudtrail:DescribeTrails", "REMEDIATION_FAILED+msg[]"),
            Map.entry("ssm/automation-failed.json cloudtrail:GetTrailStatus", "REMEDIATION_FAILED+msg[]"),
            Map.entry("ssm/automation-failed.json ssm:GetAutomationExecution", FAILS),
            Map.entry("ssm/automation-failed.json sns:Publish", FAILS),
            Map.entry("scheduled/sweep.json cloudtrail:DescribeTrails", FAILS),
            Map.entry("scheduled/sweep.json cloudtrail:GetTrailStatus", FAILS),
            Map.entry("scheduled/sweep.json ssm:StartAutomationExecution",
                    "ISSUES_FOUND[REMEDIATION_NOT_STARTED+msg, REMEDIATION_NOT_STARTED+msg]" + NAMING),
            Map.entry("scheduled/sweep.json sns:Publish", FAILS),
            Map.entry("scheduled/sweep.json ssm:GetParameter", SWEEP_RESTARTS + NAMING),
            Map.entry("scheduled/sweep.json config:GetResourceConfigHistory", SWEEP_RESTARTS + NAMING),
            Map.entry("scheduled/sweep.json cloudtrail:GetTrail", SWEEP_RESTARTS + NAMING),
            Map.entry("scheduled/sweep.json cloudtrail:GetEventSelectors", SWEEP_RESTARTS + NAMING),
            Map.entry("scheduled/sweep.json cloudtrail:GetInsightSelectors", SWEEP_RESTARTS + NAMING));

    /** AccessDenied once where a path makes the call twice: only the first trail is affected. */
    static final Map<String, String> DENIED_ONCE = Map.of(
            "config/cloudtrail-enabled-non-compliant.json ssm:StartAutomationExecution",
            "REMEDIATED[REMEDIATION_NOT_STARTED+msg, REMEDIATION_STARTED+msg]" + NAMING,
            "scheduled/sweep.json ssm:StartAutomationExecution",
            "ISSUES_FOUND[REMEDIATION_NOT_STARTED+msg, REMEDIATION_STARTED+msg]" + NAMING);

    /** GetTrail of management-events as AWS Config's item from before the stop has it: the restart compares equal. */
    static final String MATCHING_TRAIL = """
            {"Trail":{"Name":"management-events","S3BucketName":"org-audit-logs","S3KeyPrefix":"ct",
             "IncludeGlobalServiceEvents":true,"IsMultiRegionTrail":true,"HomeRegion":"us-east-1",
             "TrailARN":"%s","LogFileValidationEnabled":true,
             "KmsKeyId":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
             "HasCustomEventSelectors":true,"HasInsightSelectors":false,"IsOrganizationTrail":false}}"""
            .formatted(WireFixtures.MAIN);

    /** The outcome and its items, each with +msg if it carries an SNS message id. */
    static String render(Outcome outcome) {
        return outcome.outcome() + (outcome.messageId() != null ? "+msg" : "")
                + outcome.items().stream().map(i -> i.outcome() + (i.messageId() != null ? "+msg" : "")).toList();
    }

    static void healthyAws(AwsStub stub) {
        try {
            stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
            stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1_795_183_200L));
            stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
            stub.ssm("GetAutomationExecution", WireFixtures.execution("4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                    "Failed", WireFixtures.ROLE, "The defined assume role is unable to be assumed."));
            stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
            stub.ssm("GetParameter", "{\"Parameter\":{\"Name\":\"/trailguard/baseline/management-events\",\"Type\":"
                    + "\"String\",\"Value\":" + JSON.writeValueAsString(ShadedJarTest.DECLARED) + "}}");
            stub.config("GetResourceConfigHistory", RestoreWireTest.CONFIG_HISTORY);
            // The stopped trail as it is: its baseline from before the stop (Config's item, the declared selectors)
            stub.cloudTrail("GetTrail", MATCHING_TRAIL);
            stub.cloudTrail("GetEventSelectors", WireFixtures.GET_EVENT_SELECTORS);
            stub.cloudTrail("GetInsightSelectors", "{\"InsightSelectors\":[]}");
            stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static EventFunction function(AwsStub stub, String name) {
        AwsClients clients = new AwsClients(Region.US_EAST_1, stub.endpoint(), ATTEMPT, CALL);
        return Functions.factory(name).apply(Dependencies.live(TrailGuardConfig.fromEnvironment(ENV),
                ResponseConfig.fromEnvironment(ENV), clients));
    }

    /** Every (path, action it calls, fault, persistence), the actions taken from a fault-free run. */
    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String[] path : PATHS) {
            List<String> actions;
            try (AwsStub stub = AwsStub.start()) {
                healthyAws(stub);
                function(stub, path[0]).invoke(Events.load(path[1]));
                actions = new ArrayList<>(new LinkedHashSet<>(stub.actions()));
            }
            for (String action : actions) {
                for (AwsFault fault : AwsFault.values()) {
                    cases.add(Arguments.of(path[0], path[1], action, fault, false));
                    cases.add(Arguments.of(path[0], path[1], action, fault, true));
                }
            }
        }
        return cases.stream();
    }

    @Test
    void statedBehaviour_shouldCoverExactlyTheCallsThePathsMake() {
        // then: no stated call is missing from the cases, and no call goes unstated
        assertThat(cases().map(a -> a.get()[1] + " " + a.get()[2]).collect(Collectors.toSet()))
                .isEqualTo(PERMANENT.keySet());
    }

    @ParameterizedTest(name = "{0} {1}: {2} {3} always={4}")
    @MethodSource("cases")
    void anyFaultOnAnyCall_shouldBeAbsorbedOrEndAsStatedForThePathAndCall(String name, String event,
            String action, AwsFault fault, boolean always) {
        try (AwsStub stub = AwsStub.start()) {
            // given: the fault-free outcome, then the same world with the fault
            healthyAws(stub);
            Outcome expected = function(stub, name).invoke(Events.load(event));
            stub.server().resetRequests();
            stub.fault(action, fault, always);

            // when
            String actual;
            try {
                actual = render(function(stub, name).invoke(Events.load(event)));
            } catch (AwsCallFailedException e) {
                actual = FAILS;
            }

            // then
            if (fault.isTransient() && !always) {
                assertThat(actual).as("a transient fault once changes nothing").isEqualTo(render(expected));
                return;
            }
            String key = event + " " + action;
            String stated = !always && DENIED_ONCE.containsKey(key) ? DENIED_ONCE.get(key) : PERMANENT.get(key);
            assertThat(stated).as("expected behaviour stated for %s", key).isNotNull();
            boolean naming = stated.endsWith(NAMING);
            assertThat(actual).as("%s failing permanently (%s)", key, fault)
                    .isEqualTo(naming ? stated.substring(0, stated.length() - NAMING.length()) : stated);
            if (naming) {
                List<String> messages = stub.requests("sns:Publish").stream()
                        .map(r -> AwsStub.form(r).get("Message")).toList();
                assertThat(messages).as("a notification names %s", action).anyMatch(m -> m.contains(action));
            }
        }
    }
}
