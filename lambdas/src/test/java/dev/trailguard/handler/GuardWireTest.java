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

/** Guard-the-guard events routed through the TamperResponder, with the real SDK clients against the stub. */
class GuardWireTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:TrailGuard-Notifications";
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final ObjectMapper JSON = new ObjectMapper();

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
    void disableRule_shouldStartEnableRuleRunbookThenPublishCritical() throws IOException {
        // given
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"e-enable\"}");
        stub.snsPublish("m-guard");

        // when
        JsonNode outcome = invoke("guard/disable-rule.json");

        // then
        assertThat(stub.actions()).containsExactly("ssm:StartAutomationExecution", "sns:Publish");
        LoggedRequest start = stub.requests("ssm:StartAutomationExecution").get(0);
        assertThat(AwsStub.signingRegion(start)).isEqualTo("us-east-1");
        JsonNode body = AwsStub.json(start);
        assertThat(body.path("DocumentName").asText()).isEqualTo("TrailGuard-EnableRule");
        assertThat(body.path("Parameters").path("RuleName").get(0).asText()).isEqualTo("TrailGuard-TamperEvents");
        assertThat(body.path("Parameters").path("EventBusName").get(0).asText()).isEqualTo("default");
        assertThat(body.path("Parameters").path("AutomationAssumeRole").get(0).asText()).isEqualTo(ROLE);
        // the event's id and the rule, pinned
        assertThat(body.path("ClientToken").asText()).isEqualTo("c15b6cc4-09c9-3548-8e78-b609cf0196c9");
        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(form.get("Subject")).isEqualTo("[CRITICAL] TrailGuard: DisableRule on TrailGuard's EventBridge rule");
        assertThat(AwsStub.messageAttributes(stub.requests("sns:Publish").get(0)))
                .containsEntry("kind", "GUARD_TAMPERED").containsEntry("outcome", "REENABLE_STARTED");
        assertThat(outcome.path("outcome").asText()).isEqualTo("REENABLE_STARTED");
    }

    @Test
    void deleteFunction_shouldPublishCriticalWithoutAnyOtherCall() throws IOException {
        // given
        stub.snsPublish("m-fn");

        // when
        JsonNode outcome = invoke("guard/delete-function.json");

        // then
        assertThat(stub.actions()).containsExactly("sns:Publish");
        String email = JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .path("email").asText();
        assertThat(email).contains("Resource: Lambda function TrailGuard-TamperResponder",
                "Effect: the function is gone", "Who: arn:aws:iam::111122223333:user/mallory");
        assertThat(outcome.path("outcome").asText()).isEqualTo("GUARD_TAMPERED");
    }
}
