package dev.trailguard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.StepExecution;

/** Which step a failed execution names: the first critical one that did not succeed. */
class SsmAutomationExecutionsTest {

    static StepExecution step(String name, String status, Boolean critical) {
        return StepExecution.builder().stepName(name).stepStatus(status).isCritical(critical).build();
    }

    @Test
    void recreateWhoseLookUpFailedOnPurpose_shouldNameTheStepThatFailedTheRun() {
        // given: TrailGuard-RecreateTrail's first GetTrail fails (the trail is gone: not critical), later the final
        // assertion fails
        List<StepExecution> steps = List.of(step("findTrail", "Failed", false), step("createTrail", "Success", false),
                step("updateTrail", "Success", null), step("verifyLogging", "Failed", true));

        // when / then
        assertThat(SsmAutomationExecutions.failedStep(steps)).isEqualTo("verifyLogging");
    }

    @Test
    void stepWithoutACriticalFlag_shouldCountAsCritical() {
        assertThat(SsmAutomationExecutions.failedStep(List.of(step("chooseSettings", "Success", null),
                step("updateTrail", "Failed", null)))).isEqualTo("updateTrail");
    }
}
