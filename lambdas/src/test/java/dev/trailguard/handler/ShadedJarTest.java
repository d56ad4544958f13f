package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/**
 * The deployed artifact, not the classes: every sample event through {@code java -jar trailguard-lambdas.jar}
 * (the shaded, trimmed jar) against a local stub, compared with the same event through the unshaded classes. A
 * class the shade filters dropped shows up here as a failed run or a different outcome. Runs in the {@code verify}
 * phase, after the jar is built.
 */
class ShadedJarTest {

    static final Path JAR = Path.of("target", "trailguard-lambdas.jar");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DECLARED = "{\"EventSelectors\":[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,"
            + "\"DataResources\":[{\"Type\":\"AWS::S3::Object\",\"Values\":[\"arn:aws:s3:::payroll-data/\"]}]}]}";

    static AwsStub stub;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        stub = AwsStub.start();
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(1_795_183_200L));
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        stub.ssm("GetAutomationExecution", WireFixtures.execution("4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "Failed",
                WireFixtures.ROLE, "The defined assume role is unable to be assumed."));
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.ssm("GetParameter", "{\"Parameter\":{\"Name\":\"/trailguard/baseline/management-events\",\"Type\":"
                + "\"String\",\"Value\":" + JSON.writeValueAsString(DECLARED) + ",\"Version\":3}}");
        stub.config("GetResourceConfigHistory", RestoreWireTest.CONFIG_HISTORY);
        // the delivery repairs succeed, so the shaded jar must carry their SDK classes (Lake, Config) and signer
        stub.cloudTrail("GetTrail", "data-events", "{\"Trail\":{\"Name\":\"data-events\",\"S3BucketName\":"
                + "\"data-events-111122223333\",\"HomeRegion\":\"us-east-1\",\"TrailARN\":\""
                + WireFixtures.DELIVERY + "\",\"KmsKeyId\":\"" + DeliveryWireTest.KEY_ARN + "\"}}");
        stub.kms("CancelKeyDeletion", "{}");
        stub.kms("EnableKey", "");
        stub.cloudTrail("StartEventDataStoreIngestion", "{}");
        stub.cloudTrail("RestoreEventDataStore", "{\"EventDataStoreArn\":\"" + DeliveryWireTest.STORE
                + "\",\"Status\":\"ENABLED\",\"BillingMode\":\"EXTENDABLE_RETENTION_PRICING\"}");
        stub.config("StartConfigurationRecorder", "{}");
        stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        env = new HashMap<>();
        env.put("TRAILGUARD_TOPIC_ARN", WireFixtures.TOPIC);
        env.put("TRAILGUARD_AUTOMATION_ROLE_ARN", WireFixtures.ROLE);
        env.put("TRAILGUARD_CONFIG_RULES", "trailguard-cloudtrail-enabled,trailguard-multi-region-cloudtrail-enabled");
        env.put("TRAILGUARD_FUNCTION_ROLE_ARNS", WireFixtures.FUNCTION_ROLE);
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    static Stream<Arguments> everySampleEvent() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        Map<String, String> functionByFolder = Map.of("cloudtrail", "TamperResponder", "guard", "TamperResponder",
                "delivery", "TamperResponder", "config", "ComplianceResponder", "ssm", "RemediationReporter",
                "scheduled", "TrailSweeper");
        for (Map.Entry<String, String> folder : functionByFolder.entrySet()) {
            try (Stream<Path> files = Files.list(Path.of("..", "events", folder.getKey()))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
                        .forEach(n -> cases.add(Arguments.of(folder.getValue(), folder.getKey() + "/" + n)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everySampleEvent")
    void shadedJar_shouldHandleEverySampleEventExactlyAsTheClassesDo(String function, String event) throws Exception {
        assertThat(JAR).as("run through `mvn verify`: the shaded jar is built in the package phase").exists();

        // given: the outcome of the unshaded classes
        Dependencies deps = Dependencies.live(TrailGuardConfig.fromEnvironment(env),
                ResponseConfig.fromEnvironment(env), stub.clients(Region.US_EAST_1));
        Outcome expected = Functions.factory(function).apply(deps).invoke(Events.load(event));

        // when: the same event through the jar, configured only by the SDK's standard environment
        Run run = runJar(function, event, env);
        String out = run.out();
        String log = run.log();
        Process process = run.process();

        // then
        assertThat(log).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "NoSuchMethodError",
                "ERROR StatusLogger", "Unrecognized format specifier");
        assertThat(process.exitValue()).as(log).isZero();
        JsonNode actual = JSON.readTree(out);
        assertThat(actual.path("outcome").asText()).isEqualTo(expected.outcome());
        List<String> items = new ArrayList<>();
        actual.path("items").forEach(i -> items.add(i.path("outcome").asText()));
        assertThat(items).isEqualTo(expected.items().stream().map(Outcome::outcome).toList());
        assertThat(actual.path("executionId").asText(null)).isEqualTo(expected.executionId());
        System.out.printf("shaded-jar: %s %s -> %s %s%s%n", function, event, actual.path("outcome").asText(),
                actual.path("severity").asText(""), items.isEmpty() ? "" : " " + items);
    }

    record Run(String out, String log, Process process) { }

    /** {@code java -jar} the shaded jar on one sample event, with only the given environment and the stub. */
    static Run runJar(String function, String event, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), function,
                Path.of("..", "events", event).toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TRAILGUARD_"));
        pb.environment().putAll(environment);
        pb.environment().put("AWS_ENDPOINT_URL", stub.endpoint().toString());
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDLOCALSTUB");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "local-stub-secret");
        File err = File.createTempFile("shaded", ".err");
        err.deleteOnExit();
        pb.redirectError(err);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(err.toPath());

        return new Run(out, log, process);
    }

    static Stream<Arguments> everyMemberSampleEvent() {
        return Stream.of(Arguments.of("TamperResponder", "member/stop-logging.json"),
                Arguments.of("TrailSweeper", "member/sweep.json"));
    }

    /**
     * The organization hub's jar on a member account's event: with the two member role variables set, the local
     * invoke assumes the member role (STS is shaded in) and signs the account's calls with its credentials.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyMemberSampleEvent")
    void shadedJar_shouldReachAMemberAccountWithItsRole(String function, String event) throws Exception {
        assertThat(JAR).as("run through `mvn verify`: the shaded jar is built in the package phase").exists();
        // given
        stub.stsAssumeRole("arn:aws:iam::444455556666:role/TrailGuard-Member", "ASIAMEMBEREXAMPLE001");
        Map<String, String> hub = new HashMap<>(env);
        hub.put("TRAILGUARD_MEMBER_ROLE_NAME", "TrailGuard-Member");
        hub.put("TRAILGUARD_MEMBER_AUTOMATION_ROLE_NAME", "TrailGuard-Automation");
        String hubBus = "arn:aws:events:us-east-1:111122223333:event-bus/TrailGuardHub";
        hub.put("TRAILGUARD_HUB_BUS_ARN", hubBus);
        for (String name : dev.trailguard.contract.Forwarding.RULE_NAMES) {
            stub.events("DescribeRule", "\"" + name + "\"", "{\"Name\":\"" + name + "\",\"State\":\"ENABLED\"}");
            // a full target, so that the jar unmarshals every parameter type a Target can carry
            stub.events("ListTargetsByRule", "\"" + name + "\"", "{\"Targets\":[{\"Id\":\"Target0\",\"Arn\":\""
                    + hubBus + "\",\"RoleArn\":\"arn:aws:iam::444455556666:role/TrailGuard-Forwarder\","
                    + "\"RetryPolicy\":{\"MaximumRetryAttempts\":185},\"DeadLetterConfig\":{\"Arn\":\"arn:aws:sqs:"
                    + "us-east-1:444455556666:dlq\"},\"SqsParameters\":{\"MessageGroupId\":\"g\"},"
                    + "\"EcsParameters\":{\"TaskDefinitionArn\":\"t\",\"NetworkConfiguration\":{\"awsvpcConfiguration\":"
                    + "{\"Subnets\":[\"s\"]}}},\"HttpParameters\":{\"HeaderParameters\":{\"a\":\"b\"}}}]}");
        }
        stub.organizations("DescribeAccount", "444455556666", "{\"Account\":{\"Id\":\"444455556666\","
                + "\"Name\":\"payments-prod\",\"Status\":\"ACTIVE\"}}");
        stub.organizations("ListParents", "444455556666",
                "{\"Parents\":[{\"Id\":\"ou-ab12-34567890\",\"Type\":\"ORGANIZATIONAL_UNIT\"}]}");
        int before = stub.requests().size();

        // when
        Run run = runJar(function, event, hub);

        // then
        assertThat(run.log()).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "NoSuchMethodError");
        assertThat(run.process().exitValue()).as(run.log()).isZero();
        var requests = stub.requests().subList(before, stub.requests().size());
        assertThat(requests).extracting(AwsStub::action).startsWith("sts:AssumeRole").contains("cloudtrail:DescribeTrails");
        assertThat(requests).filteredOn(r -> AwsStub.action(r).startsWith("cloudtrail:"))
                .allSatisfy(r -> assertThat(AwsStub.signingAccessKey(r)).isEqualTo("ASIAMEMBEREXAMPLE001"))
                .allSatisfy(r -> assertThat(AwsStub.signingRegion(r)).isEqualTo("eu-west-1"));
        assertThat(JSON.readTree(run.out()).path("outcome").asText()).isNotIn("UNREADABLE_EVENT", "INTERNAL_ERROR",
                "MEMBER_UNREACHABLE");
        // every notification names the member account (Organizations, signed by hand in the jar)
        assertThat(requests).filteredOn(r -> AwsStub.action(r).equals("sns:Publish"))
                .hasSizeGreaterThanOrEqualTo("TamperResponder".equals(function) ? 1 : 0)
                .allSatisfy(r -> assertThat(AwsStub.messageAttributes(r))
                        .containsEntry("organizationalUnit", "ou-ab12-34567890"));
        if ("TrailSweeper".equals(function)) {
            // the forwarding rules, through the jar's trimmed EventBridge model
            List<String> items = new ArrayList<>();
            JSON.readTree(run.out()).path("items").forEach(i -> items.add(i.path("outcome").asText()));
            assertThat(items).containsSequence("FORWARDING_OK", "FORWARDING_OK", "FORWARDING_OK", "FORWARDING_OK");
        }
        System.out.printf("shaded-jar (hub): %s %s -> %s%n", function, event, JSON.readTree(run.out()).path("outcome"));
    }
}
