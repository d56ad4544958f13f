package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
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

/** The restore path with the real SDK clients against the local stub: Config, SSM and SNS on the wire. */
class RestoreWireTest {

    static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:trailguard-notifications";
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A Config item as GetResourceConfigHistory returns it: configuration is a JSON string, times epoch seconds. */
    static final String CONFIG_HISTORY = """
            {"configurationItems":[
             {"version":"1.3","accountId":"111122223333","configurationItemCaptureTime":1.7951853E9,
              "configurationItemStatus":"OK","configurationStateId":"1795185300456",
              "arn":"%1$s","resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events",
              "configuration":"{\\"name\\":\\"management-events\\",\\"s3BucketName\\":\\"exfil-bucket-4417\\",\\"isMultiRegionTrail\\":false}"},
             {"version":"1.3","accountId":"111122223333","configurationItemCaptureTime":1.795183E9,
              "configurationItemStatus":"OK","configurationStateId":"1795183000123",
              "arn":"%1$s","resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events",
              "resourceName":"management-events","awsRegion":"us-east-1","availabilityZone":"Not Applicable",
              "configuration":"{\\"name\\":\\"management-events\\",\\"s3BucketName\\":\\"org-audit-logs\\",\\"s3KeyPrefix\\":\\"ct\\",\\"includeGlobalServiceEvents\\":true,\\"isMultiRegionTrail\\":true,\\"homeRegion\\":\\"us-east-1\\",\\"trailARN\\":\\"%1$s\\",\\"logFileValidationEnabled\\":true,\\"kmsKeyId\\":\\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\\",\\"hasCustomEventSelectors\\":true,\\"hasInsightSelectors\\":false,\\"isOrganizationTrail\\":false}",
              "supplementaryConfiguration":{},"tags":{}}
            ]}
            """.formatted(TRAIL_ARN);

    AwsStub stub;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                TrailGuardConfig.TOPIC_ARN, TOPIC, TrailGuardConfig.AUTOMATION_ROLE_ARN, ROLE));
        handler = new TamperResponder(Dependencies.live(config, ResponseConfig.defaults(),
                stub.clients(Region.US_EAST_1)));
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

    @Test
    void updateTrail_shouldFallBackToConfigWhenTheParameterAnswerHasNoValue() throws IOException {
        // given: GetParameter answers 200 without a Parameter (not what SSM documents, but nothing may crash on it)
        stub.ssm("GetParameter", "{}");
        stub.config("GetResourceConfigHistory", CONFIG_HISTORY);
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a\"}");
        stub.snsPublish("m-restore");

        // when
        JsonNode outcome = invoke("cloudtrail/update-trail.json");

        // then: the declared baseline counts as absent; the restore runs from Config's item
        assertThat(outcome.path("outcome").asText()).isEqualTo("RESTORE_STARTED");
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "config:GetResourceConfigHistory",
                "ssm:StartAutomationExecution", "sns:Publish");
    }

    @Test
    void updateTrail_shouldReadDeclaredThenConfigBaselineAndStartRestoreRunbook() throws IOException {
        // given: no declared baseline; Config has the tampered item (newest first) and the one from before the call
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");
        stub.config("GetResourceConfigHistory", CONFIG_HISTORY);
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a\"}");
        stub.snsPublish("m-restore");

        // when
        JsonNode outcome = invoke("cloudtrail/update-trail.json");

        // then: the calls, in order
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "config:GetResourceConfigHistory",
                "ssm:StartAutomationExecution", "sns:Publish");
        assertThat(AwsStub.json(stub.requests("ssm:GetParameter").get(0)).path("Name").asText())
                .isEqualTo("/trailguard/baseline/management-events");
        LoggedRequest history = stub.requests("config:GetResourceConfigHistory").get(0);
        assertThat(AwsStub.signingRegion(history)).isEqualTo("us-east-1");
        assertThat(AwsStub.signingService(history)).isEqualTo("config");
        JsonNode query = AwsStub.json(history);
        assertThat(query.path("resourceType").asText()).isEqualTo("AWS::CloudTrail::Trail");
        assertThat(query.path("resourceId").asText()).isEqualTo("management-events");
        assertThat(query.path("chronologicalOrder").asText()).isEqualTo("Reverse");
        assertThat(query.path("laterTime").asDouble()).isEqualTo(1.795185227E9); // 2026-11-20T14:33:47Z

        JsonNode start = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RestoreTrail");
        JsonNode p = start.path("Parameters");
        assertThat(p.path("TrailName").get(0).asText()).isEqualTo(TRAIL_ARN);
        assertThat(p.path("AutomationAssumeRole").get(0).asText()).isEqualTo(ROLE);
        assertThat(p.path("RestoreSettings").get(0).asText()).isEqualTo("True");
        assertThat(p.path("S3BucketName").get(0).asText()).isEqualTo("org-audit-logs");
        assertThat(p.path("S3KeyPrefix").get(0).asText()).isEqualTo("ct");
        assertThat(p.path("IsMultiRegionTrail").get(0).asText()).isEqualTo("true");
        assertThat(p.path("EnableLogFileValidation").get(0).asText()).isEqualTo("true");
        assertThat(p.path("KmsKeyId").get(0).asText()).endsWith(":key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(p.path("SelectorType").get(0).asText()).isEqualTo("Skip");
        assertThat(p.path("RestoreInsights").get(0).asText()).isEqualTo("False");
        assertThat(p.has("CloudWatchLogsLogGroupArn")).as("unset settings are left to the default").isFalse();
        assertThat(start.path("ClientToken").asText()).as("pinned").isEqualTo("e3d41e8f-79a2-3f09-83d3-710f8d654161");
        assertThat(start.path("Tags").toString()).contains("\"Value\":\"UpdateTrail\"");

        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(form.get("Subject"))
                .isEqualTo("[HIGH] TrailGuard: UpdateTrail weakened management-events, restore started");
        String email = JSON.readTree(form.get("Message")).path("email").asText();
        assertThat(email).contains("Changed S3BucketName: org-audit-logs -> exfil-bucket-4417 (changed, reverted)",
                "Baseline settings from: AWS Config configuration item 1795183000123, captured 2026-11-20T13:56:40Z",
                "CloudTrail Lake SQL: SELECT", "Athena SQL: SELECT");
        assertThat(outcome.path("outcome").asText()).isEqualTo("RESTORE_STARTED");
        assertThat(outcome.path("executionId").asText()).isEqualTo("9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a");
    }

    @Test
    void putEventSelectors_shouldRestoreDeclaredSelectorsAsMapList() throws IOException {
        // given: a declared baseline with selectors
        String declared = """
                {"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,
                 "DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::payroll-data/"]}]}]}""";
        stub.ssm("GetParameter", JSON.createObjectNode().set("Parameter", JSON.createObjectNode()
                .put("Name", "/trailguard/baseline/management-events").put("Type", "String")
                .put("Value", declared).put("Version", 1)).toString());
        stub.configError("GetResourceConfigHistory", 400, "ResourceNotDiscoveredException", "not recorded");
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"exec-sel\"}");
        stub.snsPublish("m-sel");

        // when
        JsonNode outcome = invoke("cloudtrail/put-event-selectors.json");

        // then
        JsonNode p = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0)).path("Parameters");
        assertThat(p.path("RestoreSettings").get(0).asText()).isEqualTo("False");
        assertThat(p.path("SelectorType").get(0).asText()).isEqualTo("Basic");
        assertThat(JSON.readTree(p.path("EventSelectors").get(0).asText())).isEqualTo(JSON.readTree("""
                {"ReadWriteType":"All","IncludeManagementEvents":true,
                 "DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::payroll-data/"]}]}"""));
        String email = JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .path("email").asText();
        assertThat(email).contains("Data events AWS::S3::Object arn:aws:s3:::payroll-data/ (Read) (weakened, reverted)");
        assertThat(outcome.path("outcome").asText()).isEqualTo("RESTORE_STARTED");
    }

    @Test
    void deleteTrail_shouldStartRecreateRunbookWithTheName() throws IOException {
        // given
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");
        stub.config("GetResourceConfigHistory", CONFIG_HISTORY);
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"exec-re\"}");
        stub.snsPublish("m-re");

        // when
        JsonNode outcome = invoke("cloudtrail/delete-trail.json");

        // then
        JsonNode start = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RecreateTrail");
        assertThat(start.path("Parameters").path("TrailName").get(0).asText()).isEqualTo("management-events");
        assertThat(start.path("Parameters").has("RestoreSettings")).isFalse();
        assertThat(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Subject"))
                .startsWith("[CRITICAL] TrailGuard: Trail management-events deleted, recreate started");
        assertThat(outcome.path("outcome").asText()).isEqualTo("RECREATE_STARTED");
    }

    @Test
    void configUnavailable_shouldStillNotifyWithoutRestoring() throws IOException {
        // given: both baseline sources fail
        stub.ssmError("GetParameter", 400, "AccessDeniedException", "not authorized");
        stub.configError("GetResourceConfigHistory", 400, "AccessDeniedException", "not authorized");
        stub.snsPublish("m-none");

        // when
        JsonNode outcome = invoke("cloudtrail/update-trail.json");

        // then
        assertThat(stub.actions()).doesNotContain("ssm:StartAutomationExecution").endsWith("sns:Publish");
        assertThat(outcome.path("outcome").asText()).isEqualTo("CHANGE_REPORTED");
        String email = JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .path("email").asText();
        assertThat(email).contains("Baseline source unavailable 1: ssm:GetParameter failed: AccessDeniedException",
                "Baseline source unavailable 2: config:GetResourceConfigHistory failed: AccessDeniedException");
    }
}
