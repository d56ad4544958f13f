package dev.trailguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureDiagnoserTest {

    private final FailureDiagnoser diagnoser = new FailureDiagnoser();

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        Failed    | The defined assume role is unable to be assumed.                                          | ASSUME_ROLE_FAILED
        Failed    | InvalidAutomationExecutionParametersException: The defined assume role is unable to be assumed | ASSUME_ROLE_FAILED
        Failed    | The provided role: arn:aws:iam::111122223333:role/x can't be assumed. (Service: null)        | ASSUME_ROLE_FAILED
        Failed    | An error occurred (AccessDeniedException) when calling the StartLogging operation: User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: cloudtrail:StartLogging with an explicit deny in a service control policy | ACCESS_DENIED_SCP
        Failed    | An error occurred (AccessDeniedException) when calling the StartLogging operation: User: x is not authorized to perform: cloudtrail:StartLogging on resource: y | ACCESS_DENIED
        Failed    | Step fails when it is Executing. Fail reason: AccessDenied                                  | ACCESS_DENIED
        Failed    | An error occurred (TrailNotFoundException) when calling the StartLogging operation: Unknown trail: t for the user: 111122223333 | TRAIL_NOT_FOUND
        Failed    | An error occurred (InvalidHomeRegionException) when calling the StartLogging operation: x   | WRONG_HOME_REGION
        TimedOut  |                                                                                             | TIMED_OUT
        Cancelled |                                                                                             | CANCELLED
        Failed    |                                                                                             | UNKNOWN
        Failed    | Something nobody has seen before                                                            | UNKNOWN
        """)
    void statusAndFailureMessage_shouldGiveDiagnosis(String status, String message, String code) {
        assertThat(diagnoser.diagnose(status, message).code()).isEqualTo(code);
    }

    @Test
    void assumeRoleFailure_shouldNameTheRightServicePrincipal() {
        // when
        Diagnosis d = diagnoser.diagnose("Failed", "The defined assume role is unable to be assumed.");

        // then
        assertThat(d.fix()).contains("ssm.amazonaws.com", "not config.amazonaws.com");
    }

    @Test
    void unknownFailure_shouldQuoteTheMessageSanitisedAndBounded() {
        // given
        String message = "boom\nInjected: line\u202e" + "x".repeat(1000);

        // when
        Diagnosis d = diagnoser.diagnose("Failed", message);

        // then
        assertThat(d.cause()).startsWith("The runbook failed: \"boom Injected: line")
                .doesNotContain("\n").doesNotContain("\u202e");
        assertThat(d.cause().length()).isLessThan(FailureDiagnoser.MAX_QUOTE + 40);
    }
}
