package dev.trailguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.TamperResponder;
import dev.trailguard.testing.AwsFault;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/**
 * Every AWS call of the StopLogging path, under every fault: transient faults are absorbed by the SDK's retries,
 * permanent ones end in a "could not remediate" notification naming the call, and a failing SNS fails the
 * invocation so that Lambda's retries and the dead-letter queue take over. No call can hang: attempts and calls are
 * bounded by timeouts.
 */
class TamperResponderFaultTest {

    static final List<String> ACTIONS = List.of("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
            "ssm:StartAutomationExecution", "sns:Publish");
    /** Only informs the severity: when it fails, the stop is still notified at HIGH. */
    static final String REPEAT_COUNT = "ssm:DescribeAutomationExecutions";
    static final Duration ATTEMPT = Duration.ofMillis(500);
    static final Duration CALL = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();

    AwsStub stub;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        stub.cloudTrail("DescribeTrails", "{\"trailList\":[{\"Name\":\"management-events\",\"HomeRegion\":\"us-east-1\","
                + "\"TrailARN\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events\","
                + "\"IsMultiRegionTrail\":true,\"IsOrganizationTrail\":false}]}");
        stub.cloudTrail("GetTrailStatus", "{\"IsLogging\":false,\"StopLoggingTime\":1.763647391E9}");
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                TrailGuardConfig.TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:trailguard",
                TrailGuardConfig.AUTOMATION_ROLE_ARN, "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole"));
        AwsClients clients = new AwsClients(Region.US_EAST_1, stub.endpoint(), ATTEMPT, CALL);
        handler = new TamperResponder(Dependencies.live(config, clients));
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    static Stream<Arguments> everyCallAndFault() {
        List<Arguments> cases = new ArrayList<>();
        for (String action : ACTIONS) {
            for (AwsFault fault : AwsFault.values()) {
                cases.add(Arguments.of(action, fault));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} once")
    @MethodSource("everyCallAndFault")
    void faultOnce_shouldBeAbsorbedIfTransientElseReported(String action, AwsFault fault) {
        // given
        stub.fault(action, fault, false);

        // when / then
        if (fault.isTransient()) {
            Outcome outcome = handler.handle(Events.load("cloudtrail/stop-logging.json"));
            assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
            assertThat(stub.requests(action)).hasSize(2);
            assertThat(stub.requests("ssm:StartAutomationExecution").stream()
                    .map(r -> AwsStub.json(r).path("ClientToken").asText()).distinct()).hasSize(1);
        } else {
            expectPermanentFailure(action);
            assertThat(stub.requests(action)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0} {1} always")
    @MethodSource("everyCallAndFault")
    void faultOnEveryAttempt_shouldEndInNotificationOrFailedInvocationWithinTheCallTimeout(String action,
                                                                                          AwsFault fault) {
        // given
        stub.fault(action, fault, true);
        long started = System.nanoTime();

        // when / then
        expectPermanentFailure(action);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        // Generous bound: each faulted call gives up within its call timeout, far from Lambda's 60 s.
        assertThat(elapsed).isLessThan(CALL.multipliedBy(3));
        assertThat(stub.requests(action)).hasSizeBetween(1, 3);
    }

    private void expectPermanentFailure(String action) {
        if (action.startsWith("sns:")) {
            assertThatThrownBy(() -> handler.handle(Events.load("cloudtrail/stop-logging.json")))
                    .isInstanceOf(AwsCallFailedException.class)
                    .hasMessageStartingWith("sns:Publish failed");
            return;
        }
        Outcome outcome = handler.handle(Events.load("cloudtrail/stop-logging.json"));
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_NOT_STARTED");
        JsonNode message = readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"));
        assertThat(message.path("email").asText()).contains("Remediation could not start: " + action + " failed");
        assertThat(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Subject")).startsWith("[CRITICAL]");
        if (!action.equals("ssm:StartAutomationExecution")) {
            assertThat(stub.requests("ssm:StartAutomationExecution")).isEmpty();
        }
    }

    private static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
