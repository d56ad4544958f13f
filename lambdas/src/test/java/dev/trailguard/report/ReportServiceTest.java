package dev.trailguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;

@ExtendWith(MockitoExtension.class)
class ReportServiceTest {

    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-Automation";
    static final String FUNCTION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole";
    static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    static final Trail TRAIL = new Trail(TRAIL_ARN, "management-events", "us-east-1", true, false);
    static final String SUCCESS_ID = "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    static final String FAILED_ID = "5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
    static final Instant STOP = Instant.parse("2026-11-20T14:02:30Z");
    static final Instant START = Instant.parse("2026-11-20T14:03:18Z");

    @Mock
    AutomationExecutions executions;
    @Mock
    TrailLocator locator;
    @Mock
    Notifier notifier;

    ReportService service;

    @BeforeEach
    void setUp() {
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard", ROLE,
                Set.of(), List.of(), Set.of(), Set.of(FUNCTION_ROLE));
        service = new ReportService(new EventReader(), executions, locator, notifier, config);
    }

    static AutomationExecution execution(String id, String status, String role, String trailArn, String failure) {
        return new AutomationExecution(id, "AWS-ConfigureCloudTrailLogging", status,
                Map.of("AutomationAssumeRole", List.of(role), "CloudTrailArn", List.of(trailArn),
                        "StartLogging", List.of("True")), failure, Optional.empty(), Optional.empty(), null,
                "arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/TrailGuard-TamperResponder");
    }

    static TrailState state(boolean logging) {
        return new TrailState(TRAIL, new TrailStatus(logging, Optional.of(START), Optional.of(STOP),
                Optional.empty()));
    }

    @Test
    void otherRunbook_shouldIgnoreWithoutAnyCall() {
        // when
        Outcome outcome = service.handle(Events.load("ssm/other-runbook-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED_NOT_OURS");
        verifyNoInteractions(executions, locator, notifier);
    }

    @Test
    void loggingRunbookAsOurRoleStartedByAnotherPrincipal_shouldBeCriticalStartedByOther() {
        // given: another principal borrowed the automation role for AWS's logging runbook (StartLogging=False?)
        AutomationExecution ours = execution(SUCCESS_ID, "Success", ROLE, TRAIL_ARN, null);
        when(executions.get(SUCCESS_ID, "us-east-1")).thenReturn(Optional.of(new AutomationExecution(SUCCESS_ID,
                ours.documentName(), "Success", ours.parameters(), null, Optional.empty(), Optional.empty(), null,
                "arn:aws:iam::111122223333:user/mallory")));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RUNBOOK_STARTED_BY_OTHER");
        assertThat(outcome.severity()).isEqualTo("CRITICAL");
        verifyNoInteractions(locator);
    }

    @Test
    void executionStartedWithAnotherRole_shouldIgnoreAsNotOurs() {
        // given
        when(executions.get(SUCCESS_ID, "us-east-1")).thenReturn(Optional.of(execution(SUCCESS_ID, "Success",
                "arn:aws:iam::111122223333:role/ConfigRemediation", TRAIL_ARN, null)));

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED_NOT_OURS");
        verifyNoInteractions(locator, notifier);
    }

    @Test
    void successAndLogging_shouldNotifyRestoredWithTheGap() {
        // given
        when(executions.get(SUCCESS_ID, "us-east-1")).thenReturn(Optional.of(
                execution(SUCCESS_ID, "Success", ROLE, TRAIL_ARN, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(state(true)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("LOGGING_RESTORED");
        assertThat(outcome.executionId()).isEqualTo(SUCCESS_ID);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.LOW);
        assertThat(n.kind()).isEqualTo("LOGGING_RESTORED");
        assertThat(n.loggingGap().seconds()).isEqualTo(48);
        assertThat(n.summary()).contains("from 2026-11-20T14:02:30Z to 2026-11-20T14:03:18Z (48 s)");
        assertThat(n.action().executionId()).isEqualTo(SUCCESS_ID);
        assertThat(n.action().executionRegion()).isEqualTo("us-east-1");
    }

    @Test
    void successButNotLogging_shouldNotifyAsFailure() {
        // given
        when(executions.get(SUCCESS_ID, "us-east-1")).thenReturn(Optional.of(
                execution(SUCCESS_ID, "Success", ROLE, TRAIL_ARN, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(state(false)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_CONFIRMED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.kind()).isEqualTo("REMEDIATION_FAILED");
        assertThat(n.loggingGap()).isNull();
    }

    @Test
    void successButTrailGone_shouldNotifyTrailNotFound() {
        // given
        when(executions.get(SUCCESS_ID, "us-east-1")).thenReturn(Optional.of(
                execution(SUCCESS_ID, "Success", ROLE, TRAIL_ARN, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.empty());
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_NOT_FOUND");
        assertThat(published().severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void successWithMalformedTrailParameter_shouldNotifyNotVerified() {
        // given
        when(executions.get(SUCCESS_ID, "us-east-1")).thenReturn(Optional.of(
                execution(SUCCESS_ID, "Success", ROLE, "arn:aws:s3:::not-a-trail", null)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_VERIFIED");
        verifyNoInteractions(locator);
    }

    @Test
    void failedAssumeRole_shouldNotifyCriticalWithTrustPolicyHint() {
        // given
        when(executions.get(FAILED_ID, "us-east-1")).thenReturn(Optional.of(execution(FAILED_ID, "Failed", ROLE,
                TRAIL_ARN, "The defined assume role is unable to be assumed.")));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(state(false)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-failed.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_FAILED");
        assertThat(outcome.notes()).contains("diagnosis: ASSUME_ROLE_FAILED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.headline()).isEqualTo("Restart of management-events failed: role cannot be assumed");
        assertThat(n.details()).containsEntry("Diagnosis", "ASSUME_ROLE_FAILED")
                .containsEntry("Logging now", "no")
                .containsEntry("Failure message", "The defined assume role is unable to be assumed.");
        assertThat(n.details().get("Fix")).contains("ssm.amazonaws.com");
    }

    @Test
    void failedButLoggingAnyway_shouldLowerSeverity() {
        // given
        when(executions.get(FAILED_ID, "us-east-1")).thenReturn(Optional.of(execution(FAILED_ID, "Failed", ROLE,
                TRAIL_ARN, "An error occurred (AccessDeniedException) when calling the StartLogging operation")));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(state(true)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        service.handle(Events.load("ssm/automation-failed.json"));

        // then
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(n.details()).containsEntry("Diagnosis", "ACCESS_DENIED").containsEntry("Logging now", "yes");
    }

    @Test
    void failedAndStatusLookupFails_shouldStillNotify() {
        // given
        when(executions.get(FAILED_ID, "us-east-1")).thenReturn(Optional.of(execution(FAILED_ID, "Failed", ROLE,
                TRAIL_ARN, "An error occurred (TrailNotFoundException) when calling the StartLogging operation")));
        when(locator.locate(any())).thenThrow(new AwsCallFailedException("cloudtrail:DescribeTrails",
                CloudTrailException.builder().message("throttled").build()));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-failed.json"));

        // then
        assertThat(outcome.notes()).anyMatch(n -> n.startsWith("trail status not checked"));
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.details()).containsEntry("Diagnosis", "TRAIL_NOT_FOUND").containsEntry("Logging now", "unknown");
    }

    @Test
    void timedOut_shouldNotifyCritical() {
        // given
        String id = "6e3f4a5b-7c8d-4e9f-0a1b-2c3d4e5f6a7b";
        when(executions.get(id, "us-east-1")).thenReturn(Optional.of(execution(id, "TimedOut", ROLE, TRAIL_ARN,
                null)));
        when(locator.locate(any())).thenReturn(Optional.of(state(false)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        service.handle(Events.load("ssm/automation-timed-out.json"));

        // then
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.headline()).isEqualTo("Restart of management-events timed out");
    }

    @Test
    void cancelled_shouldNotifyHigh() {
        // given
        String id = "8a5b6c7d-9e0f-4a1b-2c3d-4e5f6a7b8c9d";
        when(executions.get(id, "us-east-1")).thenReturn(Optional.of(execution(id, "Cancelled", ROLE, TRAIL_ARN,
                null)));
        when(locator.locate(any())).thenReturn(Optional.of(state(false)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-cancelled.json"));

        // then
        assertThat(outcome.notes()).contains("diagnosis: CANCELLED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.headline()).isEqualTo("Restart of management-events was cancelled");
    }

    @Test
    void executionUnknownToSsm_shouldNotifyNotFound() {
        // given
        when(executions.get(SUCCESS_ID, "us-east-1")).thenReturn(Optional.empty());
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("ssm/automation-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("EXECUTION_NOT_FOUND");
        assertThat(published().severity()).isEqualTo(Severity.MEDIUM);
    }

    /** Every status the stack forwards (the contract's one list) ends in a notification; none is ignored. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(dev.trailguard.contract.AutomationStatus.class)
    void everyForwardedStatus_shouldEndInANotification(dev.trailguard.contract.AutomationStatus status) {
        // given
        byte[] event = new String(Events.load("ssm/automation-failed.json"))
                .replace("\"Status\": \"Failed\"", "\"Status\": \"" + status.wireName() + "\"").getBytes();
        when(executions.get(FAILED_ID, "us-east-1")).thenReturn(Optional.of(
                execution(FAILED_ID, status.wireName(), ROLE, TRAIL_ARN, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(state(status.succeeded())));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(event);

        // then
        assertThat(outcome.outcome()).isEqualTo(status.succeeded() ? "LOGGING_RESTORED" : "REMEDIATION_FAILED");
        Notification n = published();
        assertThat(n.summary()).isNotBlank();
        if (!status.succeeded()) {
            assertThat(n.headline()).startsWith("Restart of management-events ").doesNotContain("restored");
            assertThat(n.severity()).isIn(Severity.HIGH, Severity.CRITICAL);
        }
    }

    @Test
    void nonFinalStatus_shouldIgnoreWithoutLookup() {
        // given
        byte[] event = new String(Events.load("ssm/automation-success.json"))
                .replace("\"Status\": \"Success\"", "\"Status\": \"InProgress\"").getBytes();

        // when
        Outcome outcome = service.handle(event);

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED");
        verifyNoInteractions(executions, notifier);
    }

    @Test
    void malformedExecutionId_shouldNotifyUnreadable() {
        // given
        byte[] event = new String(Events.load("ssm/automation-success.json"))
                .replace("\"ExecutionId\": \"" + SUCCESS_ID + "\"", "\"ExecutionId\": \"../../x\"").getBytes();
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(event);

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        verifyNoInteractions(executions);
    }

    Notification published() {
        ArgumentCaptor<Notification> captor = ArgumentCaptor.forClass(Notification.class);
        verify(notifier).publish(captor.capture());
        return captor.getValue();
    }
}
