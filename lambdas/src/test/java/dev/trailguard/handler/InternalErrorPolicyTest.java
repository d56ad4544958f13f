package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.TrailLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * The shared event edge's policy, through every function: a defect (an exception that is not a failed AWS call) while
 * handling an event ends in an {@code INTERNAL_ERROR} outcome and a HIGH notification naming the event, never in
 * silence; when even that notification cannot be sent, the failure reaches Lambda (retries, then the dead-letter
 * queue). The log context is clean afterwards.
 */
class InternalErrorPolicyTest {

    private static final IllegalStateException DEFECT = new IllegalStateException("a defect");

    /** The function, the sample event, and how its path meets the defect. */
    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of(TamperResponder.NAME, "cloudtrail/stop-logging.json", "locate"),
                Arguments.of(TamperResponder.NAME, "guard/disable-rule.json", "reenable"),
                Arguments.of(ComplianceResponder.NAME, "config/cloudtrail-enabled-non-compliant.json", "listTrails"),
                Arguments.of(TrailSweeper.NAME, "scheduled/sweep.json", "listTrails"),
                Arguments.of(RemediationReporter.NAME, "ssm/automation-success.json", "getExecution"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("paths")
    void defect_shouldEndInAnInternalErrorNotification(String function, String event, String where)
            throws Exception {
        // given
        List<Notification> published = new ArrayList<>();
        EventFunction handler = function(function, where, n -> {
            published.add(n);
            return "msg-1";
        });
        byte[] raw = Events.load(event);
        MDC.put("requestId", "req-1");

        // when
        Outcome outcome = handler.invoke(raw);

        // then
        String eventId = eventId(raw, event);
        assertThat(outcome.outcome()).isEqualTo("INTERNAL_ERROR");
        assertThat(outcome.eventId()).isEqualTo(eventId);
        assertThat(outcome.notes()).containsExactly("internal error: IllegalStateException");
        assertThat(published).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo("INTERNAL_ERROR");
            assertThat(n.severity().name()).isEqualTo("HIGH");
            assertThat(n.eventId()).isEqualTo(eventId);
            assertThat(n.headline()).startsWith("TrailGuard failed on a");
            assertThat(n.summary()).contains("Check the trail it concerns by hand");
        });
        assertThat(MDC.getCopyOfContextMap()).containsExactlyEntriesOf(java.util.Map.of("requestId", "req-1"));
        MDC.clear();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("paths")
    void defectWhileTheTopicFails_shouldReachLambda(String function, String event, String where) {
        // given: the notification of the defect cannot be published either
        EventFunction handler = function(function, where, n -> {
            throw new AwsCallFailedException("sns:Publish", SnsException.builder().message("down").build());
        });

        // when / then: Lambda retries the event and finally dead-letters it
        assertThatThrownBy(() -> handler.invoke(Events.load(event)))
                .isInstanceOf(AwsCallFailedException.class).hasMessageContaining("sns:Publish");
    }

    private static EventFunction function(String name, String where, Notifier notifier) {
        TrailLocator locator = mock(TrailLocator.class);
        Remediator remediator = mock(Remediator.class);
        AutomationExecutions executions = mock(AutomationExecutions.class);
        RuleReenabler reenabler = mock(RuleReenabler.class);
        switch (where) {
            case "locate" -> when(locator.locate(any())).thenThrow(DEFECT);
            case "listTrails" -> when(locator.listTrails()).thenThrow(DEFECT);
            case "getExecution" -> when(executions.get(any(), any())).thenThrow(DEFECT);
            case "reenable" -> when(reenabler.reenable(any(), any(), any(), any())).thenThrow(DEFECT);
            default -> throw new IllegalArgumentException(where);
        }
        Dependencies deps = new Dependencies(WireFixtures.config(List.of()), new EventReader(), locator, remediator,
                notifier, executions).withReenabler(reenabler);
        return Functions.factory(name).apply(deps);
    }

    /** The id the event is reported by: the CloudTrail record's for a call, else the envelope's. */
    private static String eventId(byte[] raw, String event) throws Exception {
        var tree = new ObjectMapper().readTree(raw);
        return event.startsWith("cloudtrail/") || event.startsWith("guard/")
                ? tree.path("detail").path("eventID").asText() : tree.path("id").asText();
    }
}
