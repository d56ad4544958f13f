package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Dependencies;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsFault;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/**
 * Every AWS call of every function (CloudTrail, SSM, SNS, Config), under every fault, once and on every attempt.
 * A fault once must change nothing (the SDK's retries absorb it; AccessDenied is not retried and is judged as
 * permanent). A permanent fault must never pass silently: the invocation either still ends in a notification
 * (degraded, or "could not remediate" naming the failed call) or fails, so that Lambda retries it and finally
 * dead-letters it (an alarmed queue).
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

    @ParameterizedTest(name = "{0} {1}: {2} {3} always={4}")
    @MethodSource("cases")
    void anyFaultOnAnyCall_shouldBeAbsorbedOrEndInANotificationOrAFailedInvocation(String name, String event,
            String action, AwsFault fault, boolean always) {
        try (AwsStub stub = AwsStub.start()) {
            // given: the fault-free outcome, then the same world with the fault
            healthyAws(stub);
            Outcome expected = function(stub, name).invoke(Events.load(event));
            stub.server().resetRequests();
            stub.fault(action, fault, always);

            // when
            Outcome outcome;
            try {
                outcome = function(stub, name).invoke(Events.load(event));
            } catch (AwsCallFailedException e) {
                // then (a): the invocation failed to the caller: Lambda retries, then dead-letters
                assertThat(fault.isTransient() && !always).as("a transient fault once must be absorbed").isFalse();
                return;
            }

            // then (b)
            if (fault.isTransient() && !always) {
                assertThat(outcome.outcome()).isEqualTo(expected.outcome());
                assertThat(outcome.items().stream().map(Outcome::outcome).toList())
                        .isEqualTo(expected.items().stream().map(Outcome::outcome).toList());
                return;
            }
            boolean notified = outcome.messageId() != null
                    || outcome.items().stream().anyMatch(i -> i.messageId() != null);
            assertThat(notified).as("%s ended silently as %s", action, outcome.outcome()).isTrue();
            List<String> messages = stub.requests("sns:Publish").stream()
                    .map(r -> AwsStub.form(r).get("Message")).toList();
            boolean degradedButSame = outcome.outcome().equals(expected.outcome());
            boolean namesTheCall = messages.stream().anyMatch(m -> m.contains(action));
            assertThat(degradedButSame || namesTheCall)
                    .as("%s: outcome %s (expected %s) must name the failed call", action, outcome.outcome(),
                            expected.outcome()).isTrue();
        }
    }
}
