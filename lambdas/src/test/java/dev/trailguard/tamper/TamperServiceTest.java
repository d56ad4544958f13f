package dev.trailguard.tamper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
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
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.RestoreService;
import dev.trailguard.restore.TrailRestorer;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Captor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

@ExtendWith(MockitoExtension.class)
class TamperServiceTest {

    static final String ACCOUNT = "111122223333";
    static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    static final Trail TRAIL = new Trail(TRAIL_ARN, "management-events", "us-east-1", true, false);
    static final TrailStatus STOPPED = new TrailStatus(false, Optional.of(Instant.parse("2026-11-20T09:00:00Z")),
            Optional.of(Instant.parse("2026-11-20T14:03:11Z")), Optional.empty());
    static final String AUTOMATION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final String FUNCTION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole";
    /** The session name of the automation role in update-trail-by-trailguard.json: the execution id. */
    static final String OWN_EXECUTION = "3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b";

    @Mock
    TrailLocator locator;
    @Mock
    Remediator remediator;
    @Mock
    Notifier notifier;
    @Mock
    AutomationExecutions executions;
    @Mock
    TrailRestorer restorer;
    @Captor
    ArgumentCaptor<Notification> notification;
    @Captor
    ArgumentCaptor<RemediationRequest> request;

    TamperService service;

    @BeforeEach
    void setUp() {
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard",
                AUTOMATION_ROLE, Set.of(AUTOMATION_ROLE, FUNCTION_ROLE), List.of(), Set.of(), Set.of(FUNCTION_ROLE));
        // No baseline: the restore branches report, as before; RestoreServiceTest covers restores.
        service = new TamperService(new EventReader(), locator, remediator, notifier, executions, config,
                new RestoreService(BaselineSource.none(), restorer, notifier, config, ResponseConfig.defaults()));
    }

    @Test
    void stopLogging_shouldStartRunbookInHomeRegionAndNotifyHigh() {
        // given
        when(locator.locate(TrailRef.parse("management-events"))).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenReturn(new RemediationStart(Optional.of("exec-1"), "us-east-1",
                "token-1", false, false));
        when(notifier.publish(any())).thenReturn("msg-1");

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        assertThat(outcome.executionId()).isEqualTo("exec-1");
        assertThat(outcome.trailArn()).isEqualTo(TRAIL_ARN);
        assertThat(outcome.messageId()).isEqualTo("msg-1");
        verify(remediator).startLogging(request.capture());
        assertThat(request.getValue().trail()).isEqualTo(TRAIL);
        assertThat(request.getValue().incidentKey()).isEqualTo("7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
        verify(notifier).publish(notification.capture());
        Notification n = notification.getValue();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.kind()).isEqualTo("LOGGING_STOPPED");
        assertThat(n.actor().principalArn()).isEqualTo("arn:aws:iam::111122223333:user/mallory");
        assertThat(n.actor().type()).isEqualTo("IAMUser");
        assertThat(n.actor().sourceIp()).isEqualTo("203.0.113.45");
        assertThat(n.actor().userAgent()).startsWith("aws-cli/2.17.20");
        assertThat(n.eventTime()).isEqualTo("2026-11-20T14:03:11Z");
        assertThat(n.trail().arn()).isEqualTo(TRAIL_ARN);
        assertThat(n.action().executionId()).isEqualTo("exec-1");
        assertThat(n.action().executionRegion()).isEqualTo("us-east-1");
        assertThat(n.details().get("Unrecorded window")).isEqualTo("Logging stopped: nothing recorded through the "
                + "trail from 2026-11-20T14:03:11Z until the restore completes (the follow-up notification gives "
                + "the time)");
        assertThat(n.details().get("CloudTrail Lake SQL")).contains("userIdentity.arn = "
                + "'arn:aws:iam::111122223333:user/mallory'", "eventTime >= '2026-11-20 13:03:11'");
    }

    @Test
    void stopLoggingByAssumedRoleWithArn_shouldReportSessionIssuer() {
        // given
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenReturn(new RemediationStart(Optional.of("exec-2"), "us-east-1",
                "token-2", false, false));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging-assumed-role-arn.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().actor().sessionIssuerArn())
                .isEqualTo("arn:aws:iam::111122223333:role/DevOpsAdmin");
        assertThat(notification.getValue().summary()).startsWith("alice (role DevOpsAdmin) stopped logging");
    }

    @Test
    void duplicateDelivery_shouldReportAlreadyStarted() {
        // given
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenReturn(new RemediationStart(Optional.empty(), "us-east-1",
                "token-1", true, false));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_ALREADY_STARTED");
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().action().description()).contains("duplicate delivery");
    }

    @Test
    void failedStopLogging_shouldNotifyBlockedAndStartNothing() {
        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging-access-denied.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("ATTEMPT_BLOCKED");
        verifyNoInteractions(locator, remediator);
        verify(notifier).publish(notification.capture());
        Notification n = notification.getValue();
        assertThat(n.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(n.headline()).contains("attempted, blocked");
        assertThat(n.details()).containsEntry("Error code", "AccessDenied");
        assertThat(n.details().get("Error message")).contains("service control policy");
    }

    @Test
    void callInsideOwnExecution_shouldBeIgnoredAfterOneLookup() {
        // given: the session name is an execution of TrailGuard's runbook, started by a TrailGuard function
        when(executions.get(OWN_EXECUTION, "us-east-1")).thenReturn(Optional.of(execution(
                "TrailGuard-RestoreTrail", "arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/"
                        + "TrailGuard-TamperResponder")));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/update-trail-by-trailguard.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED_OWN_ACTION");
        verifyNoInteractions(locator, remediator, notifier);
    }

    @Test
    void automationRoleExecutionStartedByAnotherPrincipal_shouldBeCriticalBorrowedRoleAndStillAnswered() {
        // given: TrailGuard's own runbook, but an administrator started it with the automation role
        when(executions.get("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "us-east-1")).thenReturn(Optional.of(execution(
                "TrailGuard-RestoreTrail", "arn:aws:sts::111122223333:assumed-role/Admin/mallory")));
        when(notifier.publish(any())).thenReturn("msg-1");

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/update-trail-by-borrowed-automation-role.json"));

        // then: answered as any UpdateTrail (no baseline here: reported), escalated
        assertThat(outcome.outcome()).isEqualTo("CHANGE_REPORTED");
        assertThat(outcome.severity()).isEqualTo("CRITICAL");
        assertThat(outcome.notes()).anyMatch(n -> n.startsWith("automation role borrowed: "));
        verify(notifier).publish(notification.capture());
        Notification n = notification.getValue();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.kind()).isEqualTo("AUTOMATION_ROLE_BORROWED");
        assertThat(n.headline()).startsWith("Automation role borrowed: ");
        assertThat(n.details()).containsEntry("Automation execution", "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a")
                .containsEntry("Runbook", "TrailGuard-RestoreTrail")
                .containsEntry("Started by", "arn:aws:sts::111122223333:assumed-role/Admin/mallory")
                .containsKey("Set isMultiRegionTrail");
        assertThat(n.details().get("Loop guard")).contains("not one of TrailGuard's functions");
    }

    @Test
    void automationRoleRunningAnotherDocument_shouldBeBorrowed() {
        // given: started by a TrailGuard function role, but not one of TrailGuard's runbooks
        when(executions.get("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "us-east-1")).thenReturn(Optional.of(execution(
                "Mallory-WeakenTrail", "arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/x")));
        when(notifier.publish(any())).thenReturn("msg-1");

        // when
        service.handle(Events.load("cloudtrail/update-trail-by-borrowed-automation-role.json"));

        // then
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().kind()).isEqualTo("AUTOMATION_ROLE_BORROWED");
        assertThat(notification.getValue().details().get("Loop guard")).contains("not TrailGuard's");
    }

    @Test
    void automationRoleExecutionLookupFailing_shouldBeCriticalUnverified() {
        // given
        when(executions.get("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "us-east-1")).thenThrow(
                new AwsCallFailedException("ssm:GetAutomationExecution", AwsServiceException.builder()
                        .statusCode(400).awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                .errorMessage("not authorized").build()).build()));
        when(notifier.publish(any())).thenReturn("msg-1");

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/update-trail-by-borrowed-automation-role.json"));

        // then
        assertThat(outcome.severity()).isEqualTo("CRITICAL");
        verify(notifier).publish(notification.capture());
        Notification n = notification.getValue();
        assertThat(n.kind()).isEqualTo("AUTOMATION_ROLE_UNVERIFIED");
        assertThat(n.details()).containsEntry("Failed call", "ssm:GetAutomationExecution")
                .containsEntry("Error", "AccessDeniedException");
    }

    @Test
    void automationRoleStoppingLoggingOutsideAnyExecution_shouldBeBorrowedAndRestarted() throws Exception {
        // given: a StopLogging with the automation role whose session name is not an execution id
        String event = new String(Events.load("cloudtrail/stop-logging-assumed-role-arn.json"),
                StandardCharsets.UTF_8);
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(event);
        com.fasterxml.jackson.databind.node.ObjectNode who = (com.fasterxml.jackson.databind.node.ObjectNode)
                tree.path("detail").path("userIdentity");
        who.put("type", "AssumedRole");
        who.put("arn", "arn:aws:sts::111122223333:assumed-role/TrailGuard-AutomationRole/mallory");
        who.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("arn", AUTOMATION_ROLE);
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenReturn(new RemediationStart(Optional.of("exec-1"), "us-east-1",
                "token-1", false, false));
        when(notifier.publish(any())).thenReturn("msg-1");

        // when
        Outcome outcome = service.handle(tree.toString().getBytes(StandardCharsets.UTF_8));

        // then: no lookup (nothing to look up), restarted like any stop, reported as a borrowed role
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        verify(executions, never()).get(any(), any());
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().kind()).isEqualTo("AUTOMATION_ROLE_BORROWED");
        assertThat(notification.getValue().details()).containsEntry("Role session", "mallory");
    }

    static dev.trailguard.remediation.AutomationExecution execution(String document, String executedBy) {
        return new dev.trailguard.remediation.AutomationExecution("id", document, "InProgress", java.util.Map.of(),
                null, Optional.empty(), Optional.empty(), null, executedBy);
    }

    @Test
    void callByOwnPrincipalArn_shouldBeIgnored() {
        // given: the loop guard also matches on the principal ARN itself
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard",
                AUTOMATION_ROLE, Set.of("arn:aws:iam::111122223333:user/mallory"), List.of(), Set.of());
        // No baseline: the restore branches report, as before; RestoreServiceTest covers restores.
        service = new TamperService(new EventReader(), locator, remediator, notifier, executions, config,
                new RestoreService(BaselineSource.none(), restorer, notifier, config, ResponseConfig.defaults()));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED_OWN_ACTION");
        verifyNoInteractions(locator, remediator, notifier);
    }

    @Test
    void trailNotFound_shouldNotifyCriticalAndStartNothing() {
        // given
        when(locator.locate(any())).thenReturn(Optional.empty());

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_NOT_FOUND");
        verify(remediator, never()).startLogging(any());
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void organizationTrailOfAnotherAccount_shouldExplainAndStartNothing() {
        // given
        Trail org = new Trail("arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail", "org-trail",
                "us-east-1", true, true);
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(org, STOPPED)));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging-organization-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("NOT_STARTABLE_HERE");
        verify(remediator, never()).startLogging(any());
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().summary()).contains("management account (999988887777)");
    }

    @Test
    void trailAlreadyLoggingAgain_shouldNotStartRunbook() {
        // given
        TrailStatus logging = new TrailStatus(true, Optional.of(Instant.parse("2026-11-20T14:03:30Z")),
                Optional.of(Instant.parse("2026-11-20T14:03:11Z")), Optional.empty());
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(TRAIL, logging)));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("ALREADY_LOGGING");
        verify(remediator, never()).startLogging(any());
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().details()).containsEntry("Logging restarted at", "2026-11-20T14:03:30Z");
    }

    @Test
    void updateTrailWithoutBaseline_shouldReportChangedParameters() {
        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("CHANGE_REPORTED");
        verifyNoInteractions(remediator, restorer);
        verify(notifier).publish(notification.capture());
        Notification n = notification.getValue();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.details()).containsEntry("Set s3BucketName", "exfil-bucket-4417")
                .containsEntry("Set isMultiRegionTrail", "false")
                .containsEntry("Set enableLogFileValidation", "false")
                .doesNotContainKey("Set name");
    }

    @Test
    void putEventSelectorsWithoutBaseline_shouldReadTrailNameAndReportSelectors() {
        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/put-event-selectors.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("CHANGE_REPORTED");
        assertThat(outcome.trailArn()).isEqualTo(TRAIL_ARN);
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().details())
                .containsEntry("Set eventSelectors[0].includeManagementEvents", "false")
                .containsEntry("Set eventSelectors[0].readWriteType", "WriteOnly");
    }

    @Test
    void putInsightSelectorsWithArnWithoutBaseline_shouldReportEmptySelectors() {
        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/put-insight-selectors.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("CHANGE_REPORTED");
        assertThat(outcome.trailArn()).isEqualTo(TRAIL_ARN);
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().details()).containsEntry("Set insightSelectors", "[] (empty)");
    }

    @Test
    void deleteTrailWithoutBaseline_shouldNotifyCriticalWithGap() {
        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/delete-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_DELETED");
        verifyNoInteractions(remediator, restorer);
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(notification.getValue().headline()).isEqualTo("Trail management-events deleted");
        assertThat(notification.getValue().details()).containsKeys("Unrecorded window", "CloudTrail Lake SQL",
                "Athena SQL");
    }

    @Test
    void notJson_shouldNotifyUnreadable() {
        // when
        Outcome outcome = service.handle("{not json".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        assertThat(outcome.eventId()).isEqualTo("unknown");
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().kind()).isEqualTo("UNREADABLE_EVENT");
        verifyNoInteractions(locator, remediator);
    }

    @Test
    void eventFromAnotherSource_shouldNotifyUnreadableWithEnvelopeId() {
        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        assertThat(outcome.eventId()).isEqualTo("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e");
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().summary()).contains("unexpected event source 'aws.config'");
    }

    @Test
    void startLogging_shouldNotifyUnexpectedCall() {
        // given: a StartLogging by someone else slipped through a misconfigured rule
        String event = new String(Events.load("cloudtrail/stop-logging.json"), StandardCharsets.UTF_8)
                .replace("\"StopLogging\"", "\"StartLogging\"");

        // when
        Outcome outcome = service.handle(event.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        verifyNoInteractions(locator, remediator);
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().details().get("Reason")).contains("StartLogging");
    }

    @Test
    void invalidTrailName_shouldNotifyUnreadableAndLookNothingUp() {
        // given
        String event = new String(Events.load("cloudtrail/stop-logging.json"), StandardCharsets.UTF_8)
                .replace("\"name\": \"management-events\"", "\"name\": \"bad name\\n[CRITICAL] forged\"");

        // when
        Outcome outcome = service.handle(event.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        assertThat(outcome.eventId()).isEqualTo("7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
        verifyNoInteractions(locator, remediator);
    }

    @Test
    void missingEventId_shouldNotifyUnreadable() {
        // given
        String event = new String(Events.load("cloudtrail/stop-logging.json"), StandardCharsets.UTF_8)
                .replace("\"eventID\": \"7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b\",", "");

        // when
        Outcome outcome = service.handle(event.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        assertThat(outcome.notes()).anySatisfy(n -> assertThat(n).contains("eventID"));
        verifyNoInteractions(locator, remediator);
    }

    @Test
    void runbookStartFails_shouldNotifyCouldNotStartNamingTheCall() {
        // given
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenThrow(new AwsCallFailedException("ssm:StartAutomationExecution",
                AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException").errorMessage("not authorized").build()).build()));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_NOT_STARTED");
        verify(notifier).publish(notification.capture());
        Notification n = notification.getValue();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.action().description()).startsWith("Remediation could not start: ssm:StartAutomationExecution");
        assertThat(n.details()).containsEntry("Failed call", "ssm:StartAutomationExecution")
                .containsEntry("Error", "AccessDeniedException");
    }

    @Test
    void locateFails_shouldNotifyCouldNotStart() {
        // given
        when(locator.locate(any())).thenThrow(new AwsCallFailedException("cloudtrail:DescribeTrails",
                AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build()));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_NOT_STARTED");
        verifyNoInteractions(remediator);
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().details()).containsEntry("Failed call", "cloudtrail:DescribeTrails");
    }

    @Test
    void notificationFails_shouldThrowSoLambdaRetries() {
        // given
        when(notifier.publish(any())).thenThrow(new AwsCallFailedException("sns:Publish",
                AwsServiceException.builder().statusCode(500).message("boom").build()));

        // when / then
        assertThatThrownBy(() -> service.handle(Events.load("cloudtrail/delete-trail.json")))
                .isInstanceOf(AwsCallFailedException.class).hasMessageStartingWith("sns:Publish failed");
    }

    @Test
    void thirdStopByTheSameRoleWithin15Minutes_shouldEscalateToRepeatedTampering() {
        // given: alice's role has had three runbook executions (this one included) since 13:55:52
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenReturn(new RemediationStart(Optional.of("exec-3"), "us-east-1",
                "token-3", false, false));
        when(executions.countStartedFor("arn:aws:iam::111122223333:role/DevOpsAdmin",
                Instant.parse("2026-11-20T13:55:52Z"), "us-east-1", 100)).thenReturn(3);

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging-assumed-role-arn.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        verify(remediator).startLogging(request.capture());
        assertThat(request.getValue().actor()).isEqualTo("arn:aws:iam::111122223333:role/DevOpsAdmin");
        verify(notifier).publish(notification.capture());
        Notification n = notification.getValue();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.kind()).isEqualTo("REPEATED_TAMPERING");
        assertThat(n.headline()).isEqualTo("Repeated tampering by alice (role DevOpsAdmin): management-events "
                + "stopped 3 times in 15 min");
        assertThat(n.summary()).contains("the 3rd time in 15 minutes");
        assertThat(n.details()).containsEntry("Stops by this actor in 15 min", "3");
    }

    @Test
    void secondStop_shouldStayHighButSayItIsTheSecond() {
        // given
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenReturn(new RemediationStart(Optional.of("exec-2"), "us-east-1",
                "token-2", false, false));
        when(executions.countStartedFor(any(), any(), any(), org.mockito.ArgumentMatchers.anyInt())).thenReturn(2);

        // when
        service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then: an IAM user is counted by its own ARN
        verify(executions).countStartedFor(org.mockito.ArgumentMatchers.eq("arn:aws:iam::111122223333:user/mallory"),
                any(), any(), org.mockito.ArgumentMatchers.anyInt());
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().severity()).isEqualTo(Severity.HIGH);
        assertThat(notification.getValue().kind()).isEqualTo("LOGGING_STOPPED");
        assertThat(notification.getValue().details()).containsEntry("Stops by this actor in 15 min", "2");
    }

    @Test
    void repeatCountFails_shouldStillNotifyTheStop() {
        // given
        when(locator.locate(any())).thenReturn(Optional.of(new TrailState(TRAIL, STOPPED)));
        when(remediator.startLogging(any())).thenReturn(new RemediationStart(Optional.of("exec-1"), "us-east-1",
                "token-1", false, false));
        when(executions.countStartedFor(any(), any(), any(), org.mockito.ArgumentMatchers.anyInt()))
                .thenThrow(new AwsCallFailedException("ssm:DescribeAutomationExecutions",
                        AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("AccessDeniedException").build()).build()));

        // when
        Outcome outcome = service.handle(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        verify(notifier).publish(notification.capture());
        assertThat(notification.getValue().severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void clientToken_shouldBeStableForTheSameEventAndDifferForAnother() {
        // then
        assertThat(ClientTokens.of("event-1", TRAIL_ARN)).isEqualTo(ClientTokens.of("event-1", TRAIL_ARN))
                .isNotEqualTo(ClientTokens.of("event-2", TRAIL_ARN))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void clientToken_shouldMatchKnownGoodValuesAndDifferPerTrail() {
        // then: literal tokens (the README's first), so that a change of the derivation cannot pass by itself
        String event = "7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
        assertThat(ClientTokens.of(event, "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"))
                .isEqualTo("dcfcb593-a82e-3b71-9ce8-4395dc0eddbf");
        assertThat(ClientTokens.of(event, "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events"))
                .isEqualTo("3c09ec8d-41a9-3215-a725-4fc4056ce0e9");
    }
}
