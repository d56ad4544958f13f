package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.CloudTrailCanary;
import dev.trailguard.aws.EmfDrillMetrics;
import dev.trailguard.config.DrillConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Issue 16: the fire drill through TrailGuard's real path on the stub. The FireDrill function stops the canary; the
 * StopLogging event (the drill role's, on the canary) reaches the TamperResponder, which starts the runbook with the
 * drill's tags; the runbook's result reaches the RemediationReporter, which reads the tags back, confirms the canary
 * logs, and publishes the drill notification and the Embedded Metric Format line with every stage's time. Then the
 * failure cases: the event never arrives (the sweep's CRITICAL at the deadline), the runbook fails (HIGH naming it),
 * and the two look-alikes that are real incidents.
 */
class FireDrillWireTest {

    static final String CANARY = "arn:aws:cloudtrail:us-east-1:111122223333:trail/TrailGuard-Canary";
    static final String DRILL_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-FireDrillRole-1A2B3C4D5E6F";
    static final String EXECUTION = "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    /** The drill's StopLogging eventTime in the sample event: 2026-11-20T14:02:30Z. */
    static final long STOPPED = 1_795_183_350L;
    /** When the event reaches the TamperResponder: 3.4 s after the StopLogging. */
    static final Instant DETECTED = Instant.parse("2026-11-20T14:02:33.400Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static final String DESCRIBE_TRAILS = """
            {"trailList":[
              {"Name":"management-events","S3BucketName":"aws-cloudtrail-logs-111122223333-3f1a","IncludeGlobalServiceEvents":true,
               "IsMultiRegionTrail":true,"HomeRegion":"us-east-1","TrailARN":"%s","LogFileValidationEnabled":true,
               "HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":false},
              {"Name":"TrailGuard-Canary","S3BucketName":"trailguard-canarylogs-1a2b3c","IncludeGlobalServiceEvents":false,
               "IsMultiRegionTrail":false,"HomeRegion":"us-east-1","TrailARN":"%s","LogFileValidationEnabled":true,
               "HasCustomEventSelectors":true,"HasInsightSelectors":false,"IsOrganizationTrail":false}
            ]}""".formatted(WireFixtures.MAIN, CANARY);

    AwsStub stub;
    ByteArrayOutputStream metrics;
    Dependencies deps;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        metrics = new ByteArrayOutputStream();
        DrillConfig drill = DrillConfig.fromEnvironment(Map.of(DrillConfig.CANARY_TRAIL_ARN, CANARY,
                DrillConfig.DRILL_ROLE_ARN, DRILL_ROLE));
        deps = Dependencies.live(WireFixtures.config(List.of()), stub.clients(Region.US_EAST_1))
                .withDrill(new DrillSetup(drill, new CloudTrailCanary(stub.clients(Region.US_EAST_1)::cloudTrail),
                        new EmfDrillMetrics(new PrintStream(metrics, true, StandardCharsets.UTF_8),
                                Clock.fixed(DETECTED, ZoneOffset.UTC)),
                        Clock.fixed(DETECTED, ZoneOffset.UTC)));
        stub.cloudTrail("DescribeTrails", DESCRIBE_TRAILS);
        stub.cloudTrail("StopLogging", "{}");
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"" + EXECUTION + "\"}");
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.snsPublish("5e1b7c2a-9d3f-5b8e-a1c4-0f6d2e8b3a7c");
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    @Test
    void drill_shouldStopRestartVerifyAndPublishEveryStageTime() throws Exception {
        // given: the FireDrill function, on its schedule
        Outcome started = new FireDrill(deps).invoke(Events.load("scheduled/fire-drill.json"));

        // then: it stopped the canary, by ARN, in its home region, and nothing else
        assertThat(started.outcome()).isEqualTo("DRILL_STARTED");
        assertThat(stub.actions()).containsExactly("cloudtrail:StopLogging");
        LoggedRequest stop = stub.requests("cloudtrail:StopLogging").get(0);
        assertThat(AwsStub.json(stop).path("Name").asText()).isEqualTo(CANARY);
        assertThat(AwsStub.signingRegion(stop)).isEqualTo("us-east-1");

        // when: its StopLogging event reaches the TamperResponder while the canary is stopped
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(STOPPED));
        Outcome detected = new TamperResponder(deps).invoke(Events.load("cloudtrail/stop-logging-canary-drill.json"));

        // then: the real restart, tagged with the stop's eventTime and the arrival; no notification yet
        assertThat(detected.outcome()).isEqualTo("REMEDIATION_STARTED");
        assertThat(detected.executionId()).isEqualTo(EXECUTION);
        assertThat(stub.requests("sns:Publish")).isEmpty();
        JsonNode startRequest = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
        assertThat(startRequest.path("Parameters").path("CloudTrailArn").get(0).asText()).isEqualTo(CANARY);
        Map<String, String> tags = tags(startRequest);
        assertThat(tags).containsEntry("TrailGuard:DrillStoppedAt", "2026-11-20T14:02:30Z")
                .containsEntry("TrailGuard:DrillDetectedAt", "2026-11-20T14:02:33.400Z")
                .containsEntry("TrailGuard:Trigger", "FireDrill");

        // when: the runbook succeeded (started 14:03:13, ended 14:03:19) and the canary logs since 14:03:18
        stub.ssm("GetAutomationExecution", canaryExecution("Success", null));
        stub.ssm("ListTagsForResource", tagList(startRequest));
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        Outcome reported = new RemediationReporter(deps).invoke(Events.load("ssm/automation-success.json"));

        // then: the drill notification, INFO (48 s, within the 300 s target), with every stage
        assertThat(reported.outcome()).isEqualTo("DRILL_PASSED");
        assertThat(reported.severity()).isEqualTo("INFO");
        LoggedRequest tagsRequest = stub.requests("ssm:ListTagsForResource").get(0);
        assertThat(AwsStub.json(tagsRequest).path("ResourceType").asText()).isEqualTo("Automation");
        assertThat(AwsStub.json(tagsRequest).path("ResourceId").asText()).isEqualTo(EXECUTION);
        JsonNode message = published(0);
        System.out.println("drill notification (e-mail text):\n" + message.path("email").asText());
        JsonNode doc = JSON.readTree(message.path("default").asText());
        assertThat(doc.path("kind").asText()).isEqualTo("DRILL_PASSED");
        assertThat(doc.path("details").path("Event reached TamperResponder").asText()).startsWith("+3.4 s");
        assertThat(doc.path("details").path("Runbook started").asText()).startsWith("+43.0 s");
        assertThat(doc.path("details").path("Runbook finished").asText()).startsWith("+49.0 s");
        assertThat(doc.path("details").path("Canary logging again (StartLoggingTime)").asText()).startsWith("+48.0 s");

        // and the metrics: one EMF line, namespace, dimensions account and region, both times in seconds
        List<JsonNode> lines = emf();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        System.out.println("metric line: " + line);
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("TrailGuard/FireDrill");
        assertThat(directive.path("Dimensions").get(0).toString()).isEqualTo("[\"Account\",\"Region\"]");
        assertThat(directive.path("Metrics").findValuesAsText("Name")).contains("TimeToDetect", "TimeToRestore");
        assertThat(line.path("Account").asText()).isEqualTo("111122223333");
        assertThat(line.path("Region").asText()).isEqualTo("us-east-1");
        assertThat(line.path("TimeToDetect").asDouble()).isEqualTo(3.4);
        assertThat(line.path("TimeToRestore").asDouble()).isEqualTo(48.0);
        assertThat(line.path("TimeToRunbookStart").asDouble()).isEqualTo(43.0);
        assertThat(line.path("ExecutionId").asText()).isEqualTo(EXECUTION);
    }

    @Test
    void drillOverTheTarget_shouldBeHigh() throws Exception {
        // given: a target of 30 s, and a drill that took 48 s
        deps = deps.withDrill(new DrillSetup(DrillConfig.fromEnvironment(Map.of(DrillConfig.CANARY_TRAIL_ARN, CANARY,
                DrillConfig.DRILL_ROLE_ARN, DRILL_ROLE, DrillConfig.TARGET_SECONDS, "30")), deps.drill().canary(),
                deps.drill().metrics(), deps.drill().clock()));
        stub.ssm("GetAutomationExecution", canaryExecution("Success", null));
        stub.ssm("ListTagsForResource", drillTags());
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);

        // when
        Outcome reported = new RemediationReporter(deps).invoke(Events.load("ssm/automation-success.json"));

        // then
        assertThat(reported.outcome()).isEqualTo("DRILL_SLOW");
        assertThat(reported.severity()).isEqualTo("HIGH");
        assertThat(emf().get(0).path("TimeToRestore").asDouble()).isEqualTo(48.0);
    }

    @Test
    void eventNeverArrives_shouldBeCriticalAtTheDeadlineNamingThatStage() throws Exception {
        // given: the drill stopped the canary at 14:02:30 and no runbook was started for it
        new FireDrill(deps).invoke(Events.load("scheduled/fire-drill.json"));
        stub.cloudTrail("GetTrailStatus", WireFixtures.HEALTHY);
        stub.cloudTrail("GetTrailStatus", "TrailGuard-Canary", WireFixtures.stopped(STOPPED));

        // when: the sweep at 14:10, before the 10 min deadline
        Outcome early = new TrailSweeper(deps).invoke(sweepAt("2026-11-20T14:10:00Z"));

        // then: the drill is in progress, left to the event path: nothing started, nothing published
        assertThat(item(early, CANARY).outcome()).isEqualTo("DRILL_IN_PROGRESS");
        assertThat(stub.requests("ssm:StartAutomationExecution")).isEmpty();
        assertThat(stub.requests("sns:Publish")).isEmpty();

        // when: the sweep at 14:15, past the deadline
        Outcome late = new TrailSweeper(deps).invoke(sweepAt("2026-11-20T14:15:00Z"));

        // then: CRITICAL, naming the stage that never happened; the sweep restarted the canary
        Outcome canary = item(late, CANARY);
        assertThat(canary.outcome()).isEqualTo("DRILL_OVERDUE");
        assertThat(canary.severity()).isEqualTo("CRITICAL");
        assertThat(canary.notes()).contains("stage EVENT_NEVER_ARRIVED");
        JsonNode describe = AwsStub.json(stub.requests("ssm:DescribeAutomationExecutions").get(0));
        assertThat(describe.toString()).contains("TrailGuard:Actor:");
        assertThat(stub.requests("ssm:StartAutomationExecution")).hasSize(1);
        JsonNode doc = JSON.readTree(published(0).path("default").asText());
        System.out.println("overdue notification: " + published(0).path("email").asText());
        assertThat(doc.path("kind").asText()).isEqualTo("DRILL_OVERDUE");
        assertThat(doc.path("headline").asText()).contains("never reached the TamperResponder");
        assertThat(doc.path("details").path("Failed stage").asText()).isEqualTo("EVENT_NEVER_ARRIVED");
        // and the alarm's metric on both sweeps: 450 s, then 750 s (over 600)
        assertThat(emf()).extracting(l -> l.path("CanaryStoppedSeconds").asDouble()).containsExactly(450.0, 750.0);
    }

    @Test
    void runbookFails_shouldBeHighNamingTheFailure() throws Exception {
        // given: the drill's runbook failed
        stub.ssm("GetAutomationExecution", canaryExecution("Failed",
                "The defined assume role is unable to be assumed."));
        stub.ssm("ListTagsForResource", drillTags());
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(STOPPED));

        // when
        Outcome reported = new RemediationReporter(deps).invoke(Events.load("ssm/automation-failed.json"));

        // then
        assertThat(reported.outcome()).isEqualTo("DRILL_FAILED");
        assertThat(reported.severity()).isEqualTo("HIGH");
        JsonNode doc = JSON.readTree(published(0).path("default").asText());
        System.out.println("failed drill notification: " + published(0).path("email").asText());
        assertThat(doc.path("headline").asText()).isEqualTo("Fire drill failed: the runbook failed");
        assertThat(doc.path("details").path("Failed stage").asText()).isEqualTo("RUNBOOK_FAILED");
        assertThat(doc.path("details").path("Why").asText()).contains("ended Failed")
                .contains("The defined assume role is unable to be assumed.");
        // the stage that did happen is still measured
        assertThat(emf().get(0).path("TimeToDetect").asDouble()).isEqualTo(3.4);
        assertThat(emf().get(0).has("TimeToRestore")).isFalse();
    }

    @Test
    void canaryStoppedBySomeoneElse_shouldBeARealIncident() throws Exception {
        // given: the same StopLogging of the canary, by another role
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(STOPPED));
        byte[] event = replace("cloudtrail/stop-logging-canary-drill.json", DRILL_ROLE,
                "arn:aws:iam::111122223333:role/DevOpsAdmin");

        // when
        Outcome outcome = new TamperResponder(deps).invoke(event);

        // then: the incident's notification, no drill tags
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        assertThat(JSON.readTree(published(0).path("default").asText()).path("kind").asText())
                .isEqualTo("LOGGING_STOPPED");
        assertThat(tags(AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0))))
                .doesNotContainKey("TrailGuard:DrillStoppedAt");
    }

    @Test
    void drillRoleStoppingAnotherTrail_shouldBeARealIncident() throws Exception {
        // given: the drill role's session stops the user's trail
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(STOPPED));
        byte[] event = replace("cloudtrail/stop-logging-canary-drill.json", CANARY, WireFixtures.MAIN);

        // when
        Outcome outcome = new TamperResponder(deps).invoke(event);

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        assertThat(JSON.readTree(published(0).path("default").asText()).path("kind").asText())
                .isEqualTo("LOGGING_STOPPED");
        assertThat(tags(AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0))))
                .doesNotContainKey("TrailGuard:DrillStoppedAt");
    }

    @Test
    void runOfTheCanaryWithoutDrillTags_shouldBeReportedAsUsual() throws Exception {
        // given: a restart of the canary after a real stop: its execution has no drill tags
        stub.ssm("GetAutomationExecution", canaryExecution("Success", null));
        stub.ssm("ListTagsForResource", "{\"TagList\":[{\"Key\":\"TrailGuard:Trigger\",\"Value\":\"StopLogging\"}]}");
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);

        // when
        Outcome reported = new RemediationReporter(deps).invoke(Events.load("ssm/automation-success.json"));

        // then
        assertThat(reported.outcome()).isEqualTo("LOGGING_RESTORED");
        assertThat(emf()).isEmpty();
    }

    // --- helpers

    static String canaryExecution(String status, String failure) {
        return WireFixtures.runbookExecution(EXECUTION, "AWS-ConfigureCloudTrailLogging", status,
                Map.of("AutomationAssumeRole", WireFixtures.ROLE, "CloudTrailArn", CANARY, "StartLogging", "True"),
                failure, failure == null ? null : "startLogging");
    }

    static String drillTags() {
        return "{\"TagList\":[{\"Key\":\"TrailGuard:DrillStoppedAt\",\"Value\":\"2026-11-20T14:02:30Z\"},"
                + "{\"Key\":\"TrailGuard:DrillDetectedAt\",\"Value\":\"2026-11-20T14:02:33.400Z\"}]}";
    }

    /** ListTagsForResource as SSM would answer it for the execution just started with these tags. */
    static String tagList(JsonNode startRequest) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("TagList");
        startRequest.path("Tags").forEach(list::add);
        return answer.toString();
    }

    static Map<String, String> tags(JsonNode startRequest) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        startRequest.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return tags;
    }

    JsonNode published(int index) throws Exception {
        return JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(index)).get("Message"));
    }

    List<JsonNode> emf() throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : metrics.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    static byte[] sweepAt(String time) {
        return new String(Events.load("scheduled/sweep.json"), StandardCharsets.UTF_8)
                .replace("2026-11-20T14:05:00Z", time).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] replace(String event, String from, String to) {
        return new String(Events.load(event), StandardCharsets.UTF_8).replace(from, to)
                .getBytes(StandardCharsets.UTF_8);
    }

    static Outcome item(Outcome sweep, String trailArn) {
        return sweep.items().stream().filter(i -> trailArn.equals(i.trailArn())).findFirst().orElseThrow();
    }
}
