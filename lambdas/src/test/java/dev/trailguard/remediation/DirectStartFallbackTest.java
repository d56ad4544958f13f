package dev.trailguard.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.trail.Trail;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DirectStartFallbackTest {

    static final Trail TRAIL = new Trail("arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events",
            "management-events", "eu-west-1", true, false);

    final List<String> directCalls = new ArrayList<>();
    final DirectLogging direct = (arn, region) -> {
        directCalls.add(arn + "@" + region);
        return true;
    };

    static CallFailedException refusal(String code, boolean capacity) {
        return new CallFailedException("ssm:StartAutomationExecution", code, "ssm:StartAutomationExecution failed: "
                + code, null, capacity) { };
    }

    @Test
    void capacityRefusal_shouldStartDirectlyWithTheRunbooksToken() {
        // given
        Remediator ssm = request -> {
            throw refusal("AutomationExecutionLimitExceededException", true);
        };
        RemediationRequest request = new RemediationRequest(TRAIL, "event-1", "StopLogging");

        // when
        RemediationStart start = new DirectStartFallback(ssm, direct).startLogging(request);

        // then
        assertThat(directCalls).containsExactly(TRAIL.arn() + "@eu-west-1");
        assertThat(start.outcome()).isEqualTo(RemediationStart.STARTED_DIRECTLY);
        assertThat(start.executionId()).isEmpty();
        assertThat(start.region()).isEqualTo("eu-west-1");
        assertThat(start.clientToken()).isEqualTo(ClientTokens.of("event-1", TRAIL.arn()));
        assertThat(start.direct()).get().extracting(DirectStart::overdue, DirectStart::loggingConfirmed)
                .containsExactly(false, true);
    }

    @Test
    void otherRefusal_shouldPassOnUnchangedWithoutDirectCall() {
        // given
        CallFailedException denied = refusal("AccessDeniedException", false);
        Remediator ssm = request -> {
            throw denied;
        };

        // when / then
        assertThatThrownBy(() -> new DirectStartFallback(ssm, direct)
                .startLogging(new RemediationRequest(TRAIL, "event-1", "StopLogging"))).isSameAs(denied);
        assertThat(directCalls).isEmpty();
    }

    @Test
    void overdue_shouldStartDirectlyWithoutAskingSsmAgain() {
        // given
        List<RemediationRequest> asked = new ArrayList<>();
        Remediator ssm = request -> {
            asked.add(request);
            return new RemediationStart(Optional.empty(), "eu-west-1", "t", true, false);
        };
        DirectStartFallback fallback = new DirectStartFallback(ssm, direct);

        // when
        RemediationStart duplicate = fallback.startLogging(new RemediationRequest(TRAIL, "k", "Sweep", null, false));
        RemediationStart overdue = fallback.startLogging(new RemediationRequest(TRAIL, "k", "Sweep", null, true));

        // then
        assertThat(duplicate.outcome()).isEqualTo("REMEDIATION_ALREADY_STARTED");
        assertThat(overdue.outcome()).isEqualTo(RemediationStart.STARTED_DIRECTLY);
        assertThat(overdue.direct()).get().extracting(DirectStart::overdue).isEqualTo(true);
        assertThat(asked).hasSize(1);
        assertThat(directCalls).hasSize(1);
    }

    @Test
    void directCallFailing_shouldNameBothFailures() {
        // given
        Remediator ssm = request -> {
            throw refusal("ThrottlingException", true);
        };
        DirectLogging failing = (arn, region) -> {
            throw new CallFailedException("cloudtrail:StartLogging", "AccessDeniedException",
                    "cloudtrail:StartLogging failed: AccessDeniedException", null, false) { };
        };

        // when / then
        assertThatThrownBy(() -> new DirectStartFallback(ssm, failing)
                .startLogging(new RemediationRequest(TRAIL, "event-1", "StopLogging")))
                .isInstanceOf(DirectStartFallback.FallbackFailedException.class)
                .hasMessage("ssm:StartAutomationExecution failed: ThrottlingException; the direct fallback failed "
                        + "too: cloudtrail:StartLogging failed: AccessDeniedException");
    }
}
