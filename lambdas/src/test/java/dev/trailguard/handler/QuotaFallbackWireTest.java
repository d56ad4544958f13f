package dev.trailguard.handler;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.testing.AwsFault;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Issue 14, item 7: an attacker fills the account's SSM automation quota (100 concurrent, then a queue of 1,000) with
 * long-running executions, then stops logging. SSM refuses the runbook; TrailGuard must still restart logging, by
 * calling {@code StartLogging} itself, and say so. Real SDK clients against the local stub.
 */
class QuotaFallbackWireTest {

    static final String TRAIL_ARN = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events";
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:trailguard-notifications";
    static final ObjectMapper JSON = new ObjectMapper();

    AwsStub stub;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                TrailGuardConfig.TOPIC_ARN, TOPIC,
                TrailGuardConfig.AUTOMATION_ROLE_ARN, "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole",
                TrailGuardConfig.OWN_ROLE_ARNS, "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole",
                TrailGuardConfig.FUNCTION_ROLE_ARNS, WireFixtures.FUNCTION_ROLE));
        handler = new TamperResponder(Dependencies.live(config, stub.clients(Region.US_EAST_1)));
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"management-events","S3BucketName":"org-audit-logs","IncludeGlobalServiceEvents":true,
                 "IsMultiRegionTrail":true,"HomeRegion":"eu-west-1","TrailARN":"%s","LogFileValidationEnabled":true,
                 "HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":false}]}
                """.formatted(TRAIL_ARN));
        // The trail is stopped until someone calls StartLogging on it: the status follows the calls, not the test.
        stub.server().stubFor(AwsStub.matcher("cloudtrail:GetTrailStatus").inScenario("trail")
                .whenScenarioStateIs(STARTED).willReturn(status(false)));
        stub.server().stubFor(AwsStub.matcher("cloudtrail:GetTrailStatus").inScenario("trail")
                .whenScenarioStateIs("logging").willReturn(status(true)));
        stub.server().stubFor(AwsStub.matcher("cloudtrail:StartLogging").inScenario("trail")
                .willSetStateTo("logging").willReturn(ok("{}")));
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(boolean logging) {
        return ok("{\"IsLogging\":" + logging + ",\"StartLoggingTime\":1.763622e9,\"StopLoggingTime\":1.763647391E9}");
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(json);
    }

    JsonNode invoke() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Events.load("cloudtrail/stop-logging.json")), out, null);
        return JSON.readTree(out.toByteArray());
    }

    JsonNode published() throws IOException {
        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        JsonNode message = JSON.readTree(form.get("Message"));
        ObjectNode document = (ObjectNode) JSON.readTree(message.path("default").asText());
        return document.put("subject", form.get("Subject")).put("email", message.path("email").asText());
    }

    @Test
    void automationQuotaFull_shouldStartLoggingDirectlyInHomeRegionConfirmItAndSaySo() throws IOException {
        // given: SSM's concurrent executions and queue are full
        stub.ssmError("StartAutomationExecution", 400, "AutomationExecutionLimitExceededException",
                "Automation execution limit exceeded");

        // when
        JsonNode outcome = invoke();

        // then: the runbook was refused once (not a retryable error), then StartLogging and a confirming status;
        // the actor's earlier stops are still counted (repeated tampering)
        // (no baseline is stubbed: the reconciling comparison finds none and the plain restart is asked for)
        assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                "ssm:GetParameter", "config:GetResourceConfigHistory", "ssm:StartAutomationExecution", "cloudtrail:StartLogging", "cloudtrail:GetTrailStatus",
                "ssm:DescribeAutomationExecutions", "sns:Publish");
        LoggedRequest start = stub.requests("cloudtrail:StartLogging").get(0);
        assertThat(AwsStub.signingRegion(start)).isEqualTo("eu-west-1");
        assertThat(AwsStub.json(start).path("Name").asText()).isEqualTo(TRAIL_ARN);
        assertThat(AwsStub.signingRegion(stub.requests("cloudtrail:GetTrailStatus").get(1))).isEqualTo("eu-west-1");

        assertThat(outcome.path("outcome").asText()).isEqualTo("LOGGING_STARTED_DIRECTLY");
        assertThat(outcome.path("executionId").isMissingNode() || outcome.path("executionId").isNull()).isTrue();
        JsonNode document = published();
        assertThat(document.path("subject").asText())
                .isEqualTo("[CRITICAL] TrailGuard: Logging stopped on management-events, restarted directly (SSM "
                        + "refused)");
        assertThat(document.path("action").path("outcome").asText()).isEqualTo("LOGGING_STARTED_DIRECTLY");
        assertThat(document.path("action").path("description").asText())
                .contains("AutomationExecutionLimitExceededException", "called cloudtrail:StartLogging itself",
                        "the one change it makes outside SSM Automation",
                        "GetTrailStatus confirms the trail logs again.");
        assertThat(document.path("email").asText()).contains("No runbook result follows for this restart.",
                        "Look for long-running automation executions you did not start")
                .doesNotContain("a follow-up notification confirms it");
    }

    @Test
    void throttlingThatOutlastsTheRetries_shouldAlsoFallBack() throws IOException {
        // given
        stub.fault("ssm:StartAutomationExecution", AwsFault.THROTTLING_400, true);

        // when
        JsonNode outcome = invoke();

        // then: the SDK's three attempts, then the direct start
        assertThat(stub.requests("ssm:StartAutomationExecution")).hasSize(3);
        assertThat(stub.requests("cloudtrail:StartLogging")).hasSize(1);
        assertThat(outcome.path("outcome").asText()).isEqualTo("LOGGING_STARTED_DIRECTLY");
        assertThat(published().path("action").path("description").asText()).contains("ThrottlingException");
    }

    @Test
    void accessDenied_shouldNotFallBack_aConfigurationFaultIsReportedNotHidden() throws IOException {
        // given
        stub.fault("ssm:StartAutomationExecution", AwsFault.ACCESS_DENIED, true);

        // when
        JsonNode outcome = invoke();

        // then
        assertThat(stub.requests("cloudtrail:StartLogging")).isEmpty();
        assertThat(outcome.path("outcome").asText()).isEqualTo("REMEDIATION_NOT_STARTED");
        assertThat(published().path("subject").asText()).startsWith("[CRITICAL]");
    }

    @Test
    void directStartFailingToo_shouldReportBothFailures() throws IOException {
        // given
        stub.ssmError("StartAutomationExecution", 400, "AutomationExecutionLimitExceededException",
                "Automation execution limit exceeded");
        stub.server().stubFor(AwsStub.matcher("cloudtrail:StartLogging").atPriority(1).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"AccessDeniedException\",\"message\":\"explicit deny in a service control "
                        + "policy\"}")));

        // when
        JsonNode outcome = invoke();

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("REMEDIATION_NOT_STARTED");
        JsonNode document = published();
        assertThat(document.path("subject").asText()).startsWith("[CRITICAL]");
        assertThat(document.path("email").asText()).contains("AutomationExecutionLimitExceededException",
                "the direct fallback failed too", "cloudtrail:StartLogging failed: AccessDeniedException");
    }

    @Test
    void statusNotConfirmed_shouldSaySoAndAskForACheck() throws IOException {
        // given: StartLogging answers, but the trail still says it does not log
        stub.ssmError("StartAutomationExecution", 400, "AutomationExecutionLimitExceededException",
                "Automation execution limit exceeded");
        stub.server().stubFor(AwsStub.matcher("cloudtrail:StartLogging").atPriority(1).willReturn(ok("{}")));

        // when
        JsonNode outcome = invoke();

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("LOGGING_STARTED_DIRECTLY");
        assertThat(published().path("action").path("description").asText())
                .contains("GetTrailStatus did not confirm that the trail logs: check it now.");
    }
}
