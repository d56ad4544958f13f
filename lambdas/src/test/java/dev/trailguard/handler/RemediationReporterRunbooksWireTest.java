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

/**
 * RemediationReporter on the results of TrailGuard's own runbooks (RestoreTrail, RecreateTrail, EnableRule), against
 * the real SDK clients and a local stub: the exact lookups and the published message.
 */
class RemediationReporterRunbooksWireTest {

    static final String RESTORE_OK = "9b6c7d8e-0f1a-4b2c-8d3e-4f5a6b7c8d9e";
    static final String RESTORE_FAILED = "a0c7d8e9-1f2a-4c3d-9e4f-5a6b7c8d9e0f";
    static final String RECREATE_OK = "b1d8e9f0-2a3b-4d4e-8f5a-6b7c8d9e0f1a";
    static final String ENABLE_OK = "c2e9f0a1-3b4c-4e5f-9a6b-7c8d9e0f1a2b";
    static final String RULE = "TrailGuard-CloudTrailTamperRule";
    static final String STATUS_CHANGE = "EC2 Automation Execution Status-change Notification";
    static final ObjectMapper JSON = new ObjectMapper();

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

    static Map<String, String> trailParameters(String trailName) {
        return Map.of("AutomationAssumeRole", ROLE, "TrailName", trailName, "SelectorType", "Skip");
    }

    static Map<String, String> ruleParameters() {
        return Map.of("AutomationAssumeRole", ROLE, "RuleName", RULE, "EventBusName", "default");
    }

    static byte[] withStatus(String file, String definition, String status) {
        return new String(Events.load(file), StandardCharsets.UTF_8)
                .replaceAll("\"Definition\": \"[^\"]+\"", "\"Definition\": \"" + definition + "\"")
                .replaceAll("\"Status\": \"[^\"]+\"", "\"Status\": \"" + status + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The lookups of a trail runbook's result: the execution, then the trail by ARN, then its status by ARN. */
    void assertTrailLookups(String executionId) {
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution", "cloudtrail:DescribeTrails",
                "cloudtrail:GetTrailStatus", "sns:Publish");
        LoggedRequest get = stub.requests("ssm:GetAutomationExecution").get(0);
        assertThat(get.getHeader("X-Amz-Target")).isEqualTo("AmazonSSM.GetAutomationExecution");
        assertThat(AwsStub.json(get)).isEqualTo(JSON.createObjectNode().put("AutomationExecutionId", executionId));
        assertThat(AwsStub.signingRegion(get)).isEqualTo("us-east-1");
        JsonNode describe = AwsStub.json(stub.requests("cloudtrail:DescribeTrails").get(0));
        assertThat(describe.get("trailNameList")).containsExactly(JSON.getNodeFactory().textNode(MAIN));
        assertThat(describe.get("includeShadowTrails").asBoolean()).isTrue();
        LoggedRequest status = stub.requests("cloudtrail:GetTrailStatus").get(0);
        assertThat(status.getHeader("X-Amz-Target"))
                .isEqualTo("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus");
        assertThat(AwsStub.json(status)).isEqualTo(JSON.createObjectNode().put("Name", MAIN));
    }

    /** The trail as its declared baseline has it, except for the log bucket. */
    void trailNow(String bucket) {
        stub.ssm("GetParameter", WireFixtures.DECLARED_BASELINE);
        stub.cloudTrail("GetTrail", WireFixtures.getTrail(bucket));
        stub.cloudTrail("GetEventSelectors", WireFixtures.GET_EVENT_SELECTORS);
        stub.cloudTrail("GetInsightSelectors", WireFixtures.GET_INSIGHT_SELECTORS);
    }

    /** A successful restore's lookups: as {@link #assertTrailLookups}, then the baseline and the trail's parts. */
    void assertComparedWithBaseline(String executionId) {
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution", "cloudtrail:DescribeTrails",
                "cloudtrail:GetTrailStatus", "ssm:GetParameter", "cloudtrail:GetTrail",
                "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "sns:Publish");
        assertThat(AwsStub.json(stub.requests("ssm:GetAutomationExecution").get(0)).path("AutomationExecutionId")
                .asText()).isEqualTo(executionId);
        assertThat(AwsStub.json(stub.requests("ssm:GetParameter").get(0)).path("Name").asText())
                .isEqualTo("/trailguard/baseline/management-events");
        LoggedRequest getTrail = stub.requests("cloudtrail:GetTrail").get(0);
        assertThat(getTrail.getHeader("X-Amz-Target"))
                .isEqualTo("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrail");
        assertThat(AwsStub.json(getTrail)).isEqualTo(JSON.createObjectNode().put("Name", MAIN));
        assertThat(AwsStub.json(stub.requests("cloudtrail:GetEventSelectors").get(0)))
                .isEqualTo(JSON.createObjectNode().put("TrailName", MAIN));
        assertThat(AwsStub.json(stub.requests("cloudtrail:GetInsightSelectors").get(0)))
                .isEqualTo(JSON.createObjectNode().put("TrailName", MAIN));
    }

    Map<String, String> publishedForm() {
        return AwsStub.form(stub.requests("sns:Publish").get(0));
    }

    Map<String, String> publishedAttributes() {
        return AwsStub.messageAttributes(stub.requests("sns:Publish").get(0));
    }

    JsonNode publishedJson() throws Exception {
        return JSON.readTree(JSON.readTree(publishedForm().get("Message")).get("default").asText());
    }

    String publishedEmail() throws Exception {
        return JSON.readTree(publishedForm().get("Message")).get("email").asText();
    }

    @Test
    void restoreSucceeded_shouldConfirmLoggingAndPublishTheClosedWindow() throws Exception {
        // given
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_OK, "TrailGuard-RestoreTrail",
                "Success", trailParameters(MAIN), null, null));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        trailNow("aws-cloudtrail-logs-111122223333-3f1a");
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000011");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_RESTORED");
        assertThat(outcome.messageId()).isEqualTo("a1b2c3d4-0000-4000-8000-000000000011");
        assertComparedWithBaseline(RESTORE_OK);
        assertThat(publishedForm()).containsEntry("Subject", "[LOW] TrailGuard: management-events restored")
                .containsEntry("MessageStructure", "json");
        assertThat(publishedAttributes()).containsEntry("severity", "LOW").containsEntry("kind", "TRAIL_RESTORED")
                .containsEntry("outcome", "TRAIL_RESTORED").containsEntry("detectedBy", "Automation")
                .containsEntry("trail", "management-events").containsEntry("eventName", STATUS_CHANGE);
        JsonNode json = publishedJson();
        assertThat(json.get("action").get("executionId").asText()).isEqualTo(RESTORE_OK);
        assertThat(json.get("details").get("Unrecorded window").asText()).isEqualTo("Trail weakened: recorded less "
                + "than its baseline from the tamper call (before the runbook started at 2026-11-20T14:03:13Z) to "
                + "2026-11-20T14:03:18Z (StartLoggingTime)");
        assertThat(json.get("details").get("CloudTrail Lake SQL").asText()).contains(
                "FROM <event-data-store-id> WHERE eventTime >= '2026-11-20 13:03:13' AND eventTime <= "
                        + "'2026-11-20 14:03:18' ORDER BY eventTime LIMIT 500");
        assertThat(json.get("loggingGap").get("seconds").asLong()).isEqualTo(48);
        assertThat(publishedEmail()).contains("Unrecorded window: Trail weakened", "Athena SQL: SELECT");
    }

    @Test
    void restoreSucceededButTrailStopped_shouldPublishNotConfirmed() throws Exception {
        // given
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_OK, "TrailGuard-RestoreTrail",
                "Success", trailParameters(MAIN), null, null));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1_795_183_400L));
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000012");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_CONFIRMED");
        assertTrailLookups(RESTORE_OK);
        assertThat(publishedForm().get("Subject"))
                .isEqualTo("[CRITICAL] TrailGuard: management-events still not logging after restore");
        assertThat(publishedAttributes()).containsEntry("kind", "REMEDIATION_FAILED")
                .containsEntry("outcome", "RESTORE_NOT_CONFIRMED");
    }

    @Test
    void restoreFailedOnItsFinalAssertion_shouldPublishTheStepAndDiagnosis() throws Exception {
        // given
        String failure = "Step fails when it is Verifying. Actual value(s) of $.IsLogging [false] is not one of "
                + "the desired values [True]";
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_FAILED, "TrailGuard-RestoreTrail",
                "Failed", trailParameters(MAIN), failure, "verifyLogging"));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1_795_183_400L));
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000013");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/restore-trail-failed.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_FAILED");
        assertThat(outcome.notes()).contains("diagnosis: NOT_LOGGING_AFTER_RESTORE");
        assertTrailLookups(RESTORE_FAILED);
        assertThat(publishedForm().get("Subject")).isEqualTo(
                "[CRITICAL] TrailGuard: Restore of management-events failed: not logging after StartLogging");
        assertThat(publishedAttributes()).containsEntry("severity", "CRITICAL")
                .containsEntry("kind", "REMEDIATION_FAILED").containsEntry("outcome", "REMEDIATION_FAILED");
        assertThat(publishedEmail()).contains("Diagnosis: NOT_LOGGING_AFTER_RESTORE", "Failed step: verifyLogging",
                "Logging now: no", "Failure message: Step fails when it is Verifying.");
    }

    @Test
    void restoreSucceededButBucketStillNotTheBaselines_shouldPublishRestoreIncomplete() throws Exception {
        // given: the runbook ran, but the trail still writes to another bucket than its declared baseline's
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_OK, "TrailGuard-RestoreTrail",
                "Success", trailParameters(MAIN), null, null));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        trailNow("attacker-owned-bucket");
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000016");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_INCOMPLETE");
        assertComparedWithBaseline(RESTORE_OK);
        assertThat(publishedAttributes()).containsEntry("severity", "HIGH")
                .containsEntry("kind", "RESTORE_INCOMPLETE");
        assertThat(publishedJson().get("details").get("Changed S3BucketName").asText()).isEqualTo(
                "aws-cloudtrail-logs-111122223333-3f1a -> attacker-owned-bucket (changed, NOT reverted)");
    }

    @Test
    void restoreSucceededButInsightsOff_shouldReadInsightNotEnabledAsNoneAndPublishRestoreIncomplete()
            throws Exception {
        // given: GetInsightSelectors answers as CloudTrail does for a trail without Insights
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_OK, "TrailGuard-RestoreTrail",
                "Success", trailParameters(MAIN), null, null));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        trailNow("aws-cloudtrail-logs-111122223333-3f1a");
        stub.cloudTrailError("GetInsightSelectors", 400, "InsightNotEnabledException",
                "Trail management-events does not have Insights enabled.");
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000018");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_INCOMPLETE");
        assertThat(publishedJson().get("details").toString()).contains("Insights ApiCallRateInsight");
    }

    @Test
    void restoreStartedByAnotherPrincipal_shouldPublishCriticalStartedByOtherWithoutTrailCalls() throws Exception {
        // given: TrailGuard's document and role, started by an administrator
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_OK, "TrailGuard-RestoreTrail",
                "Success", trailParameters(MAIN), null, null)
                .replace("assumed-role/TrailGuard-TamperResponderRole/TamperResponder", "assumed-role/Admin/mallory"));
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000017");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RUNBOOK_STARTED_BY_OTHER");
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution", "sns:Publish");
        assertThat(publishedAttributes()).containsEntry("severity", "CRITICAL")
                .containsEntry("kind", "RUNBOOK_STARTED_BY_OTHER");
        assertThat(publishedEmail()).contains("arn:aws:sts::111122223333:assumed-role/Admin/mallory");
    }

    @Test
    void recreateSucceeded_shouldLookUpTheNamedTrailByItsArnAndPublishRecreated() throws Exception {
        // given: CreateTrail takes a name, so the runbook was started with the bare name
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RECREATE_OK, "TrailGuard-RecreateTrail",
                "Success", trailParameters("management-events"), null, null));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        trailNow("aws-cloudtrail-logs-111122223333-3f1a");
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000014");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/recreate-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_RECREATED");
        assertComparedWithBaseline(RECREATE_OK);
        assertThat(publishedForm().get("Subject")).isEqualTo("[LOW] TrailGuard: management-events recreated");
        assertThat(publishedAttributes()).containsEntry("kind", "TRAIL_RECREATED")
                .containsEntry("outcome", "TRAIL_RECREATED").containsEntry("trail", "management-events");
        assertThat(publishedJson().get("details").get("Unrecorded window").asText())
                .startsWith("Trail deleted: nothing recorded through it from the tamper call")
                .endsWith("to 2026-11-20T14:03:18Z (StartLoggingTime)");
    }

    @Test
    void recreateFailedAsTheTrailExists_shouldPublishHighWhenItLogs() throws Exception {
        // given
        String failure = "Step fails when it is Executing. Fail reason: Trail management-events already exists "
                + "for customer: 111122223333 (Service: AWSCloudTrail; Status Code: 400; Error Code: "
                + "TrailAlreadyExistsException)";
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_FAILED, "TrailGuard-RecreateTrail",
                "Failed", trailParameters("management-events"), failure, "createTrail"));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.HEALTHY);
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000015");

        // when
        Outcome outcome = reporter.handle(withStatus("ssm/restore-trail-failed.json", "TrailGuard-RecreateTrail",
                "Failed"));

        // then
        assertThat(outcome.notes()).contains("diagnosis: TRAIL_ALREADY_EXISTS");
        assertTrailLookups(RESTORE_FAILED);
        assertThat(publishedForm().get("Subject")).isEqualTo(
                "[HIGH] TrailGuard: Recreation of management-events failed: trail already exists");
        assertThat(publishedEmail()).contains("Logging now: yes", "Failed step: createTrail");
    }

    @Test
    void enableRuleSucceeded_shouldPublishRuleReenabledWithoutTrailCalls() throws Exception {
        // given
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(ENABLE_OK, "TrailGuard-EnableRule",
                "Success", ruleParameters(), null, null));
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000016");

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/enable-rule-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RULE_REENABLED");
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution", "sns:Publish");
        assertThat(AwsStub.json(stub.requests("ssm:GetAutomationExecution").get(0)))
                .isEqualTo(JSON.createObjectNode().put("AutomationExecutionId", ENABLE_OK));
        assertThat(publishedForm().get("Subject")).isEqualTo("[LOW] TrailGuard: Rule " + RULE + " re-enabled");
        assertThat(publishedAttributes()).containsEntry("kind", "RULE_REENABLED")
                .containsEntry("outcome", "RULE_REENABLED").containsEntry("detectedBy", "Automation")
                .doesNotContainKey("trail");
        JsonNode details = publishedJson().get("details");
        assertThat(details.get("Rule").asText()).isEqualTo(RULE);
        assertThat(details.get("Event bus").asText()).isEqualTo("default");
        assertThat(details.get("Unmonitored window").asText()).endsWith("to 2026-11-20T14:03:19Z (the runbook ended)");
    }

    @Test
    void enableRuleFailedAccessDenied_shouldPublishDiagnosisWithoutTrailCalls() throws Exception {
        // given
        String failure = "Step fails when it is Executing. Fail reason: User: arn:aws:sts::111122223333:assumed-role/"
                + "TrailGuard-AutomationRole/x is not authorized to perform: events:EnableRule on resource: "
                + "arn:aws:events:us-east-1:111122223333:rule/" + RULE;
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(ENABLE_OK, "TrailGuard-EnableRule",
                "Failed", ruleParameters(), failure, "enableRule"));
        stub.snsPublish("a1b2c3d4-0000-4000-8000-000000000017");

        // when
        Outcome outcome = reporter.handle(withStatus("ssm/enable-rule-success.json", "TrailGuard-EnableRule",
                "Failed"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_FAILED");
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution", "sns:Publish");
        assertThat(publishedForm().get("Subject")).isEqualTo(
                "[CRITICAL] TrailGuard: Re-enabling rule " + RULE + " failed: access denied");
        assertThat(publishedEmail()).contains("not allowed to call events:EnableRule",
                "events:EnableRule and events:DescribeRule on TrailGuard's rules", "Failed step: enableRule")
                .doesNotContain("Logging now");
    }

    @Test
    void restoreStartedWithAnotherRole_shouldOnlyLookUpTheExecution() {
        // given
        stub.ssm("GetAutomationExecution", WireFixtures.runbookExecution(RESTORE_OK, "TrailGuard-RestoreTrail",
                "Success", Map.of("AutomationAssumeRole", "arn:aws:iam::111122223333:role/SomeoneElse",
                        "TrailName", MAIN), null, null));

        // when
        Outcome outcome = reporter.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED_NOT_OURS");
        assertThat(stub.actions()).containsExactly("ssm:GetAutomationExecution");
    }
}
