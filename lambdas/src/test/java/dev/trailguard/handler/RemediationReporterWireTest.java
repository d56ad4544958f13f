package dev.trailguard.handler;

import static dev.trailguard.handler.WireFixtures.MAIN;
import static dev.trailguard.handler.WireFixtures.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** RemediationReporter against the real SDK clients and a local stub. */
class RemediationReporterWireTest {

    static final String FAILED_ID = "5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
    static final String SUCCESS_ID = "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    static final String ASSUME_ROLE_FAILURE = "Step fails when it is Executing. Fail reason: The defined assume "
            + "role is unable to be assumed. (Service: AmazonSSM; Status Code: 400; Error Code: "
            + "InvalidAutomationExecutionParametersException)";

    AwsStub stub;
    RemediationReporter reporter;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        reporter = new RemediationReporter(Dependencies.live(WireFixtures.config(List.of()),
                stub.clients(Region.US_EAST_1)));
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    @Test
    void failedWithAssumeRoleError_shouldLookUpAndPublishDiagnosis() throws Exception {
        // given
        stub.ssm("GetAutomationExecution", WireFixtures.execution(FAILED_ID, "Failed", ROLE, ASSUME_ROLE_FAILURE));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1795183350L));
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000002");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/automation-failed.json"));

        // then
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution", "cloudtrail:DescribeTrails",
                "cloudtrail:GetTrailStatus", "sns:Publish");
        LoggedRequest get = stub.requests("ssm:GetAutomationExecution").get(0);
        assertThat(get.getHeader("X-Amz-Target")).isEqualTo("AmazonSSM.GetAutomationExecution");
        assertThat(AwsStub.json(get).get("AutomationExecutionId").asText()).isEqualTo(FAILED_ID);
        assertThat(AwsStub.signingRegion(get)).isEqualTo("us-east-1");
        JsonNode describe = AwsStub.json(stub.requests("cloudtrail:DescribeTrails").get(0));
        assertThat(describe.get("trailNameList").get(0).asText()).isEqualTo(MAIN);

        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(form.get("Subject"))
                .isEqualTo("[CRITICAL] TrailGuard: Restart of management-events failed: role cannot be assumed");
        assertThat(AwsStub.messageAttributes(stub.requests("sns:Publish").get(0)))
                .containsEntry("severity", "CRITICAL").containsEntry("kind", "REMEDIATION_FAILED")
                .containsEntry("outcome", "REMEDIATION_FAILED").containsEntry("detectedBy", "Automation");
        JsonNode message = new ObjectMapper().readTree(form.get("Message"));
        assertThat(message.get("email").asText()).contains("ssm.amazonaws.com (not config.amazonaws.com)",
                "Failure message: Step fails when it is Executing.", "Logging now: no",
                "/cloudtrailv2/home?region=us-east-1#/trails/arn%3Aaws%3Acloudtrail%3Aus-east-1%3A111122223333"
                        + "%3Atrail%2Fmanagement-events");
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_FAILED");
    }

    @Test
    void succeeded_shouldConfirmAndPublishTheLoggingGap() throws Exception {
        // given
        stub.ssm("GetAutomationExecution", WireFixtures.execution(SUCCESS_ID, "Success", ROLE, null));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000003");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("LOGGING_RESTORED");
        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(form.get("Subject")).isEqualTo("[LOW] TrailGuard: management-events logging again");
        JsonNode message = new ObjectMapper().readTree(form.get("Message"));
        JsonNode json = new ObjectMapper().readTree(message.get("default").asText());
        assertThat(json.get("loggingGap").get("seconds").asLong()).isEqualTo(48);
        assertThat(json.get("loggingGap").get("stoppedAt").asText()).isEqualTo("2026-11-20T14:02:30Z");
        assertThat(message.get("email").asText()).contains("Not recorded: 48 s (2026-11-20T14:02:30Z to "
                + "2026-11-20T14:03:18Z)");
    }

    @Test
    void executionInAnotherRegion_shouldAskSsmThere() {
        // given: the status event was emitted in eu-west-1, where the execution ran
        stub.ssm("GetAutomationExecution", WireFixtures.execution(SUCCESS_ID, "Success",
                "arn:aws:iam::111122223333:role/SomeoneElsesRole", null));
        byte[] event = new String(Events.load("ssm/automation-success.json"), StandardCharsets.UTF_8)
                .replace("\"region\": \"us-east-1\"", "\"region\": \"eu-west-1\"").getBytes(StandardCharsets.UTF_8);

        // when
        Outcome outcome = reporter.handle(event);

        // then: not ours, so nothing else is called or published
        assertThat(outcome.outcome()).isEqualTo("IGNORED_NOT_OURS");
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution");
        assertThat(AwsStub.signingRegion(stub.requests().get(0))).isEqualTo("eu-west-1");
    }
}
