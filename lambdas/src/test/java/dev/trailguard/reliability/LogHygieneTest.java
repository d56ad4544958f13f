package dev.trailguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.TamperResponder;
import dev.trailguard.logging.JsonLoggerProvider;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import software.amazon.awssdk.regions.Region;

/** Logs must never carry credentials: not the caller's access key ids from events, not our own keys or tokens. */
class LogHygieneTest {

    static final List<String> EVENTS = List.of("cloudtrail/stop-logging.json",
            "cloudtrail/stop-logging-assumed-role-arn.json", "cloudtrail/stop-logging-console.json",
            "cloudtrail/stop-logging-access-denied.json", "cloudtrail/delete-trail.json",
            "cloudtrail/update-trail.json", "cloudtrail/put-event-selectors.json");

    @Test
    void handlingEveryEventAtTraceLevel_shouldLogNoKeyIdSecretOrToken() throws Exception {
        // given: everything logged, including the SDK at TRACE, into a buffer
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        JsonLoggerProvider.Settings previous = JsonLoggerProvider.configure(new JsonLoggerProvider.Settings(
                Level.TRACE, Level.TRACE, new PrintStream(captured, true, StandardCharsets.UTF_8)));
        try (AwsStub stub = AwsStub.start()) {
            stub.cloudTrail("DescribeTrails", "{\"trailList\":[{\"Name\":\"management-events\",\"HomeRegion\":"
                    + "\"us-east-1\",\"TrailARN\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events\"}]}");
            stub.cloudTrail("GetTrailStatus", "{\"IsLogging\":false}");
            stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
            stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
            stub.snsPublish("m-1");
            TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                    TrailGuardConfig.TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:trailguard",
                    TrailGuardConfig.AUTOMATION_ROLE_ARN, "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole"));
            TamperResponder handler = new TamperResponder(Dependencies.live(config, stub.clients(Region.US_EAST_1)));

            // when
            for (String event : EVENTS) {
                handler.handle(Events.load(event));
            }
        } finally {
            JsonLoggerProvider.configure(previous);
        }

        // then: the SDK's own TRACE output is there (so the check has teeth), and no credential is
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("REMEDIATION_STARTED", "7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
                "\"logger\":\"software.amazon.awssdk");
        assertThat(logs).doesNotContainPattern("A[KS]IA[A-Z0-9]{12,}");
        assertThat(logs).doesNotContain(System.getenv("AWS_SECRET_ACCESS_KEY"), "AKIDTESTTESTTESTTEST",
                "X-Amz-Security-Token", "aws_secret_access_key");
        for (String line : logs.split("\n")) {
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("level").asText())
                    .isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
        }
    }
}
