package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.IntegrationsConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import dev.trailguard.testing.Schemas;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The integrations on the wire: {@code BatchImportFindings} (signed by hand, REST-JSON), {@code PutEvents} and the chat
 * topic's {@code Publish}, all before the notification's own {@code Publish}, which their failures never stop.
 */
class IntegrationsWireTest {

    static final String TRAIL_ARN = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events";
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:trailguard-notifications";
    static final String CHAT = "arn:aws:sns:us-east-1:111122223333:trailguard-chat";
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
        AwsClients clients = stub.clients(Region.US_EAST_1);
        handler = new TamperResponder(Dependencies.live(config, clients)
                .withIntegrations(new IntegrationsConfig(true, true, CHAT), clients));
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"management-events","S3BucketName":"org-audit-logs","IncludeGlobalServiceEvents":true,
                 "IsMultiRegionTrail":true,"HomeRegion":"eu-west-1","TrailARN":"%s","LogFileValidationEnabled":true,
                 "HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":false}]}
                """.formatted(TRAIL_ARN));
        stub.cloudTrail("GetTrailStatus", "{\"IsLogging\":false,\"StartLoggingTime\":1.763622e9,"
                + "\"StopLoggingTime\":1.763647391E9}");
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        stub.events("PutEvents", "TrailGuard Incident", "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}");
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    JsonNode invoke(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Events.load(event)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    LoggedRequest publishTo(String topic) {
        return stub.requests("sns:Publish").stream().filter(r -> topic.equals(AwsStub.form(r).get("TopicArn")))
                .findFirst().orElseThrow(() -> new AssertionError("no Publish to " + topic));
    }

    JsonNode notificationDocument() throws IOException {
        return JSON.readTree(JSON.readTree(AwsStub.form(publishTo(TOPIC)).get("Message")).path("default").asText());
    }

    @Test
    void stopLogging_shouldImportFindingPutEventAndPostCardBeforeTheNotification() throws IOException {
        // given
        stub.securityHubImport();

        // when
        JsonNode outcome = invoke("cloudtrail/stop-logging.json");

        // then: every integration answered before the notification went out
        assertThat(outcome.path("outcome").asText()).isEqualTo("REMEDIATION_STARTED");
        List<String> actions = stub.actions();
        assertThat(actions.subList(actions.size() - 4, actions.size() - 1)).containsExactlyInAnyOrder(
                "securityhub:BatchImportFindings", "events:PutEvents", "sns:Publish");
        assertThat(actions.get(actions.size() - 1)).isEqualTo("sns:Publish");
        assertThat(AwsStub.form(stub.requests("sns:Publish").get(stub.requests("sns:Publish").size() - 1))
                .get("TopicArn")).isEqualTo(TOPIC);

        // Security Hub: REST-JSON at /findings/import, signed for securityhub in the function's region
        LoggedRequest imported = stub.requests("securityhub:BatchImportFindings").get(0);
        assertThat(imported.getMethod().getName()).isEqualTo("POST");
        assertThat(AwsStub.signingService(imported)).isEqualTo("securityhub");
        assertThat(AwsStub.signingRegion(imported)).isEqualTo("us-east-1");
        assertThat(imported.getHeader("Content-Type")).isEqualTo("application/json");
        JsonNode finding = AwsStub.json(imported).path("Findings").get(0);
        assertThat(AwsStub.json(imported).path("Findings").size()).isEqualTo(1);
        assertThat(Schemas.errors(Schemas.ASFF, finding)).isEmpty();
        assertThat(finding.path("ProductArn").asText())
                .isEqualTo("arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default");
        assertThat(finding.path("AwsAccountId").asText()).isEqualTo("111122223333");
        assertThat(finding.path("Id").asText()).isEqualTo("trailguard/111122223333/trail/" + TRAIL_ARN);
        assertThat(finding.path("Severity").path("Label").asText()).isEqualTo("HIGH");
        assertThat(finding.path("Workflow").path("Status").asText()).isEqualTo("NEW");
        assertThat(finding.path("RecordState").asText()).isEqualTo("ACTIVE");
        assertThat(finding.path("Types").get(0).asText()).isEqualTo("TTPs/Defense Evasion/LOGGING_STOPPED");
        assertThat(finding.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsCloudTrailTrail");
        assertThat(finding.path("Resources").get(0).path("Id").asText()).isEqualTo(TRAIL_ARN);
        assertThat(finding.path("Resources").get(0).path("Region").asText()).isEqualTo("eu-west-1");
        assertThat(finding.path("ProductFields").path("trailguard/kind").asText()).isEqualTo("LOGGING_STOPPED");
        assertThat(finding.path("ProductFields").path("trailguard/outcome").asText()).isEqualTo("REMEDIATION_STARTED");
        assertThat(finding.path("ProductFields").path("trailguard/actor/principalArn").asText())
                .isEqualTo("arn:aws:iam::111122223333:user/mallory");
        assertThat(finding.path("Action").path("AwsApiCallAction").path("Api").asText()).isEqualTo("StopLogging");
        assertThat(finding.path("Action").path("AwsApiCallAction").path("RemoteIpDetails").path("IpAddressV4")
                .asText()).isEqualTo("203.0.113.45");
        assertThat(finding.path("Remediation").path("Recommendation").path("Text").asText()).isNotBlank();

        // EventBridge: the notification's JSON document, unchanged, on the default bus
        JsonNode put = AwsStub.json(stub.requests("events:PutEvents").get(0));
        JsonNode entry = put.path("Entries").get(0);
        assertThat(put.path("Entries").size()).isEqualTo(1);
        assertThat(entry.path("Source").asText()).isEqualTo("trailguard");
        assertThat(entry.path("DetailType").asText()).isEqualTo("TrailGuard Incident");
        assertThat(entry.has("EventBusName")).isFalse();
        JsonNode detail = JSON.readTree(entry.path("Detail").asText());
        assertThat(detail).isEqualTo(notificationDocument());
        assertThat(Schemas.errors(Schemas.NOTIFICATION, detail)).isEmpty();

        // chat: a custom notification on the chat topic, threaded by the incident
        Map<String, String> chat = AwsStub.form(publishTo(CHAT));
        assertThat(chat).doesNotContainKey("MessageStructure");
        assertThat(AwsStub.messageAttributes(publishTo(CHAT))).containsEntry("severity", "HIGH")
                .containsEntry("kind", "LOGGING_STOPPED");
        JsonNode card = JSON.readTree(chat.get("Message"));
        assertThat(card.path("version").asText()).isEqualTo("1.0");
        assertThat(card.path("source").asText()).isEqualTo("custom");
        assertThat(card.path("content").path("textType").asText()).isEqualTo("client-markdown");
        assertThat(card.path("metadata").path("threadId").asText()).isEqualTo(finding.path("Id").asText());
        assertThat(card.path("content").path("description").asText()).contains(
                "*Who:* `arn:aws:iam::111122223333:user/mallory`", "*Trail:* `" + TRAIL_ARN + "`");

        // and the notification itself says nothing failed
        assertThat(notificationDocument().path("details").toString()).doesNotContain("Not delivered");
    }

    @Test
    void securityHubDenied_shouldStillPublishAndSaySo() throws IOException {
        // given: the role may not import (for example Security Hub is not enabled in the region)
        stub.securityHubImport(403, "AccessDeniedException",
                "{\"Message\":\"User is not authorized to perform: securityhub:BatchImportFindings\"}");

        // when
        JsonNode outcome = invoke("cloudtrail/stop-logging.json");

        // then: refused once (a 403 is not retried), the notification went out and names the failure
        assertThat(outcome.path("messageId").asText()).isEqualTo("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        assertThat(stub.requests("securityhub:BatchImportFindings")).hasSize(1);
        assertThat(notificationDocument().path("details").path("Not delivered to Security Hub").asText())
                .isEqualTo("securityhub:BatchImportFindings failed: AccessDeniedException (User is not authorized "
                        + "to perform: securityhub:BatchImportFindings)");
        assertThat(Schemas.errors(Schemas.NOTIFICATION, notificationDocument())).isEmpty();
    }

    @Test
    void findingRefusedWithHttp200_shouldCountAsAFailure() throws IOException {
        // given: BatchImportFindings answers 200 but refuses the finding
        stub.securityHubImport(200, null, "{\"FailedCount\":1,\"SuccessCount\":0,\"FailedFindings\":[{\"Id\":\"x\","
                + "\"ErrorCode\":\"InvalidInput\",\"ErrorMessage\":\"Finding does not adhere to ASFF\"}]}");

        // when
        invoke("cloudtrail/stop-logging.json");

        // then
        assertThat(notificationDocument().path("details").path("Not delivered to Security Hub").asText())
                .contains("InvalidInput", "Finding does not adhere to ASFF");
    }

    @Test
    void serverErrors_shouldBeTriedTwiceThenReported() throws IOException {
        // given
        stub.securityHubImport(503, "ServiceUnavailableException", "{\"Message\":\"try later\"}");
        stub.eventsError("PutEvents", "TrailGuard Incident", 400, "AccessDeniedException", "not authorized");

        // when
        invoke("cloudtrail/stop-logging.json");

        // then
        assertThat(stub.requests("securityhub:BatchImportFindings")).hasSize(2);
        JsonNode details = notificationDocument().path("details");
        assertThat(details.path("Not delivered to Security Hub").asText()).contains("ServiceUnavailableException");
        assertThat(details.path("Not delivered to EventBridge").asText())
                .isEqualTo("events:PutEvents failed: AccessDeniedException (not authorized)");
        assertThat(details.has("Not delivered to chat")).isFalse();
    }

    @Test
    void putEventsRefusedEntry_shouldCountAsAFailure() throws IOException {
        // given: PutEvents answers 200 with the entry refused
        stub.securityHubImport();
        stub.events("PutEvents", "TrailGuard Incident", "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":"
                + "\"InternalFailure\",\"ErrorMessage\":\"try again\"}]}");

        // when
        invoke("cloudtrail/stop-logging.json");

        // then
        assertThat(notificationDocument().path("details").path("Not delivered to EventBridge").asText())
                .contains("InternalFailure: try again");
    }
}
