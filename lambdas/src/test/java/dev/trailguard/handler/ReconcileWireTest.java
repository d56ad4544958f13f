package dev.trailguard.handler;

import static dev.trailguard.handler.WireFixtures.MAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Reconciling after a blind window (issue #14, item 1), with the real SDK clients against the local stub: every
 * restart (StopLogging event, Config rule, sweep) compares the trail with its baseline first and, when they differ,
 * starts TrailGuard-RestoreTrail (baseline back, then StartLogging) instead of a plain restart; a guarded trail that is
 * gone is recreated; the sweep compares logging trails too, and reports a region where nothing logs.
 */
class ReconcileWireTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EXECUTION = "{\"AutomationExecutionId\":\"5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d\"}";

    /** management-events alone, homed here and stopped at 2026-11-20T14:03:11Z (the sample StopLogging). */
    static final String ONE_TRAIL = """
            {"trailList":[{"Name":"management-events","S3BucketName":"exfil-bucket-4417","IncludeGlobalServiceEvents":true,
             "IsMultiRegionTrail":true,"HomeRegion":"us-east-1","TrailARN":"%s","LogFileValidationEnabled":true,
             "HasCustomEventSelectors":true,"HasInsightSelectors":true,"IsOrganizationTrail":false}]}""".formatted(MAIN);

    /**
     * AWS Config's history of management-events, newest first: the item captured after the stop at 14:02:30 records
     * the attacker's bucket; the one before it the baseline (settings only: custom selectors, Insights on).
     */
    static final String CONFIG_HISTORY = """
            {"configurationItems":[
             {"version":"1.3","accountId":"111122223333","configurationItemCaptureTime":1.79518344E9,
              "configurationItemStatus":"OK","configurationStateId":"1795183440000","arn":"%1$s",
              "resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events",
              "configuration":"{\\"name\\":\\"management-events\\",\\"s3BucketName\\":\\"exfil-bucket-4417\\",\\"isMultiRegionTrail\\":true,\\"includeGlobalServiceEvents\\":true,\\"logFileValidationEnabled\\":true,\\"hasCustomEventSelectors\\":true,\\"hasInsightSelectors\\":true}"},
             {"version":"1.3","accountId":"111122223333","configurationItemCaptureTime":1.795183E9,
              "configurationItemStatus":"OK","configurationStateId":"1795183000123","arn":"%1$s",
              "resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events",
              "configuration":"{\\"name\\":\\"management-events\\",\\"s3BucketName\\":\\"aws-cloudtrail-logs-111122223333-3f1a\\",\\"isMultiRegionTrail\\":true,\\"includeGlobalServiceEvents\\":true,\\"logFileValidationEnabled\\":true,\\"hasCustomEventSelectors\\":true,\\"hasInsightSelectors\\":true}"}
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

    Dependencies deps(List<String> guarded) {
        return Dependencies.live(WireFixtures.config(guarded), stub.clients(Region.US_EAST_1));
    }

    JsonNode tamper(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TamperResponder(deps(List.of())).handleRequest(new ByteArrayInputStream(Events.load(event)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    Outcome sweep(List<String> guarded, String time) {
        byte[] event = new String(Events.load("scheduled/sweep.json"), StandardCharsets.UTF_8)
                .replace("\"time\": \"2026-11-20T14:05:00Z\"", "\"time\": \"" + time + "\"")
                .getBytes(StandardCharsets.UTF_8);
        return new TrailSweeper(deps(guarded)).handle(event);
    }

    /** The declared baseline (settings, S3 data events, Insights) and the trail as it is: bucket swapped. */
    void declaredBaselineAndTrailWithBucket(String bucket) {
        stub.ssm("GetParameter", WireFixtures.DECLARED_BASELINE);
        stub.cloudTrail("GetTrail", WireFixtures.getTrail(bucket));
        stub.cloudTrail("GetEventSelectors", WireFixtures.GET_EVENT_SELECTORS);
        stub.cloudTrail("GetInsightSelectors", WireFixtures.GET_INSIGHT_SELECTORS);
    }

    JsonNode started() {
        List<LoggedRequest> starts = stub.requests("ssm:StartAutomationExecution");
        assertThat(starts).hasSize(1);
        return AwsStub.json(starts.get(0));
    }

    Map<String, String> published() {
        List<LoggedRequest> publishes = stub.requests("sns:Publish");
        assertThat(publishes).hasSize(1);
        return AwsStub.messageAttributes(publishes.get(0));
    }

    String message() {
        return AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message");
    }

    // --- the StopLogging event path ----------------------------------------------------------------------

    @Test
    void stopLoggingOnATrailChangedSince_shouldStartTheRestoreRunbookNotAPlainRestart() throws IOException {
        // given: stopped, and its bucket no longer the declared one
        stub.cloudTrail("DescribeTrails", ONE_TRAIL);
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1795183391L));
        declaredBaselineAndTrailWithBucket("exfil-bucket-4417");
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.snsPublish("m-reconcile");

        // when
        JsonNode outcome = tamper("cloudtrail/stop-logging.json");

        // then: compared (GetTrail, selectors, Insights), then one execution of the restore runbook
        assertThat(outcome.path("outcome").asText()).isEqualTo("RESTORE_STARTED");
        assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                "ssm:GetParameter", "cloudtrail:GetTrail", "cloudtrail:GetEventSelectors",
                "cloudtrail:GetInsightSelectors", "ssm:StartAutomationExecution", "sns:Publish");
        JsonNode start = started();
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RestoreTrail");
        assertThat(start.path("Parameters").path("TrailName").get(0).asText()).isEqualTo(MAIN);
        assertThat(start.path("Parameters").path("S3BucketName").get(0).asText())
                .isEqualTo("aws-cloudtrail-logs-111122223333-3f1a");
        assertThat(start.path("Parameters").path("SelectorType").get(0).asText()).isEqualTo("Basic");
        assertThat(published()).containsEntry("kind", "CHANGED_WHILE_STOPPED")
                .containsEntry("outcome", "RESTORE_STARTED").containsEntry("severity", "HIGH");
        assertThat(message()).contains("exfil-bucket-4417", "reverted");
    }

    @Test
    void stopLoggingOnATrailThatMatchesItsBaseline_shouldRestartItPlainly() throws IOException {
        // given
        stub.cloudTrail("DescribeTrails", ONE_TRAIL);
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1795183391L));
        declaredBaselineAndTrailWithBucket("aws-cloudtrail-logs-111122223333-3f1a");
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.snsPublish("m-plain");

        // when
        JsonNode outcome = tamper("cloudtrail/stop-logging.json");

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("REMEDIATION_STARTED");
        assertThat(started().path("DocumentName").asText()).isEqualTo("AWS-ConfigureCloudTrailLogging");
        assertThat(published()).containsEntry("kind", "LOGGING_STOPPED");
        assertThat(message()).contains("the trail matches its baseline");
    }

    @Test
    void stopLoggingOnATrailDeletedSince_shouldRecreateItFromItsBaseline() throws IOException {
        // given: the trail is gone by the time TrailGuard looks; its declared baseline remains
        stub.cloudTrailError("DescribeTrails", 400, "TrailNotFoundException", "Unknown trail");
        stub.ssm("GetParameter", WireFixtures.DECLARED_BASELINE);
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-recreate");

        // when
        JsonNode outcome = tamper("cloudtrail/stop-logging.json");

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("RECREATE_STARTED");
        JsonNode start = started();
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RecreateTrail");
        assertThat(start.path("Parameters").path("TrailName").get(0).asText()).isEqualTo("management-events");
        assertThat(AwsStub.signingRegion(stub.requests("ssm:StartAutomationExecution").get(0)))
                .isEqualTo("us-east-1");
        assertThat(published()).containsEntry("kind", "TRAIL_NOT_FOUND").containsEntry("severity", "CRITICAL")
                .containsEntry("outcome", "RECREATE_STARTED");
    }

    // --- the Config path ---------------------------------------------------------------------------------

    @Test
    void configRuleWithAStoppedTrailChangedSince_shouldStartTheRestoreRunbook() {
        // given
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", MAIN, WireFixtures.stopped(1795186200L));
        declaredBaselineAndTrailWithBucket("exfil-bucket-4417");
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-config");

        // when
        Outcome outcome = new ComplianceResponder(deps(List.of("management-events")))
                .handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("RESTORE_STARTED");
        JsonNode start = started();
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RestoreTrail");
        assertThat(start.path("Tags").toString()).contains("\"Value\":\"ConfigRule\"");
        assertThat(published()).containsEntry("kind", "CHANGED_WHILE_STOPPED").containsEntry("detectedBy",
                "ConfigRule");
    }

    // --- the sweep ---------------------------------------------------------------------------------------

    @Test
    void sweepFindingAStoppedTrailChangedSince_shouldRestoreItInOneExecution() {
        // given: stopped at 13:55, bucket swapped while it did not log
        stub.cloudTrail("DescribeTrails", ONE_TRAIL);
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1795182900L));
        declaredBaselineAndTrailWithBucket("exfil-bucket-4417");
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-sweep");

        // when
        Outcome outcome = sweep(List.of("management-events"), "2026-11-20T14:00:00Z");

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("RESTORE_STARTED");
        JsonNode start = started();
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RestoreTrail");
        assertThat(start.path("Tags").toString()).contains("\"Value\":\"Sweep\"");
        assertThat(published()).containsEntry("kind", "CHANGED_WHILE_STOPPED").containsEntry("detectedBy", "Sweep");
    }

    @Test
    void sweepFindingALoggingTrailThatDiffersFromItsDeclaredBaseline_shouldRestoreIt() {
        // given: logging, never stopped, but its bucket is not the declared one
        stub.cloudTrail("DescribeTrails", ONE_TRAIL);
        stub.cloudTrail("GetTrailStatus", WireFixtures.HEALTHY);
        declaredBaselineAndTrailWithBucket("exfil-bucket-4417");
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-drift");

        // when: mid-hour, not the hourly sweep: a new restore is notified anyway
        Outcome outcome = sweep(List.of("management-events"), "2026-11-20T14:25:00Z");

        // then: a weakened trail that still logs is not healthy
        assertThat(outcome.outcome()).isEqualTo("ISSUES_FOUND");
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("RESTORE_STARTED");
        assertThat(started().path("DocumentName").asText()).isEqualTo("TrailGuard-RestoreTrail");
        assertThat(published()).containsEntry("kind", "TRAIL_DRIFTED").containsEntry("severity", "HIGH");
        assertThat(message()).contains("exfil-bucket-4417");
    }

    @Test
    void sweepAfterARecentBlindWindow_shouldCompareWithConfigsItemFromBeforeTheStop() {
        // given: stopped at 14:02:30 and logging again since 14:03:18; no declared baseline; Config recorded the
        // attacker's bucket after the stop, and the baseline before it
        stub.cloudTrail("DescribeTrails", ONE_TRAIL);
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");
        stub.config("GetResourceConfigHistory", CONFIG_HISTORY);
        stub.cloudTrail("GetTrail", WireFixtures.getTrail("exfil-bucket-4417"));
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-window");

        // when
        Outcome outcome = sweep(List.of("management-events"), "2026-11-20T14:10:00Z");

        // then: anchored at the stop, so the attacker's item is not the baseline
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("RESTORE_STARTED");
        assertThat(AwsStub.json(stub.requests("config:GetResourceConfigHistory").get(0)).path("laterTime")
                .asDouble()).isEqualTo(1.79518335E9);
        JsonNode start = started();
        assertThat(start.path("Parameters").path("S3BucketName").get(0).asText())
                .isEqualTo("aws-cloudtrail-logs-111122223333-3f1a");
        assertThat(published()).containsEntry("kind", "TRAIL_DRIFTED");
    }

    @Test
    void sweepOfALoggingTrailWithoutABlindWindow_shouldNotRevertToConfigsOlderItem() {
        // given: logging since November, never stopped; Config's newest item is older than the trail's last
        // (authorized, seen) change, and no baseline is declared
        stub.cloudTrail("DescribeTrails", ONE_TRAIL);
        stub.cloudTrail("GetTrailStatus", WireFixtures.HEALTHY);
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");
        stub.config("GetResourceConfigHistory", CONFIG_HISTORY.replace("exfil-bucket-4417", "older-bucket"));
        stub.cloudTrail("GetTrail", WireFixtures.getTrail("exfil-bucket-4417"));

        // when
        Outcome outcome = sweep(List.of("management-events"), "2026-11-20T14:10:00Z");

        // then: only a declared baseline counts outside a blind window
        assertThat(outcome.outcome()).isEqualTo("HEALTHY");
        assertThat(stub.requests("ssm:StartAutomationExecution")).isEmpty();
        assertThat(stub.requests("sns:Publish")).isEmpty();
    }

    @Test
    void sweepFindingAGuardedTrailGone_shouldRecreateItAndNotifyAtOnce() {
        // given: the guarded trail (by ARN) is gone; its declared baseline remains; mid-hour
        stub.cloudTrail("DescribeTrails", "{\"trailList\":[]}");
        stub.ssm("GetParameter", WireFixtures.DECLARED_BASELINE);
        stub.ssm("StartAutomationExecution", EXECUTION);
        stub.snsPublish("m-gone");

        // when
        Outcome outcome = sweep(List.of(MAIN), "2026-11-20T14:25:00Z");

        // then: recreated and notified now; the region without a logging trail waits for the hourly notice
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("RECREATE_STARTED",
                "NO_TRAIL_LOGGING");
        JsonNode start = started();
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-RecreateTrail");
        assertThat(start.path("Parameters").path("TrailName").get(0).asText()).isEqualTo("management-events");
        assertThat(published()).containsEntry("kind", "GUARDED_TRAIL_MISSING")
                .containsEntry("outcome", "RECREATE_STARTED");
    }

    @Test
    void sweepWithNoGuardedTrailsAndNoTrailAtAll_shouldReportTheRegion() {
        // given
        stub.cloudTrail("DescribeTrails", "{\"trailList\":[]}");
        stub.snsPublish("m-none");

        // when
        Outcome outcome = sweep(List.of(), "2026-11-20T14:00:00Z");

        // then
        assertThat(outcome.outcome()).isEqualTo("ISSUES_FOUND");
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("NO_TRAIL_LOGGING");
        assertThat(published()).containsEntry("kind", "NO_TRAIL_LOGGING").containsEntry("severity", "CRITICAL");
    }

    @Test
    void sweepWhereOnlyAnotherRegionsTrailCoversThisOneAndItIsStopped_shouldReportTheRegion() {
        // given: the only trail covering us-east-1 is a multi-region trail homed in eu-west-1, stopped
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"eu-security","S3BucketName":"eu-security-logs-111122223333",
                 "IsMultiRegionTrail":true,"HomeRegion":"eu-west-1","TrailARN":"%s","IsOrganizationTrail":false}]}
                """.formatted(WireFixtures.SHADOW));
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1795182900L));
        stub.snsPublish("m-region");

        // when
        Outcome outcome = sweep(List.of(), "2026-11-20T14:00:00Z");

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("NO_TRAIL_LOGGING");
        assertThat(message()).contains(WireFixtures.SHADOW);
    }

    @Test
    void sweepWhereAnotherRegionsTrailLogs_shouldBeHealthy() {
        // given
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"eu-security","S3BucketName":"eu-security-logs-111122223333",
                 "IsMultiRegionTrail":true,"HomeRegion":"eu-west-1","TrailARN":"%s","IsOrganizationTrail":false}]}
                """.formatted(WireFixtures.SHADOW));
        stub.cloudTrail("GetTrailStatus", WireFixtures.HEALTHY);

        // when
        Outcome outcome = sweep(List.of(), "2026-11-20T14:00:00Z");

        // then
        assertThat(outcome.outcome()).isEqualTo("HEALTHY");
        assertThat(stub.requests("sns:Publish")).isEmpty();
    }
}
