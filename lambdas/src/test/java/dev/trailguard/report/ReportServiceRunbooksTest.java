package dev.trailguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailSettings;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/** ReportService on the results of TrailGuard's own runbooks: RestoreTrail, RecreateTrail and EnableRule. */
@ExtendWith(MockitoExtension.class)
class ReportServiceRunbooksTest {

    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-Automation";
    static final String FUNCTION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole";
    static final String FUNCTION_SESSION =
            "arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/TrailGuard-TamperResponder";
    static final TrailSettings SETTINGS = new TrailSettings("org-audit-logs", null, true, true, true,
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", null, null, null, false);
    static final Baseline DECLARED = new Baseline(Optional.of(SETTINGS),
            "declared baseline /trailguard/baseline/management-events", Optional.empty(), Optional.empty(),
            Optional.of(Set.of("ApiCallRateInsight")), "declared baseline /trailguard/baseline/management-events");
    static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    static final Trail TRAIL = new Trail(TRAIL_ARN, "management-events", "us-east-1", true, false);
    static final String RESTORE_OK = "9b6c7d8e-0f1a-4b2c-8d3e-4f5a6b7c8d9e";
    static final String RESTORE_FAILED = "a0c7d8e9-1f2a-4c3d-9e4f-5a6b7c8d9e0f";
    static final String RECREATE_OK = "b1d8e9f0-2a3b-4d4e-8f5a-6b7c8d9e0f1a";
    static final String ENABLE_OK = "c2e9f0a1-3b4c-4e5f-9a6b-7c8d9e0f1a2b";
    static final String RULE = "TrailGuard-CloudTrailTamperRule";
    static final Instant RUN_START = Instant.parse("2026-11-20T14:03:13Z");
    static final Instant RUN_END = Instant.parse("2026-11-20T14:03:19Z");
    static final Instant STOP = Instant.parse("2026-11-20T14:02:30Z");
    static final Instant RESTART = Instant.parse("2026-11-20T14:03:18Z");

    @Mock
    AutomationExecutions executions;
    @Mock
    TrailLocator locator;
    @Mock
    Notifier notifier;
    @Mock
    BaselineSource baselines;
    @Mock
    TrailConfigurations configurations;

    ReportService service;

    @BeforeEach
    void setUp() {
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard", ROLE,
                Set.of(), List.of(), Set.of(), Set.of(FUNCTION_ROLE));
        service = new ReportService(new EventReader(), executions, locator, notifier, config,
                ResponseConfig.defaults(), baselines, configurations);
    }

    static AutomationExecution execution(String id, Runbook runbook, String status, String role, String target,
                                         String failure, String failedStep) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("AutomationAssumeRole", List.of(role));
        parameters.put(runbook.targetParameter(), List.of(target));
        if (runbook == Runbook.ENABLE_RULE) {
            parameters.put("EventBusName", List.of("default"));
        }
        return new AutomationExecution(id, runbook.document(), status, parameters, failure, Optional.of(RUN_START),
                Optional.of(RUN_END), failedStep, FUNCTION_SESSION);
    }

    /** The trail now as its declared baseline says (the restore put it back). */
    void trailMatchesBaseline() {
        when(baselines.baselineBefore(any(), any())).thenReturn(DECLARED);
        when(configurations.current(new TrailId(TRAIL_ARN, "management-events", "us-east-1"), true, false, true))
                .thenReturn(new Baseline(Optional.of(SETTINGS), "now", Optional.empty(), Optional.empty(),
                        Optional.of(Set.of("ApiCallRateInsight")), "now"));
    }

    static TrailState logging(Instant startLogging, Instant stopLogging) {
        return new TrailState(TRAIL, new TrailStatus(true, Optional.of(startLogging), Optional.ofNullable(stopLogging),
                Optional.empty()));
    }

    static TrailState notLogging() {
        return new TrailState(TRAIL, new TrailStatus(false, Optional.of(Instant.parse("2026-11-01T09:00:00Z")),
                Optional.of(Instant.parse("2026-11-20T14:03:19Z")), Optional.empty()));
    }

    /** A sample event with another definition or status. */
    static byte[] event(String file, String definition, String status) {
        String json = new String(Events.load(file), StandardCharsets.UTF_8);
        if (definition != null) {
            json = json.replaceAll("\"Definition\": \"[^\"]+\"", "\"Definition\": \"" + definition + "\"");
        }
        if (status != null) {
            json = json.replaceAll("\"Status\": \"[^\"]+\"", "\"Status\": \"" + status + "\"");
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    // ---- TrailGuard-RestoreTrail -----------------------------------------------------------------------------

    @Test
    void restoreSucceededAndTrailRestarted_shouldNotifyRestoredWithWindowEndingAtStartLoggingTime() {
        // given: the runbook's StartLogging restarted a stopped trail at 14:03:18
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, STOP)));
        trailMatchesBaseline();
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_RESTORED");
        assertThat(outcome.executionId()).isEqualTo(RESTORE_OK);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.LOW);
        assertThat(n.kind()).isEqualTo("TRAIL_RESTORED");
        assertThat(n.headline()).isEqualTo("management-events restored");
        assertThat(n.action().outcome()).isEqualTo("TRAIL_RESTORED");
        assertThat(n.action().description()).isEqualTo("Restored the baseline with TrailGuard-RestoreTrail.");
        assertThat(n.details().get("Unrecorded window")).isEqualTo("Trail weakened: recorded less than its baseline "
                + "from the tamper call (before the runbook started at 2026-11-20T14:03:13Z) to "
                + "2026-11-20T14:03:18Z (StartLoggingTime)");
        assertThat(n.details().get("CloudTrail Lake SQL"))
                .contains("WHERE eventTime >= '2026-11-20 13:03:13' AND eventTime <= '2026-11-20 14:03:18'")
                .endsWith("LIMIT 500");
        assertThat(n.details().get("Athena SQL")).contains("FROM cloudtrail_logs",
                "from_iso8601_timestamp('2026-11-20T13:03:13Z') AND from_iso8601_timestamp('2026-11-20T14:03:18Z')");
        assertThat(n.loggingGap().seconds()).isEqualTo(48);
    }

    @Test
    void restoreSucceededOnTrailThatKeptLogging_shouldEndWindowWhenTheRunbookEnded() {
        // given: StartLoggingTime predates the runbook: the trail never stopped, so it did not restart
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(
                logging(Instant.parse("2026-11-01T09:00:00Z"), null)));
        trailMatchesBaseline();
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        Notification n = published();
        assertThat(n.details().get("Unrecorded window")).endsWith("to 2026-11-20T14:03:19Z (the runbook ended)");
        assertThat(n.loggingGap()).isNull();
    }

    @Test
    void restoreSucceededButTrailNotLogging_shouldNotifyFailure() {
        // given
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(notLogging()));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_CONFIRMED");
        Notification n = published();
        assertThat(n.kind()).isEqualTo("REMEDIATION_FAILED");
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.headline()).isEqualTo("management-events still not logging after restore");
    }

    @Test
    void restoreSucceededButTrailGone_shouldNotifyTrailNotFound() {
        // given
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.empty());
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_NOT_FOUND");
        assertThat(published().headline()).isEqualTo("management-events missing after restore");
    }

    @Test
    void restoreWithMalformedTrailName_shouldNotifyNotVerifiedWithoutLookup() {
        // given
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, "trail/../../x", null, null)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_VERIFIED");
        assertThat(published().summary()).contains("TrailGuard-RestoreTrail", "TrailName parameter");
        verifyNoInteractions(locator);
    }

    @Test
    void restoreStartedWithAnotherRole_shouldIgnoreAsNotOurs() {
        // given
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(execution(RESTORE_OK, Runbook.RESTORE,
                "Success", "arn:aws:iam::111122223333:role/SomeoneElse", TRAIL_ARN, null, null)));

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED_NOT_OURS");
        verifyNoInteractions(locator, notifier);
    }

    @Test
    void restoreSucceededButTrailStillDiffersFromBaseline_shouldNotifyRestoreIncomplete() {
        // given: logging, but the bucket is not the baseline's and the Insights type is gone
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, STOP)));
        when(baselines.baselineBefore(new TrailId(TRAIL_ARN, "management-events", "us-east-1"), RUN_START))
                .thenReturn(DECLARED);
        when(configurations.current(any(), any(Boolean.class), any(Boolean.class), any(Boolean.class)))
                .thenReturn(new Baseline(Optional.of(new TrailSettings("mallory-bucket", null, true, true, true,
                        SETTINGS.kmsKeyId(), null, null, null, false)), "now", Optional.empty(), Optional.empty(),
                        Optional.of(Set.of()), "now"));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then: never "restored"
        assertThat(outcome.outcome()).isEqualTo("RESTORE_INCOMPLETE");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.kind()).isEqualTo("RESTORE_INCOMPLETE");
        assertThat(n.details()).containsEntry("Changed S3BucketName",
                "org-audit-logs -> mallory-bucket (changed, NOT reverted)");
        assertThat(n.details().values()).anyMatch(v -> v.startsWith("Insights ApiCallRateInsight"));
        assertThat(n.details()).containsEntry("Baseline settings from",
                "declared baseline /trailguard/baseline/management-events");
    }

    @Test
    void restoreSucceededWithoutAnyBaseline_shouldNotifyNotVerified() {
        // given
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, STOP)));
        when(baselines.baselineBefore(any(), any())).thenReturn(Baseline.none());
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_VERIFIED");
        assertThat(published().summary()).contains("no baseline to compare");
        verifyNoInteractions(configurations);
    }

    @Test
    void restoreSucceededButTrailUnreadable_shouldNotifyNotVerifiedNamingTheCall() {
        // given
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, STOP)));
        when(baselines.baselineBefore(any(), any())).thenReturn(DECLARED);
        when(configurations.current(any(), any(Boolean.class), any(Boolean.class), any(Boolean.class))).thenThrow(
                new AwsCallFailedException("cloudtrail:GetTrail", software.amazon.awssdk.awscore.exception
                        .AwsServiceException.builder().statusCode(400).awsErrorDetails(software.amazon.awssdk
                                .awscore.exception.AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                .errorMessage("no").build()).build()));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_VERIFIED");
        assertThat(published().details()).containsEntry("Failed call", "cloudtrail:GetTrail");
    }

    @Test
    void restoreStartedByAnotherPrincipal_shouldBeCriticalTamperingNeverRestored() {
        // given: TrailGuard's runbook with TrailGuard's role, but an administrator started it
        AutomationExecution forged = execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null);
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(new AutomationExecution(RESTORE_OK,
                forged.documentName(), "Success", forged.parameters(), null, forged.startTime(), forged.endTime(),
                null, "arn:aws:sts::111122223333:assumed-role/Admin/mallory")));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RUNBOOK_STARTED_BY_OTHER");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.kind()).isEqualTo("RUNBOOK_STARTED_BY_OTHER");
        assertThat(n.details()).containsEntry("Started by", "arn:aws:sts::111122223333:assumed-role/Admin/mallory")
                .containsEntry("TrailName", TRAIL_ARN);
        assertThat(n.headline()).doesNotContain("restored");
        verifyNoInteractions(locator, baselines, configurations);
    }

    @ParameterizedTest(name = "{0} {1} step {3}: {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        RESTORE  | Failed    | Step fails when it is Executing. Fail reason: User: arn:aws:sts::111122223333:assumed-role/TrailGuard-Automation/s is not authorized to perform: cloudtrail:UpdateTrail on resource: x (Service: AWSCloudTrail; Status Code: 400; Error Code: AccessDeniedException) | updateTrail | ACCESS_DENIED | Restore of management-events failed: access denied
        RESTORE  | Failed    | Step fails when it is Executing. Fail reason: Incorrect S3 bucket policy is detected for bucket: b (Error Code: InsufficientS3BucketPolicyException) | updateTrail | S3_BUCKET_POLICY | Restore of management-events failed: bucket policy refuses CloudTrail
        RESTORE  | Failed    | Step fails when it is Verifying. Actual value(s) of $.IsLogging [false] is not one of the desired values [True] | verifyLogging | NOT_LOGGING_AFTER_RESTORE | Restore of management-events failed: not logging after StartLogging
        RESTORE  | TimedOut  | -                                                                              | -           | TIMED_OUT     | Restore of management-events timed out
        RESTORE  | Cancelled | -                                                                              | -           | CANCELLED     | Restore of management-events was cancelled
        RECREATE | Failed    | Step fails when it is Executing. Fail reason: Trail management-events already exists for customer: 111122223333 (Error Code: TrailAlreadyExistsException) | createTrail | TRAIL_ALREADY_EXISTS | Recreation of management-events failed: trail already exists
        RECREATE | Failed    | The defined assume role is unable to be assumed.                               | -           | ASSUME_ROLE_FAILED | Recreation of management-events failed: role cannot be assumed
        """)
    void trailRunbookEndedBadly_shouldNotifyWithDiagnosis(Runbook runbook, String status, String failure,
                                                          String step, String code, String headline) {
        // given
        String target = runbook == Runbook.RECREATE ? "management-events" : TRAIL_ARN;
        when(executions.get(RESTORE_FAILED, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_FAILED, runbook, status, ROLE, target, failure, step)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(notLogging()));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(event("ssm/restore-trail-failed.json", runbook.document(), status));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_FAILED");
        assertThat(outcome.notes()).contains("diagnosis: " + code);
        Notification n = published();
        assertThat(n.kind()).isEqualTo("REMEDIATION_FAILED");
        assertThat(n.severity()).isEqualTo("Cancelled".equals(status) ? Severity.HIGH : Severity.CRITICAL);
        assertThat(n.headline()).isEqualTo(headline);
        assertThat(n.details()).containsEntry("Diagnosis", code).containsEntry("Logging now", "no");
        assertThat(n.details().get("Failed step")).isEqualTo(step);
        assertThat(n.action().description()).startsWith(runbook.document() + " ");
    }

    @Test
    void restoreFailedButTrailLogs_shouldStayHighAsTheTrailMayStillBeWeakened() {
        // given
        when(executions.get(RESTORE_FAILED, "us-east-1")).thenReturn(Optional.of(execution(RESTORE_FAILED,
                Runbook.RESTORE, "Failed", ROLE, TRAIL_ARN, "(InvalidEventSelectorsException) bad selector", null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, STOP)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        service.handle(Events.load("ssm/restore-trail-failed.json"));

        // then
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.summary()).contains("may still be weaker than its baseline");
        assertThat(n.details()).containsEntry("Diagnosis", "INVALID_EVENT_SELECTORS")
                .containsEntry("Logging now", "yes");
    }

    // ---- TrailGuard-RecreateTrail ----------------------------------------------------------------------------

    @Test
    void recreateSucceeded_shouldLookUpByArnInTheRunbooksRegionAndNotifyRecreated() {
        // given: the runbook got the bare name, as CreateTrail takes it
        when(executions.get(RECREATE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RECREATE_OK, Runbook.RECREATE, "Success", ROLE, "management-events", null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, null)));
        trailMatchesBaseline();
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/recreate-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_RECREATED");
        assertThat(outcome.trailArn()).isEqualTo(TRAIL_ARN);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.LOW);
        assertThat(n.kind()).isEqualTo("TRAIL_RECREATED");
        assertThat(n.headline()).isEqualTo("management-events recreated");
        assertThat(n.summary()).contains("tags were not restored");
        assertThat(n.details().get("Unrecorded window")).isEqualTo("Trail deleted: nothing recorded through it from "
                + "the tamper call (before the runbook started at 2026-11-20T14:03:13Z) to 2026-11-20T14:03:18Z "
                + "(StartLoggingTime)");
        assertThat(n.loggingGap()).isNull();
    }

    @Test
    void recreateSucceededWithoutExecutionTimes_shouldStillEndTheWindowAtStartLoggingTime() {
        // given: GetAutomationExecution gave no start or end time
        when(executions.get(RECREATE_OK, "us-east-1")).thenReturn(Optional.of(new AutomationExecution(RECREATE_OK,
                Runbook.RECREATE.document(), "Success", Map.of("AutomationAssumeRole", List.of(ROLE),
                "TrailName", List.of("management-events")), null, Optional.empty(), Optional.empty(), null,
                FUNCTION_SESSION)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, null)));
        trailMatchesBaseline();
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        service.handle(Events.load("ssm/recreate-trail-success.json"));

        // then: the queries reach back an hour from the end
        Notification n = published();
        assertThat(n.details().get("Unrecorded window")).isEqualTo("Trail deleted: nothing recorded through it from "
                + "the tamper call to 2026-11-20T14:03:18Z (StartLoggingTime)");
        assertThat(n.details().get("CloudTrail Lake SQL"))
                .contains("WHERE eventTime >= '2026-11-20 13:03:18' AND eventTime <= '2026-11-20 14:03:18'");
    }

    @Test
    void recreateFailedAndTrailMissing_shouldSayItIsNotLogging() {
        // given
        when(executions.get(RESTORE_FAILED, "us-east-1")).thenReturn(Optional.of(execution(RESTORE_FAILED,
                Runbook.RECREATE, "Failed", ROLE, "management-events",
                "An error occurred (AccessDeniedException) when calling the CreateTrail operation", "createTrail")));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.empty());
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        service.handle(event("ssm/restore-trail-failed.json", "TrailGuard-RecreateTrail", null));

        // then
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.summary()).startsWith("The automation role was not allowed to call cloudtrail:CreateTrail.")
                .contains("recreate the trail by hand");
        assertThat(n.details()).containsEntry("Logging now", "no (trail not found)");
    }

    // ---- TrailGuard-EnableRule -------------------------------------------------------------------------------

    @Test
    void enableRuleSucceeded_shouldNotifyRuleReenabledWithoutTrailCalls() {
        // given
        when(executions.get(ENABLE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(ENABLE_OK, Runbook.ENABLE_RULE, "Success", ROLE, RULE, null, null)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/enable-rule-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RULE_REENABLED");
        assertThat(outcome.notes()).contains("rule: " + RULE);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.LOW);
        assertThat(n.kind()).isEqualTo("RULE_REENABLED");
        assertThat(n.headline()).isEqualTo("Rule " + RULE + " re-enabled");
        assertThat(n.trail()).isNull();
        assertThat(n.details()).containsEntry("Rule", RULE).containsEntry("Event bus", "default");
        assertThat(n.details().get("Unmonitored window")).isEqualTo("TrailGuard did not receive the events this rule "
                + "routes from the tamper call (before the runbook started at 2026-11-20T14:03:13Z) to "
                + "2026-11-20T14:03:19Z (the runbook ended)");
        verifyNoInteractions(locator);
    }

    @Test
    void enableRuleWithMalformedRuleName_shouldNotifyNotVerified() {
        // given
        when(executions.get(ENABLE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(ENABLE_OK, Runbook.ENABLE_RULE, "Success", ROLE, "rule\nInjected: yes", null, null)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/enable-rule-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_VERIFIED");
        assertThat(published().headline()).isEqualTo("Runbook succeeded, rule unknown");
        verifyNoInteractions(locator);
    }

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        Failed    | An error occurred (AccessDeniedException) when calling the EnableRule operation: User: x is not authorized to perform: events:EnableRule on resource: y | enableRule | ACCESS_DENIED | CRITICAL | Re-enabling rule TrailGuard-CloudTrailTamperRule failed: access denied
        Failed    | Step fails when it is Verifying. Actual value(s) of $.State [DISABLED] is not one of the desired values [ENABLED] | verifyEnabled | RULE_NOT_ENABLED | CRITICAL | Re-enabling rule TrailGuard-CloudTrailTamperRule failed: rule still disabled
        Failed    | An error occurred (ResourceNotFoundException) when calling the EnableRule operation: Rule TrailGuard-CloudTrailTamperRule does not exist on EventBus default. | enableRule | RULE_NOT_FOUND | CRITICAL | Re-enabling rule TrailGuard-CloudTrailTamperRule failed: rule not found
        Cancelled | -                                                                              | -             | CANCELLED        | HIGH     | Re-enabling rule TrailGuard-CloudTrailTamperRule was cancelled
        """)
    void enableRuleEndedBadly_shouldNotifyWithDiagnosisAndNoTrailCalls(String status, String failure, String step,
                                                                       String code, Severity severity,
                                                                       String headline) {
        // given
        when(executions.get(ENABLE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(ENABLE_OK, Runbook.ENABLE_RULE, status, ROLE, RULE, failure, step)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(event("ssm/enable-rule-success.json", null, status));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_FAILED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(severity);
        assertThat(n.headline()).isEqualTo(headline);
        assertThat(n.summary()).contains("TrailGuard does not receive the events this rule routes");
        assertThat(n.details()).containsEntry("Diagnosis", code).containsEntry("Rule", RULE)
                .doesNotContainKey("Logging now");
        verifyNoInteractions(locator);
    }

    Notification published() {
        ArgumentCaptor<Notification> captor = ArgumentCaptor.forClass(Notification.class);
        verify(notifier).publish(captor.capture());
        return captor.getValue();
    }
}
