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

    @ParameterizedTest(name = "{0} {1} step {3}: {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        RESTORE     | Failed    | Step fails when it is Executing. Fail reason: The defined assume role is unable to be assumed. | updateTrail | ASSUME_ROLE_FAILED | Systems Manager could not assume
        RESTORE     | Failed    | Fail reason: User: arn:aws:sts::111122223333:assumed-role/a/s is not authorized to perform: cloudtrail:UpdateTrail on resource: t (Service: AWSCloudTrail; Status Code: 400; Error Code: AccessDeniedException) | updateTrail | ACCESS_DENIED | not allowed to call cloudtrail:UpdateTrail.
        RESTORE     | Failed    | An error occurred (AccessDeniedException) when calling the PutEventSelectors operation | putEventSelectors | ACCESS_DENIED | not allowed to call cloudtrail:PutEventSelectors.
        RESTORE     | Failed    | Step fails when it is Executing. Fail reason: AccessDenied                   | -                 | ACCESS_DENIED | not allowed to call cloudtrail:UpdateTrail, PutEventSelectors, PutInsightSelectors or StartLogging.
        RESTORE     | Failed    | User: x is not authorized to perform: cloudtrail:UpdateTrail with an explicit deny in a service control policy | updateTrail | ACCESS_DENIED_SCP | service control policy denied cloudtrail:UpdateTrail
        RECREATE    | Failed    | An error occurred (AccessDeniedException) when calling the CreateTrail operation: denied | createTrail | ACCESS_DENIED | not allowed to call cloudtrail:CreateTrail.
        RECREATE    | Failed    | User: x is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/CloudTrailToLogs | updateTrail | ACCESS_DENIED | not allowed to call iam:PassRole.
        ENABLE_RULE | Failed    | An error occurred (AccessDeniedException) when calling the EnableRule operation: denied | enableRule | ACCESS_DENIED | not allowed to call events:EnableRule.
        RESTORE     | Failed    | Incorrect S3 bucket policy is detected for bucket: b (Service: AWSCloudTrail; Status Code: 400; Error Code: InsufficientS3BucketPolicyException) | updateTrail | S3_BUCKET_POLICY | InsufficientS3BucketPolicyException
        RECREATE    | Failed    | Insufficient permissions to access S3 bucket b or KMS key k. (Error Code: InsufficientEncryptionPolicyException) | createTrail | KMS_KEY_POLICY | InsufficientEncryptionPolicyException
        RECREATE    | Failed    | Trail t already exists for customer: 111122223333 (Error Code: TrailAlreadyExistsException) | createTrail | TRAIL_ALREADY_EXISTS | TrailAlreadyExistsException
        RESTORE     | Failed    | An error occurred (InvalidEventSelectorsException) when calling the PutEventSelectors operation: bad | putAdvancedEventSelectors | INVALID_EVENT_SELECTORS | rejected the baseline's event selectors
        RESTORE     | Failed    | Step fails when it is Verifying. Actual value(s) of $.IsLogging [false] is not one of the desired values [True] | verifyLogging | NOT_LOGGING_AFTER_RESTORE | found the trail not logging
        RECREATE    | Failed    | -                                                                            | verifyLogging     | NOT_LOGGING_AFTER_RESTORE | found the trail not logging
        RESTORE     | Failed    | Step fails when it is Verifying.                                             | verifyBucket      | BUCKET_NOT_RESTORED | baseline's bucket
        ENABLE_RULE | Failed    | Step fails when it is Verifying. Actual value(s) of $.State [DISABLED] is not one of the desired values [ENABLED] | verifyEnabled | RULE_NOT_ENABLED | the rule is not ENABLED
        ENABLE_RULE | Failed    | Rule r does not exist on EventBus default. (Error Code: ResourceNotFoundException) | enableRule | RULE_NOT_FOUND | deleted, not disabled
        RESTORE     | TimedOut  | -                                                                            | -                 | TIMED_OUT     | did not finish in time
        ENABLE_RULE | Cancelled | -                                                                            | -                 | CANCELLED     | cancelled the runbook
        RECREATE    | Failed    | Something nobody has seen before                                             | createTrail       | UNKNOWN       | The runbook failed: "Something nobody has seen before"
        """)
    void runbookStatusMessageAndStep_shouldGiveDiagnosisNamingTheCall(Runbook runbook, String status, String message,
                                                                       String step, String code, String cause) {
        // when
        Diagnosis d = diagnoser.diagnose(runbook, status, message, step);

        // then
        assertThat(d.code()).isEqualTo(code);
        assertThat(d.cause()).contains(cause);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        RESTORE     | start logging by hand | restore the trail's baseline by hand
        RECREATE    | start logging by hand | recreate the trail by hand
        ENABLE_RULE | start logging by hand | enable the rule by hand
        """)
    void fallbackFix_shouldSayWhatToDoByHandForThatRunbook(Runbook runbook, String notThis, String this_) {
        // when
        Diagnosis d = diagnoser.diagnose(runbook, "TimedOut", null, null);

        // then
        assertThat(d.fix()).contains(this_).doesNotContain(notThis);
    }

    @Test
    void deniedEnableRule_shouldPointAtTheRulePermissions() {
        // when
        Diagnosis d = diagnoser.diagnose(Runbook.ENABLE_RULE, "Failed",
                "User: x is not authorized to perform: events:EnableRule on resource: y", "enableRule");

        // then
        assertThat(d.fix()).contains("events:EnableRule and events:DescribeRule on TrailGuard's rules");
    }

    @Test
    void deniedActionFromTheMessage_shouldBeBoundedToActionCharacters() {
        // when: a hostile message cannot smuggle text through the extracted action
        Diagnosis d = diagnoser.diagnose(Runbook.RESTORE, "Failed",
                "not authorized to perform: cloudtrail:UpdateTrail\nInjected: line", null);

        // then
        assertThat(d.cause()).isEqualTo("The automation role was not allowed to call cloudtrail:UpdateTrail.");
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
