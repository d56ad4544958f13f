package dev.trailguard.priming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.EventFunction;
import dev.trailguard.handler.Functions;
import dev.trailguard.handler.TamperResponder;
import dev.trailguard.logging.JsonLoggerProvider;
import dev.trailguard.testing.AwsStub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class PrimingTest {

    private static final TrailGuardConfig CONFIG = TrailGuardConfig.fromEnvironment(Map.of(
            TrailGuardConfig.TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:trailguard",
            TrailGuardConfig.AUTOMATION_ROLE_ARN, "arn:aws:iam::111122223333:role/trailguard-automation"));

    @Test
    void prime_shouldRunTheRealStopLoggingPathWithoutAnyNetworkCall() {
        try (AwsStub stub = AwsStub.start()) {
            // given: the function wired to real clients (pointed at the stub, to see any call that escapes)
            TamperResponder function = new TamperResponder(Dependencies.live(CONFIG, stub.clients(Region.US_EAST_1)));

            // when
            List<String> outcomes = Priming.prime(function);

            // then: every priming event went through the real service, and nothing was sent anywhere
            assertThat(outcomes).hasSize(3);
            assertThat(outcomes.get(0)).contains("\"outcome\":\"KEEPALIVE\"");
            assertThat(outcomes.get(1)).contains("\"outcome\":\"REMEDIATION_STARTED\"")
                    .contains("\"executionId\":\"00000000-0000-4000-8000-000000000000\"");
            // the PutEventSelectors sample drops the declared baseline's S3 data events: the full restore path ran
            assertThat(outcomes.get(2)).contains("\"outcome\":\"RESTORE_STARTED\"")
                    .contains("\"messageId\":\"00000000-0000-4000-8000-000000000000\"");
            assertThat(String.join("\n", outcomes)).doesNotContain("UNREADABLE", "IGNORED", "INTERNAL_ERROR");
            assertThat(stub.requests()).isEmpty();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "ComplianceResponder, REMEDIATED",
            "RemediationReporter, RESTORE_NOT_CONFIRMED",
            "TrailSweeper, ISSUES_FOUND"})
    void prime_shouldRunEveryOtherFunctionsRealPathWithoutAnyNetworkCall(String name, String expected) {
        try (AwsStub stub = AwsStub.start()) {
            // given
            EventFunction function = Functions.factory(name).apply(
                    Dependencies.live(CONFIG, stub.clients(Region.US_EAST_1)));

            // when
            List<String> outcomes = Priming.prime(function);

            // then: the keepalive, then the function's own sample events, handled for real in memory
            assertThat(outcomes.get(0)).contains("\"outcome\":\"KEEPALIVE\"");
            assertThat(outcomes.get(1)).contains("\"outcome\":\"" + expected + "\"");
            assertThat(String.join("\n", outcomes)).doesNotContain("UNREADABLE", "IGNORED", "INTERNAL_ERROR");
            assertThat(stub.requests()).isEmpty();
        }
    }

    @Test
    void prime_shouldRepeatTheEventsForTheJitButLogOnlyTheFirstRound() {
        // given: the log lines captured, at INFO
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        JsonLoggerProvider.Settings previous = JsonLoggerProvider.configure(new JsonLoggerProvider.Settings(
                org.slf4j.event.Level.INFO, org.slf4j.event.Level.WARN,
                new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8)));
        try (AwsStub stub = AwsStub.start()) {
            TamperResponder function = new TamperResponder(Dependencies.live(CONFIG, stub.clients(Region.US_EAST_1)));

            // when
            List<String> outcomes = Priming.prime(function);

            // then: one logged outcome per priming event, and the summary counts the quiet repetitions
            String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(log.lines().filter(l -> l.contains("\"message\":\"Outcome "))).hasSize(outcomes.size());
            assertThat(log).containsPattern(
                    "Primed TamperResponder with 3 events, (\\d{3,}) runs \\(0 failed\\) \\(over loopback\\)");
            assertThat(stub.requests()).isEmpty();
        } finally {
            JsonLoggerProvider.configure(previous);
        }
    }

    @Test
    void primeCredentialsChain_shouldNeverAskTheContainerOrInstanceMetadataEndpointForCredentials() {
        // given: both credential endpoints point at the stub, so any fetch would be seen
        try (AwsStub stub = AwsStub.start()) {
            String endpoint = stub.endpoint().toString();
            System.setProperty("aws.containerCredentialsFullUri", endpoint + "/container-credentials");
            System.setProperty("aws.ec2MetadataServiceEndpoint", endpoint);
            try {
                // when
                Priming.primeCredentialsChain();

                // then
                assertThat(stub.requests()).isEmpty();
            } finally {
                System.clearProperty("aws.containerCredentialsFullUri");
                System.clearProperty("aws.ec2MetadataServiceEndpoint");
            }
        }
    }

    @Test
    void beforeCheckpoint_shouldConnectOnlyToTheLoopback() {
        // given: the function as Lambda's runtime builds it (its constructor registers it for the checkpoint), real
        // clients pointed at the stub, and every connection and name lookup of this JVM recorded
        try (AwsStub stub = AwsStub.start()) {
            TamperResponder function = new TamperResponder(Dependencies.live(CONFIG, stub.clients(Region.US_EAST_1)));
            Priming checkpoint = Priming.registered().stream()
                    .filter(r -> r.function().getClass() == function.getClass()).findFirst().orElseThrow();
            List<String> connects = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            SecurityManager recorder = new SecurityManager() {
                @Override
                public void checkPermission(java.security.Permission perm) {
                    // everything is allowed: this only records
                }

                @Override
                public void checkConnect(String host, int port) {
                    connects.add(host + ":" + port);
                }

                @Override
                public void checkConnect(String host, int port, Object context) {
                    connects.add(host + ":" + port);
                }
            };
            System.setSecurityManager(recorder);
            try {
                // when: the real CRaC hook
                checkpoint.beforeCheckpoint(null);
            } finally {
                System.setSecurityManager(null);
            }

            // then: it did connect (so the recorder sees priming's HTTP stack), but only to the loopback interface
            assertThat(connects).as("priming's own loopback connections are seen").isNotEmpty();
            assertThat(connects).allSatisfy(c -> assertThat(isLoopback(c.substring(0, c.lastIndexOf(':'))))
                    .as(c).isTrue());
            assertThat(stub.requests()).isEmpty();
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Test
    void events_shouldStartWithTheKeepaliveForAFunctionWithoutSamples() throws Exception {
        assertThat(Priming.events("NoSuchFunction")).hasSize(1);
    }
}
