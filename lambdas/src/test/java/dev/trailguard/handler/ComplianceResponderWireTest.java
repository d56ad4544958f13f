package dev.trailguard.handler;

import static dev.trailguard.handler.WireFixtures.DELIVERY;
import static dev.trailguard.handler.WireFixtures.DELIVERY_ERROR;
import static dev.trailguard.handler.WireFixtures.DESCRIBE_TRAILS;
import static dev.trailguard.handler.WireFixtures.MAIN;
import static dev.trailguard.handler.WireFixtures.ROLE;
import static dev.trailguard.handler.WireFixtures.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** ComplianceResponder against the real SDK clients and a local stub: the exact requests on the wire. */
class ComplianceResponderWireTest {

    AwsStub stub;
    ComplianceResponder responder;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        responder = new ComplianceResponder(Dependencies.live(WireFixtures.config(List.of()),
                stub.clients(Region.US_EAST_1)));
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    @Test
    void nonCompliantWithStoppedTrail_shouldDescribeCheckStartAndPublish() throws Exception {
        // given: main stopped at 14:50:00, data-events logging with a delivery error; org and shadow trails listed
        stub.cloudTrail("DescribeTrails", DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", MAIN, WireFixtures.stopped(1795186200L));
        stub.cloudTrail("GetTrailStatus", DELIVERY, DELIVERY_ERROR);
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"9b8c7d6e-5f4a-4b3c-2d1e-0f9a8b7c6d5e\"}");
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000001");

        // when
        Outcome outcome = responder.handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then: trail by trail; the organization trail (other owner) and the eu-west-1 shadow trail are never asked
        // (no baseline here: both sources are read before the restart and nothing is compared; the logging
        // trail is not compared at all by the Config path)
        assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                "ssm:GetParameter", "config:GetResourceConfigHistory", "ssm:StartAutomationExecution",
                "sns:Publish", "cloudtrail:GetTrailStatus");
        assertThat(AwsStub.json(stub.requests("cloudtrail:DescribeTrails").get(0)).get("includeShadowTrails")
                .asBoolean()).isTrue();
        assertThat(stub.requests("cloudtrail:GetTrailStatus")).extracting(r -> AwsStub.json(r).get("Name").asText())
                .containsExactly(MAIN, DELIVERY);

        LoggedRequest start = stub.requests("ssm:StartAutomationExecution").get(0);
        assertThat(start.getHeader("X-Amz-Target")).isEqualTo("AmazonSSM.StartAutomationExecution");
        assertThat(AwsStub.signingRegion(start)).isEqualTo("us-east-1");
        JsonNode body = AwsStub.json(start);
        assertThat(body.get("DocumentName").asText()).isEqualTo("AWS-ConfigureCloudTrailLogging");
        assertThat(body.get("Parameters").get("CloudTrailArn").get(0).asText()).isEqualTo(MAIN);
        assertThat(body.get("Parameters").get("StartLogging").get(0).asText()).isEqualTo("True");
        assertThat(body.get("Parameters").get("AutomationAssumeRole").get(0).asText()).isEqualTo(ROLE);
        // stop/<trail>/2026-11-20T14:50:00Z/attempt-0, pinned
        assertThat(body.get("ClientToken").asText()).isEqualTo("f86725d7-829f-369f-833b-764777d0d631");
        assertThat(body.get("Tags").toString()).contains("\"Key\":\"TrailGuard:Trigger\",\"Value\":\"ConfigRule\"");

        LoggedRequest publish = stub.requests("sns:Publish").get(0);
        Map<String, String> form = AwsStub.form(publish);
        assertThat(form).containsEntry("TopicArn", TOPIC).containsEntry("MessageStructure", "json")
                .containsEntry("Subject", "[HIGH] TrailGuard: management-events not logging, restart started");
        assertThat(AwsStub.messageAttributes(publish)).containsEntry("severity", "HIGH")
                .containsEntry("kind", "LOGGING_STOPPED").containsEntry("outcome", "REMEDIATION_STARTED")
                .containsEntry("detectedBy", "ConfigRule").containsEntry("trail", "management-events");
        JsonNode message = new ObjectMapper().readTree(form.get("Message"));
        assertThat(message.get("email").asText()).contains("Found by: AWS Config rule",
                "Execution: 9b8c7d6e-5f4a-4b3c-2d1e-0f9a8b7c6d5e",
                "https://us-east-1.console.aws.amazon.com/systems-manager/automation/execution/"
                        + "9b8c7d6e-5f4a-4b3c-2d1e-0f9a8b7c6d5e?region=us-east-1");
        JsonNode json = new ObjectMapper().readTree(message.get("default").asText());
        assertThat(json.get("schemaVersion").asText()).isEqualTo("1.0");
        assertThat(json.get("detectedBy").asText()).isEqualTo("ConfigRule");
        assertThat(json.get("details").get("Config rule").asText()).isEqualTo("trailguard-cloudtrail-enabled");

        assertThat(outcome.outcome()).isEqualTo("REMEDIATED");
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("REMEDIATION_STARTED", "LOGGING");
    }

    @Test
    void otherRule_shouldMakeNoRequestAtAll() {
        // when
        Outcome outcome = responder.handle(Events.load("config/other-rule-non-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED");
        assertThat(stub.requests()).isEmpty();
    }
}
