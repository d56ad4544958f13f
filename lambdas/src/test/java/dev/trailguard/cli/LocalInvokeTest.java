package dev.trailguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.testing.AwsStub;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalInvokeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EVENTS = Path.of("..", "events");

    record Run(int code, String out, String err) {
        JsonNode outcome() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Map<String, String> noCredentials() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
        env.put("AWS_CONFIG_FILE", "/nonexistent/config");
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new LocalInvoke(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noArguments_shouldPrintUsageAndExit2() {
        Run run = run(noCredentials());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("usage: java -jar trailguard-lambdas.jar <FunctionName> <event.json>",
                "functions: TamperResponder");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownFunction_shouldExit2() {
        Run run = run(noCredentials(), "NoSuchFunction", EVENTS.resolve("cloudtrail/stop-logging.json").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("unknown function 'NoSuchFunction'");
    }

    @Test
    void unreadableFile_shouldExit2() {
        Run run = run(noCredentials(), "TamperResponder", "/nonexistent/event.json");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read event file '/nonexistent/event.json'");
    }

    @Test
    void unknownOption_shouldExit2() {
        assertThat(run(noCredentials(), "--fast", "TamperResponder", "x").code()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
            "stop-logging.json, WOULD_START_REMEDIATION",
            "stop-logging-assumed-role-arn.json, WOULD_START_REMEDIATION",
            "stop-logging-console.json, WOULD_START_REMEDIATION",
            "stop-logging-access-denied.json, ATTEMPT_BLOCKED",
            "stop-logging-organization-trail.json, NOT_STARTABLE_HERE",
            "delete-trail.json, TRAIL_DELETED",
            "update-trail.json, CHANGE_REPORTED",
            "put-event-selectors.json, CHANGE_REPORTED",
            "put-insight-selectors.json, CHANGE_REPORTED",
            "start-logging.json, UNREADABLE_EVENT",
            "../guard/disable-rule.json, WOULD_REENABLE_RULE",
            "../guard/delete-function.json, GUARD_TAMPERED"})
    void withoutCredentialsOrConfig_shouldPrintThePlanFromTheEventAlone(String file, String expected)
            throws IOException {
        // when
        Run run = run(noCredentials(), "TamperResponder", EVENTS.resolve("cloudtrail/" + file).normalize()
                .toString());

        // then
        assertThat(run.code()).isZero();
        assertThat(run.out().lines()).hasSize(1);
        JsonNode outcome = run.outcome();
        assertThat(outcome.path("outcome").asText()).isEqualTo(expected);
        assertThat(outcome.path("dryRun").asBoolean()).isTrue();
        assertThat(outcome.path("notes").toString()).contains("Missing environment variable TRAILGUARD_TOPIC_ARN",
                "no AWS credentials found", "would notify: [");
    }

    @Test
    void planForStopLogging_shouldDeriveArnAndTokenAndSayWhatWasNotLookedUp() throws IOException {
        JsonNode outcome = run(noCredentials(), "TamperResponder",
                EVENTS.resolve("cloudtrail/stop-logging.json").toString()).outcome();
        assertThat(outcome.path("trailArn").asText())
                .isEqualTo("arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events");
        // the README's token: a change to the derivation would make duplicates of in-flight incidents start again
        assertThat(outcome.path("clientToken").asText()).isEqualTo("dcfcb593-a82e-3b71-9ce8-4395dc0eddbf");
        assertThat(outcome.path("notes").toString()).contains("not looked up: logging status",
                "not looked up: trail existence");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @CsvSource({"ComplianceResponder, config/cloudtrail-enabled-non-compliant.json",
            "TrailSweeper, scheduled/sweep.json"})
    void withoutCredentials_functionsThatListTrails_shouldSayTheyNeedAwsInsteadOfGuessing(String function,
                                                                                          String event)
            throws IOException {
        // when
        Run run = run(noCredentials(), function, EVENTS.resolve(event).toString());

        // then: no invented "no trail" or "healthy" verdict
        assertThat(run.code()).isZero();
        assertThat(run.outcome().path("outcome").asText()).isEqualTo("PLAN_NEEDS_AWS");
        assertThat(run.outcome().path("notes").toString()).contains("cloudtrail:DescribeTrails");
        assertThat(run.outcome().path("eventId").asText()).isNotBlank();
    }

    /** The packaged entry point in a fresh JVM, configured only through the SDK's standard environment. */
    static Run subprocess(AwsStub stub, String... args) throws IOException, InterruptedException {
        return subprocess(stub, Map.of(), args);
    }

    static Run subprocess(AwsStub stub, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), LocalInvoke.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TRAILGUARD_"));
        env.put("AWS_ENDPOINT_URL", stub.endpoint().toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDLOCALSTUB");
        env.put("AWS_SECRET_ACCESS_KEY", "local-stub-secret");
        env.put("TRAILGUARD_TOPIC_ARN", "arn:aws:sns:us-east-1:111122223333:trailguard");
        env.put("TRAILGUARD_AUTOMATION_ROLE_ARN", "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole");
        env.putAll(extraEnv);
        File err = File.createTempFile("localinvoke", ".err");
        err.deleteOnExit();
        pb.redirectError(err);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, java.nio.file.Files.readString(err.toPath()));
    }

    static void stubStoppedTrail(AwsStub stub) {
        stub.cloudTrail("DescribeTrails", "{\"trailList\":[{\"Name\":\"management-events\",\"HomeRegion\":\"us-east-1\","
                + "\"TrailARN\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events\","
                + "\"IsMultiRegionTrail\":true,\"IsOrganizationTrail\":false}]}");
        stub.cloudTrail("GetTrailStatus", "{\"IsLogging\":false,\"StopLoggingTime\":1.763647391E9}");
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
            stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
    }

    @Test
    void withAwsEndpointUrl_shouldMakeTheRealCallsThere() throws Exception {
        try (AwsStub stub = AwsStub.start()) {
            // given
            stubStoppedTrail(stub);

            // when
            Run run = subprocess(stub, "TamperResponder", EVENTS.resolve("cloudtrail/stop-logging.json").toString());

            // then
            assertThat(run.code()).as(run.err()).isZero();
            JsonNode outcome = run.outcome();
            assertThat(outcome.path("outcome").asText()).isEqualTo("REMEDIATION_STARTED");
            assertThat(outcome.path("executionId").asText()).isEqualTo("4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
            assertThat(outcome.has("dryRun")).isFalse();
            // (the baseline sources are read before the restart: no baseline here, nothing compared)
            assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    "ssm:GetParameter", "config:GetResourceConfigHistory", "ssm:StartAutomationExecution",
                    "ssm:DescribeAutomationExecutions", "sns:Publish");
            assertThat(stub.requests().stream().map(AwsStub::signingRegion)).containsOnly("us-east-1");
            // logs go to stderr as JSON lines and never contain the secret key
            assertThat(run.err()).contains("\"level\":\"INFO\"").doesNotContain("local-stub-secret");
        }
    }

    @Test
    void drill_shouldRunTheWholeDrillAgainstTheEndpointAndPrintTheStageTimes() throws Exception {
        String canary = "arn:aws:cloudtrail:us-east-1:111122223333:trail/TrailGuard-Canary";
        String execution = "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
        try (AwsStub stub = AwsStub.start()) {
            // given: the canary, stopped until the runbook ran; the runbook started 2 s and ended 8 s from now, the
            // canary logging again 7 s from now (the subprocess starts within those seconds)
            long now = java.time.Instant.now().getEpochSecond();
            stub.cloudTrail("StopLogging", "{}");
            stub.cloudTrail("DescribeTrails", "{\"trailList\":[{\"Name\":\"TrailGuard-Canary\",\"HomeRegion\":"
                    + "\"us-east-1\",\"TrailARN\":\"" + canary + "\",\"IsMultiRegionTrail\":false,"
                    + "\"IsOrganizationTrail\":false}]}");
            stub.server().stubFor(AwsStub.matcher("cloudtrail:GetTrailStatus").inScenario("canary")
                    .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                    .willReturn(json("{\"IsLogging\":false,\"StopLoggingTime\":" + now + "}")));
            stub.server().stubFor(AwsStub.matcher("cloudtrail:GetTrailStatus").inScenario("canary")
                    .whenScenarioStateIs("restarted")
                    .willReturn(json("{\"IsLogging\":true,\"StartLoggingTime\":" + (now + 7) + "}")));
            stub.server().stubFor(AwsStub.matcher("ssm:StartAutomationExecution").inScenario("canary")
                    .willSetStateTo("restarted")
                    .willReturn(json("{\"AutomationExecutionId\":\"" + execution + "\"}")));
            stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
            stub.ssm("GetAutomationExecution", "{\"AutomationExecution\":{\"AutomationExecutionId\":\"" + execution
                    + "\",\"DocumentName\":\"AWS-ConfigureCloudTrailLogging\",\"AutomationExecutionStatus\":"
                    + "\"Success\",\"ExecutionStartTime\":" + (now + 2) + ",\"ExecutionEndTime\":" + (now + 8)
                    + ",\"Parameters\":{\"AutomationAssumeRole\":[\"arn:aws:iam::111122223333:role/"
                    + "TrailGuard-AutomationRole\"],\"CloudTrailArn\":[\"" + canary + "\"]},\"ExecutedBy\":"
                    + "\"arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/TamperResponder\"}}");
            stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");

            // the tags SSM returns for the execution (FireDrillWireTest shows they are the ones the start sent)
            stub.ssm("ListTagsForResource", "{\"TagList\":[{\"Key\":\"TrailGuard:DrillStoppedAt\",\"Value\":\""
                    + java.time.Instant.ofEpochSecond(now) + "\"},{\"Key\":\"TrailGuard:DrillDetectedAt\",\"Value\":\""
                    + java.time.Instant.ofEpochSecond(now + 1) + "\"}]}");

            // when
            Run run = subprocess(stub, Map.of("TRAILGUARD_CANARY_TRAIL_ARN", canary, "TRAILGUARD_DRILL_ROLE_ARN",
                    "arn:aws:iam::111122223333:role/TrailGuard-FireDrillRole0563CE20-1A2B3C4D5E6F",
                    "TRAILGUARD_FUNCTION_ROLE_ARNS", "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole"),
                    "--drill");

            // then: stop, event, restart, verified; the stage times on stdout, the metric line on stderr
            System.out.println("local drill: " + run.out().strip());
            assertThat(run.code()).as(run.err()).isZero();
            JsonNode summary = run.outcome();
            assertThat(summary.path("fireDrill").asText()).isEqualTo("DRILL_STARTED");
            assertThat(summary.path("tamperResponder").asText()).isEqualTo("REMEDIATION_STARTED");
            assertThat(summary.path("outcome").asText()).isEqualTo("DRILL_PASSED");
            assertThat(summary.path("stages").path("Runbook finished").asText()).startsWith("+");
            assertThat(summary.path("timeToDetectSeconds").asDouble()).isEqualTo(1.0);
            assertThat(summary.path("timeToRestoreSeconds").asDouble()).isEqualTo(7.0);
            JsonNode start = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
            assertThat(start.path("Parameters").path("CloudTrailArn").get(0).asText()).isEqualTo(canary);
            assertThat(start.path("Tags").toString()).contains("TrailGuard:DrillStoppedAt");
            assertThat(stub.actions()).startsWith("cloudtrail:StopLogging").contains("ssm:ListTagsForResource");
            assertThat(run.err()).contains("\"Namespace\":\"TrailGuard/FireDrill\"").contains("\"TimeToRestore\"");
        }
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    @Test
    void dryRunWithAwsEndpointUrl_shouldMakeOnlyReadCalls() throws Exception {
        try (AwsStub stub = AwsStub.start()) {
            // given
            stubStoppedTrail(stub);

            // when
            Run run = subprocess(stub, "TamperResponder", EVENTS.resolve("cloudtrail/stop-logging.json").toString(),
                    "--dry-run");

            // then
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.outcome().path("outcome").asText()).isEqualTo("WOULD_START_REMEDIATION");
            assertThat(run.outcome().path("dryRun").asBoolean()).isTrue();
            // reads only: the trail, and its baseline to compare with before the (dry) restart
            assertThat(stub.actions()).containsExactly("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    "ssm:GetParameter", "config:GetResourceConfigHistory");
        }
    }
}
