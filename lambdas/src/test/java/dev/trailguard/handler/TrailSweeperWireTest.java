package dev.trailguard.handler;

import static dev.trailguard.handler.WireFixtures.DELIVERY;
import static dev.trailguard.handler.WireFixtures.MAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** TrailSweeper against the real SDK clients and a local stub. */
class TrailSweeperWireTest {

    AwsStub stub;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    TrailSweeper sweeper(List<String> guarded) {
        return new TrailSweeper(Dependencies.live(WireFixtures.config(guarded), stub.clients(Region.US_EAST_1)));
    }

    static byte[] sweepAt(String time) {
        return new String(Events.load("scheduled/sweep.json"), StandardCharsets.UTF_8)
                .replace("\"time\": \"2026-11-20T14:05:00Z\"", "\"time\": \"" + time + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void firstSweepOfHour_shouldRestartStoppedAndReportDeliveryErrorAndMissingTrail() {
        // given: main stopped at 13:55 (missed by the event path), data-events cannot deliver, one guarded trail gone
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", MAIN, WireFixtures.stopped(1795182900L));
        stub.cloudTrail("GetTrailStatus", DELIVERY, WireFixtures.DELIVERY_ERROR);
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"0c1d2e3f-4a5b-4c6d-7e8f-9a0b1c2d3e4f\"}");
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000004");
        TrailSweeper sweeper = sweeper(List.of("management-events", "data-events", "org-trail", "deleted-trail"));

        // when
        Outcome outcome = sweeper.handle(sweepAt("2026-11-20T14:00:00Z"));

        // then
        // (no baseline anywhere: the missing trail cannot be recreated, nothing is compared)
        assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails",
                "ssm:GetParameter", "config:GetResourceConfigHistory", "sns:Publish",
                "cloudtrail:GetTrailStatus", "ssm:GetParameter", "config:GetResourceConfigHistory",
                "ssm:StartAutomationExecution", "sns:Publish",
                "cloudtrail:GetTrailStatus", "ssm:GetParameter", "config:GetResourceConfigHistory", "sns:Publish");
        LoggedRequest start = stub.requests("ssm:StartAutomationExecution").get(0);
        assertThat(AwsStub.signingRegion(start)).isEqualTo("us-east-1");
        JsonNode body = AwsStub.json(start);
        // stop/<trail>/2026-11-20T13:55:00Z/attempt-0, pinned
        assertThat(body.get("ClientToken").asText()).isEqualTo("f91489f8-5108-33f0-9141-2ff6a697a2a2");
        assertThat(body.get("Tags").toString()).contains("\"Key\":\"TrailGuard:Trigger\",\"Value\":\"Sweep\"");

        List<LoggedRequest> publishes = stub.requests("sns:Publish");
        assertThat(publishes).extracting(p -> AwsStub.form(p).get("Subject")).containsExactly(
                "[CRITICAL] TrailGuard: Guarded trail deleted-trail missing",
                "[HIGH] TrailGuard: management-events not logging, restart started",
                "[HIGH] TrailGuard: data-events logs but cannot deliver");
        assertThat(AwsStub.messageAttributes(publishes.get(1))).containsEntry("detectedBy", "Sweep")
                .containsEntry("outcome", "REMEDIATION_STARTED");
        assertThat(AwsStub.form(publishes.get(1)).get("Message")).contains("Found by: scheduled sweep (the event "
                + "path missed it)");
        assertThat(AwsStub.form(publishes.get(2)).get("Message")).contains("Latest delivery error: AccessDenied");
        assertThat(outcome.outcome()).isEqualTo("ISSUES_FOUND");
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("GUARDED_TRAIL_MISSING",
                "REMEDIATION_STARTED", "DELIVERY_ERROR");
    }

    @Test
    void healthySweep_shouldReadOnlyAndPublishNothing() {
        // given
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.HEALTHY);

        // when
        Outcome outcome = sweeper(List.of()).handle(Events.load("scheduled/sweep.json"));

        // then: two own trails homed here are checked (status, and a declared baseline to compare with: none
        // here); the org trail and the eu-west-1 trail are not
        assertThat(outcome.outcome()).isEqualTo("HEALTHY");
        assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails",
                "cloudtrail:GetTrailStatus", "ssm:GetParameter", "config:GetResourceConfigHistory",
                "cloudtrail:GetTrailStatus", "ssm:GetParameter", "config:GetResourceConfigHistory");
        assertThat(stub.requests("cloudtrail:GetTrailStatus")).extracting(r -> AwsStub.json(r).get("Name").asText())
                .containsExactly(MAIN, DELIVERY);
    }
}
