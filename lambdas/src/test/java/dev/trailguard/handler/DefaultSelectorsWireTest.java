package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * No declared baseline, and AWS Config's item from before the call says {@code hasCustomEventSelectors: false} and
 * {@code hasInsightSelectors: false}: the default selector and no Insights are the baseline, on the wire.
 */
class DefaultSelectorsWireTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** GetResourceConfigHistory: the trail's one item, captured before the sample calls, with both flags false. */
    static final String DEFAULT_HISTORY = """
            {"configurationItems":[
             {"version":"1.3","accountId":"111122223333","configurationItemCaptureTime":1.795183E9,
              "configurationItemStatus":"OK","configurationStateId":"1795183000123",
              "arn":"%1$s","resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events",
              "configuration":"{\\"name\\":\\"management-events\\",\\"s3BucketName\\":\\"org-audit-logs\\",\\"includeGlobalServiceEvents\\":true,\\"isMultiRegionTrail\\":true,\\"homeRegion\\":\\"us-east-1\\",\\"trailARN\\":\\"%1$s\\",\\"logFileValidationEnabled\\":true,\\"hasCustomEventSelectors\\":false,\\"hasInsightSelectors\\":false,\\"isOrganizationTrail\\":false}"}
            ]}
            """.formatted(RestoreWireTest.TRAIL_ARN);

    AwsStub stub;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(TrailGuardConfig.TOPIC_ARN,
                RestoreWireTest.TOPIC, TrailGuardConfig.AUTOMATION_ROLE_ARN, RestoreWireTest.ROLE));
        handler = new TamperResponder(Dependencies.live(config, ResponseConfig.defaults(),
                stub.clients(Region.US_EAST_1)));
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");
        stub.config("GetResourceConfigHistory", DEFAULT_HISTORY);
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    JsonNode invoke(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void putEventSelectorsOnATrailWithTheDefaultSelector_shouldRestoreTheDefaultSelector() throws IOException {
        // given
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"exec-default\"}");
        stub.snsPublish("m-default");

        // when: the sample drops management events (WriteOnly, no management events, no data events)
        JsonNode outcome = invoke(Events.load("cloudtrail/put-event-selectors.json"));

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("RESTORE_STARTED");
        JsonNode p = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0)).path("Parameters");
        assertThat(p.path("SelectorType").get(0).asText()).isEqualTo("Basic");
        assertThat(p.path("EventSelectors")).hasSize(1);
        assertThat(JSON.readTree(p.path("EventSelectors").get(0).asText())).isEqualTo(JSON.readTree("""
                {"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[]}"""));
        assertThat(p.path("RestoreInsights").get(0).asText()).isEqualTo("False");
        String email = JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .path("email").asText();
        assertThat(email).contains("Management events (Read) (weakened, reverted)",
                "Management events (Write) (weakened, reverted)",
                "Baseline selectors from: AWS Config configuration item 1795183000123 (hasCustomEventSelectors: "
                        + "false, the default selector: all management events, no data events; hasInsightSelectors: "
                        + "false, no Insights)");
    }

    @Test
    void insightsAddedToATrailWithoutInsights_shouldBeKeptAsAddedCoverage() throws IOException {
        // given: the sample PutInsightSelectors, enabling an Insights type instead of removing them
        byte[] event = new String(Events.load("cloudtrail/put-insight-selectors.json"), StandardCharsets.UTF_8)
                .replace("\"insightSelectors\": []", "\"insightSelectors\": [{\"insightType\": \"ApiCallRateInsight\"}]")
                .getBytes(StandardCharsets.UTF_8);
        stub.snsPublish("m-insights");

        // when
        JsonNode outcome = invoke(event);

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("COVERAGE_ADDED");
        assertThat(stub.actions()).doesNotContain("ssm:StartAutomationExecution");
        String email = JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .path("email").asText();
        assertThat(email).contains("Insights ApiCallRateInsight (added coverage, kept)");
    }
}
