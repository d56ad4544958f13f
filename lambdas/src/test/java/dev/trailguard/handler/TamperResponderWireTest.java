package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The real SDK clients against a local stub: proves the bytes TrailGuard puts on the wire. */
class TamperResponderWireTest {

    static final String TRAIL_ARN = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events";
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:trailguard-notifications";
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final ObjectMapper JSON = new ObjectMapper();

    AwsStub stub;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                TrailGuardConfig.TOPIC_ARN, TOPIC,
                TrailGuardConfig.AUTOMATION_ROLE_ARN, ROLE,
                TrailGuardConfig.OWN_ROLE_ARNS, "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole",
                TrailGuardConfig.FUNCTION_ROLE_ARNS, WireFixtures.FUNCTION_ROLE));
        handler = new TamperResponder(Dependencies.live(config, stub.clients(Region.US_EAST_1)));
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    void trailInHomeRegion(String homeRegion, boolean logging) {
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"management-events","S3BucketName":"org-audit-logs","IncludeGlobalServiceEvents":true,
                 "IsMultiRegionTrail":true,"HomeRegion":"%s","TrailARN":"%s","LogFileValidationEnabled":true,
                 "HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":false}]}
                """.formatted(homeRegion, TRAIL_ARN));
        stub.cloudTrail("GetTrailStatus", """
                {"IsLogging":%s,"StartLoggingTime":1.763622e9,"StopLoggingTime":1.763647391E9,
                 "LatestDeliveryTime":1.76364738E9,"TimeLoggingStarted":"2025-11-20T09:00:00Z"}
                """.formatted(logging));
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[{\"AutomationExecutionId\":"
                + "\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\",\"DocumentName\":\"AWS-ConfigureCloudTrailLogging\"}]}");
    }

    JsonNode invoke(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Events.load(event)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void stopLogging_shouldDescribeThenStartRunbookSignedForHomeRegionThenPublish() throws IOException {
        // given
        trailInHomeRegion("eu-west-1", false);
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");

        // when
        JsonNode outcome = invoke("cloudtrail/stop-logging.json");

        // then: the calls, in order
        // no baseline here: both sources are read before the restart, and nothing is compared
        assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                "ssm:GetParameter", "config:GetResourceConfigHistory", "ssm:StartAutomationExecution",
                "ssm:DescribeAutomationExecutions", "sns:Publish");
        JsonNode describe = AwsStub.json(stub.requests("cloudtrail:DescribeTrails").get(0));
        assertThat(describe.path("trailNameList").get(0).asText()).isEqualTo("management-events");
        assertThat(describe.path("includeShadowTrails").asBoolean()).isTrue();
        assertThat(AwsStub.json(stub.requests("cloudtrail:GetTrailStatus").get(0)).path("Name").asText())
                .isEqualTo(TRAIL_ARN);

        LoggedRequest start = stub.requests("ssm:StartAutomationExecution").get(0);
        assertThat(AwsStub.signingRegion(start)).isEqualTo("eu-west-1");
        JsonNode body = AwsStub.json(start);
        assertThat(body.path("DocumentName").asText()).isEqualTo("AWS-ConfigureCloudTrailLogging");
        assertThat(body.path("Parameters").path("CloudTrailArn").get(0).asText()).isEqualTo(TRAIL_ARN);
        assertThat(body.path("Parameters").path("StartLogging").get(0).asText()).isEqualTo("True");
        assertThat(body.path("Parameters").path("AutomationAssumeRole").get(0).asText()).isEqualTo(ROLE);
        assertThat(body.path("Parameters").size()).isEqualTo(3);
        // Pinned, not recomputed by the code under test: the same event on the us-east-1 trail of the README
        // has dcfcb593-a82e-3b71-9ce8-4395dc0eddbf; another trail must get another token.
        assertThat(body.path("ClientToken").asText()).isEqualTo("3c09ec8d-41a9-3215-a725-4fc4056ce0e9");
        assertThat(body.path("Tags").toString()).contains("\"Value\":\"arn:aws:iam::111122223333:user/mallory\"}",
                "{\"Key\":\"TrailGuard:Actor:");
        JsonNode filters = AwsStub.json(stub.requests("ssm:DescribeAutomationExecutions").get(0)).path("Filters");
        assertThat(filters.toString()).contains("{\"Key\":\"DocumentNamePrefix\",\"Values\":[\"AWS-ConfigureCloudTrailLogging\"]}",
                "{\"Key\":\"StartTimeAfter\",\"Values\":[\"2026-11-20T13:48:11Z\"]}", "{\"Key\":\"TagKey\",\"Values\":[\"TrailGuard:Actor:");
        assertThat(AwsStub.signingRegion(stub.requests("ssm:DescribeAutomationExecutions").get(0))).isEqualTo("eu-west-1");
        assertThat(body.path("Tags").toString()).contains("{\"Key\":\"TrailGuard:Incident\","
                + "\"Value\":\"7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b\"}", "{\"Key\":\"TrailGuard:Trigger\","
                + "\"Value\":\"StopLogging\"}");

        LoggedRequest publish = stub.requests("sns:Publish").get(0);
        assertThat(AwsStub.signingRegion(publish)).isEqualTo("us-east-1");
        Map<String, String> form = AwsStub.form(publish);
        assertThat(form.get("TopicArn")).isEqualTo(TOPIC);
        assertThat(form.get("MessageStructure")).isEqualTo("json");
        assertThat(form.get("Subject"))
                .isEqualTo("[HIGH] TrailGuard: Logging stopped on management-events, restart started");
        JsonNode message = JSON.readTree(form.get("Message"));
        assertThat(message.path("email").asText())
                .contains("Who: arn:aws:iam::111122223333:user/mallory", "Source IP: 203.0.113.45",
                        "Trail: " + TRAIL_ARN, "Home region: eu-west-1", "When: 2026-11-20T14:03:11Z",
                        "Execution: 4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                        "https://eu-west-1.console.aws.amazon.com/systems-manager/automation/execution/"
                                + "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f?region=eu-west-1");
        JsonNode document = JSON.readTree(message.path("default").asText());
        assertThat(document.path("schemaVersion").asText()).isEqualTo("1.0");
        assertThat(document.path("action").path("outcome").asText()).isEqualTo("REMEDIATION_STARTED");
        assertThat(document.path("actor").path("principalArn").asText())
                .isEqualTo("arn:aws:iam::111122223333:user/mallory");
        // SQS, Lambda, HTTP/S and Firehose subscribers get the default; e-mail its own text
        assertThat(message.has("sqs")).isFalse();
        assertThat(AwsStub.messageAttributes(publish)).containsEntry("severity", "HIGH")
                .containsEntry("eventName", "StopLogging").containsEntry("account", "111122223333")
                .containsEntry("region", "us-east-1").containsEntry("outcome", "REMEDIATION_STARTED");

        assertThat(outcome.path("outcome").asText()).isEqualTo("REMEDIATION_STARTED");
        assertThat(outcome.path("executionId").asText()).isEqualTo("4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
        assertThat(outcome.path("messageId").asText()).isEqualTo("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
    }

    @Test
    void duplicateDelivery_shouldReuseClientTokenAndTreatMismatchAsAlreadyStarted() throws IOException {
        // given: the first delivery started the execution; SSM refuses the reused token
        trailInHomeRegion("eu-west-1", false);
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        stub.snsPublish("m-1");
        invoke("cloudtrail/stop-logging.json");
        stub.ssmError("StartAutomationExecution", 400, "IdempotentParameterMismatch",
                "Token already used");

        // when
        JsonNode second = invoke("cloudtrail/stop-logging.json");

        // then
        List<LoggedRequest> starts = stub.requests("ssm:StartAutomationExecution");
        assertThat(starts).hasSize(2);
        assertThat(AwsStub.json(starts.get(1)).path("ClientToken").asText())
                .isEqualTo(AwsStub.json(starts.get(0)).path("ClientToken").asText());
        assertThat(second.path("outcome").asText()).isEqualTo("REMEDIATION_ALREADY_STARTED");
    }

    @Test
    void ssmAccessDenied_shouldNotifyThatRemediationCouldNotStart() throws IOException {
        // given
        trailInHomeRegion("us-east-1", false);
        stub.ssmError("StartAutomationExecution", 400, "AccessDeniedException",
                "User is not authorized to perform: iam:PassRole");
        stub.snsPublish("m-2");

        // when
        JsonNode outcome = invoke("cloudtrail/stop-logging.json");

        // then: a permanent error is not retried, and the notification names the failing call
        assertThat(stub.requests("ssm:StartAutomationExecution")).hasSize(1);
        assertThat(outcome.path("outcome").asText()).isEqualTo("REMEDIATION_NOT_STARTED");
        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(form.get("Subject")).startsWith("[CRITICAL]");
        assertThat(JSON.readTree(form.get("Message")).path("email").asText())
                .contains("Remediation could not start: ssm:StartAutomationExecution failed: AccessDeniedException");
    }

    @Test
    void trailMissing_shouldNotifyCriticalWithoutStarting() throws IOException {
        // given
        stub.cloudTrailError("DescribeTrails", 400, "TrailNotFoundException", "Unknown trail");
        stub.snsPublish("m-3");

        // when
        JsonNode outcome = invoke("cloudtrail/stop-logging.json");

        // then
        // then: no baseline to recreate it from, so it is reported
        assertThat(outcome.path("outcome").asText()).isEqualTo("TRAIL_NOT_FOUND");
        assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails", "ssm:GetParameter",
                "config:GetResourceConfigHistory", "sns:Publish");
    }

    @Test
    void snsFailsPermanently_shouldThrowSoLambdaRetriesAndDeadLetters() {
        // given
        stub.snsError(403, "AuthorizationError", "not authorized to perform SNS:Publish");

        // when / then
        assertThatThrownBy(() -> invoke("cloudtrail/delete-trail.json"))
                .isInstanceOf(AwsCallFailedException.class)
                .hasMessageContaining("sns:Publish failed: AuthorizationError");
    }

    @Test
    void eventWithoutSource_shouldBeReportedUnreadableNotFailTheInvocation() throws IOException {
        // given: a tamper event without its source (the guard check and the tamper check both read it)
        stub.snsPublish("m-nosource");
        byte[] event = new String(Events.load("cloudtrail/stop-logging.json"), StandardCharsets.UTF_8)
                .replace("\"source\": \"aws.cloudtrail\",", "").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // when
        handler.handleRequest(new ByteArrayInputStream(event), out, null);

        // then
        JsonNode outcome = JSON.readTree(out.toByteArray());
        assertThat(outcome.path("outcome").asText()).isEqualTo("UNREADABLE_EVENT");
        assertThat(outcome.path("messageId").asText()).isEqualTo("m-nosource");
        assertThat(stub.actions()).containsExactly("sns:Publish");
    }

    @Test
    void keepalivePing_shouldMakeNoAwsCall() throws IOException {
        // when
        JsonNode outcome = invoke("scheduled/keepalive-ping.json");

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("KEEPALIVE");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void ownExecutionUpdate_shouldLookUpTheSessionsExecutionOnceAndNothingElse() throws IOException {
        // given: the session name is an execution of TrailGuard's runbook, started by the TamperResponder's role
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution("3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b",
                "TrailGuard-RestoreTrail", "InProgress", Map.of("AutomationAssumeRole", ROLE), null, null));

        // when
        JsonNode outcome = invoke("cloudtrail/update-trail-by-trailguard.json");

        // then: one GetAutomationExecution of that id, in the call's region, and nothing else
        assertThat(outcome.path("outcome").asText()).isEqualTo("IGNORED_OWN_ACTION");
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution");
        LoggedRequest get = stub.requests("ssm:GetAutomationExecution").get(0);
        assertThat(get.getHeader("X-Amz-Target")).isEqualTo("AmazonSSM.GetAutomationExecution");
        assertThat(AwsStub.json(get).path("AutomationExecutionId").asText())
                .isEqualTo("3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b");
        assertThat(AwsStub.signingRegion(get)).isEqualTo("us-east-1");
    }

    @Test
    void borrowedAutomationRole_shouldLookUpTheExecutionThenPublishCriticalBorrowedRole() throws IOException {
        // given: TrailGuard's runbook, started by an administrator with TrailGuard's automation role
        String execution = WireFixtures.runbookExecution("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
                "TrailGuard-RestoreTrail", "InProgress", Map.of("AutomationAssumeRole", ROLE), null, null)
                .replace("assumed-role/TrailGuard-TamperResponderRole/TamperResponder", "assumed-role/Admin/mallory");
        stub.ssm("GetAutomationExecution", execution);
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "no declared baseline");
        stub.config("GetResourceConfigHistory", "{\"configurationItems\":[]}");
        stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");

        // when
        JsonNode outcome = invoke("cloudtrail/update-trail-by-borrowed-automation-role.json");

        // then
        assertThat(outcome.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(stub.actions()).startsWith("ssm:GetAutomationExecution").endsWith("sns:Publish");
        assertThat(AwsStub.json(stub.requests("ssm:GetAutomationExecution").get(0)).path("AutomationExecutionId")
                .asText()).isEqualTo("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
        LoggedRequest publish = stub.requests("sns:Publish").get(0);
        assertThat(AwsStub.messageAttributes(publish)).containsEntry("kind", "AUTOMATION_ROLE_BORROWED")
                .containsEntry("severity", "CRITICAL");
        assertThat(AwsStub.form(publish).get("Message")).contains("assumed-role/Admin/mallory");
    }

    @Test
    void configFromEnvironment_shouldIncludeAutomationRoleInOwnRoles() {
        // then: the automation role is always part of the loop guard
        assertThat(TrailGuardConfig.fromEnvironment(Map.of(TrailGuardConfig.TOPIC_ARN, TOPIC,
                TrailGuardConfig.AUTOMATION_ROLE_ARN, ROLE)).ownRoleArns()).isEqualTo(Set.of(ROLE));
    }
}
