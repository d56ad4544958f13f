package dev.trailguard.handler;

import static dev.trailguard.handler.WireFixtures.MAIN;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * A look-alike trail (issue #14, item 4): the attacker deletes a guarded trail and creates one of the same name with
 * weak settings. The CreateTrail is answered like a weakening: compared with the baseline from before the call and
 * put back with TrailGuard-RestoreTrail (which also starts its logging). Real SDK clients against the local stub.
 */
class LookAlikeTrailWireTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EVENT = "cloudtrail/create-trail-look-alike.json";
    static final String EXECUTION = "{\"AutomationExecutionId\":\"6b5c4d3e-2f1a-4b0c-9d8e-7f6a5b4c3d2e\"}";

    /**
     * AWS Config's history before the CreateTrail at 14:30:41, newest first: the deletion at 14:30:19 (no
     * configuration), then the trail as it was.
     */
    static final String HISTORY_WITH_DELETION = """
            {"configurationItems":[
             {"version":"1.3","accountId":"111122223333","configurationItemCaptureTime":1.795185025E9,
              "configurationItemStatus":"ResourceDeleted","configurationStateId":"1795185025000","arn":"%1$s",
              "resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events"},
             {"version":"1.3","accountId":"111122223333","configurationItemCaptureTime":1.795183E9,
              "configurationItemStatus":"OK","configurationStateId":"1795183000123","arn":"%1$s",
              "resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events",
              "configuration":"{\\"name\\":\\"management-events\\",\\"s3BucketName\\":\\"org-audit-logs\\",\\"isMultiRegionTrail\\":true,\\"includeGlobalServiceEvents\\":true,\\"logFileValidationEnabled\\":true,\\"hasCustomEventSelectors\\":false,\\"hasInsightSelectors\\":false}"}
            ]}""".formatted(MAIN);

    AwsStub stub;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    static final String DEPLOYER = "arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1";

    JsonNode invoke(List<String> guarded, String authorizedRoles) throws IOException {
        Map<String, String> env = authorizedRoles == null ? Map.of()
                : Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS, authorizedRoles);
        TrailGuardConfig config = WireFixtures.config(guarded);
        Dependencies deps = Dependencies.live(config, ResponseConfig.fromEnvironment(env),
                stub.clients(Region.US_EAST_1));
        byte[] event = Events.load(EVENT);
        if (authorizedRoles != null) {
            // the same CreateTrail, made by the deployment role
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                    JSON.readTree(event);
            com.fasterxml.jackson.databind.node.ObjectNode who = ((com.fasterxml.jackson.databind.node.ObjectNode)
                    tree.path("detail")).putObject("userIdentity");
            who.put("type", "AssumedRole").put("accountId", "111122223333")
                    .put("arn", "arn:aws:sts::111122223333:assumed-role/cdk-hnb659fds-cfn-exec-role-111122223333-"
                            + "us-east-1/AWSCloudFormation");
            who.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("arn", DEPLOYER);
            event = JSON.writeValueAsBytes(tree);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TamperResponder(deps).handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray());
    }

    Map<String, String> published() {
        assertThat(stub.requests("sns:Publish")).hasSize(1);
        return AwsStub.messageAttributes(stub.requests("sns:Publish").get(0));
    }

    @Test
    void lookAlikeOfAGuardedTrailWithADeclaredBaseline_shouldBeRestoredAndStarted() throws IOException {
        // given
        stub.ssm("GetParameter", WireFixtures.DECLARED_BASELINE);
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-lookalike");

        // when
        JsonNode outcome = invoke(List.of("management-events"), null);

        // then: compared from the event alone (CreateTrail's parameters, default selector, no Insights), restored
        assertThat(outcome.path("outcome").asText()).isEqualTo("RESTORE_STARTED");
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "ssm:StartAutomationExecution",
                "sns:Publish");
        JsonNode start = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RestoreTrail");
        JsonNode p = start.path("Parameters");
        assertThat(p.path("TrailName").get(0).asText()).isEqualTo(MAIN);
        assertThat(p.path("S3BucketName").get(0).asText()).isEqualTo("aws-cloudtrail-logs-111122223333-3f1a");
        assertThat(p.path("IsMultiRegionTrail").get(0).asText()).isEqualTo("true");
        assertThat(p.path("SelectorType").get(0).asText()).isEqualTo("Basic");
        assertThat(p.path("RestoreInsights").get(0).asText()).isEqualTo("True");
        assertThat(published()).containsEntry("kind", "TRAIL_REPLACED").containsEntry("severity", "CRITICAL")
                .containsEntry("outcome", "RESTORE_STARTED");
        String message = AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message");
        assertThat(message).contains("look-alike", "exfil-bucket-4417", "arn:aws:s3:::payroll-data/");
    }

    @Test
    void lookAlikeWithOnlyAwsConfigsHistory_shouldUseTheItemBeforeTheDeletion() throws IOException {
        // given: nothing declared; Config recorded the deletion and, before it, the trail
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");
        stub.config("GetResourceConfigHistory", HISTORY_WITH_DELETION);
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-lookalike-config");

        // when
        JsonNode outcome = invoke(List.of(), null);

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("RESTORE_STARTED");
        JsonNode p = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0)).path("Parameters");
        assertThat(p.path("S3BucketName").get(0).asText()).isEqualTo("org-audit-logs");
        assertThat(p.path("EnableLogFileValidation").get(0).asText()).isEqualTo("true");
        assertThat(published()).containsEntry("kind", "TRAIL_REPLACED");
    }

    @Test
    void newTrailWithoutAnyBaseline_shouldBeReportedAndKept() throws IOException {
        // given: no trail of this name was ever known
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");
        stub.configError("GetResourceConfigHistory", 400, "ResourceNotDiscoveredException", "not discovered");
        stub.snsPublish("m-new");

        // when
        JsonNode outcome = invoke(List.of(), null);

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("TRAIL_CREATED");
        assertThat(stub.requests("ssm:StartAutomationExecution")).isEmpty();
        assertThat(published()).containsEntry("kind", "TRAIL_CREATED").containsEntry("severity", "INFO");
    }

    @Test
    void createTrailByAnAuthorizedRole_shouldBeKept() throws IOException {
        // given
        stub.ssm("GetParameter", WireFixtures.DECLARED_BASELINE);
        stub.snsPublish("m-authorized");

        // when
        JsonNode outcome = invoke(List.of("management-events"), DEPLOYER);

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("AUTHORIZED_CHANGE");
        assertThat(stub.requests("ssm:StartAutomationExecution")).isEmpty();
    }
}
