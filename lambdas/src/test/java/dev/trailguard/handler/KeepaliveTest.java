package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/** The keepalive ping reaches every function and makes no AWS call at all. */
class KeepaliveTest {

    static Stream<String> functions() {
        List<String> names = new ArrayList<>();
        Functions.names().forEach(names::add);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("functions")
    void keepalivePing_shouldAnswerWithoutAnyAwsCall(String name) throws Exception {
        try (AwsStub stub = AwsStub.start()) {
            // given: real adapters that would reach the stub (whose unmatched requests would fail)
            EventFunction function = Functions.factory(name).apply(Dependencies.live(WireFixtures.config(List.of()),
                    stub.clients(Region.US_EAST_1)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            // when
            function.handleRequest(new ByteArrayInputStream(Events.load("scheduled/keepalive-ping.json")), out, null);

            // then
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"outcome\":\"KEEPALIVE\"}");
            assertThat(stub.requests()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("functions")
    void registry_shouldHoldEveryHandlerUnderItsName(String name) {
        assertThat(Functions.factory(name).apply(Dependencies.live(WireFixtures.config(List.of()),
                new dev.trailguard.aws.AwsClients(Region.US_EAST_1))).name()).isEqualTo(name);
    }

    @org.junit.jupiter.api.Test
    void registry_shouldListAllFiveFunctions() {
        assertThat(functions()).containsExactly("TamperResponder", "ComplianceResponder", "RemediationReporter",
                "TrailSweeper", "FireDrill");
    }
}
