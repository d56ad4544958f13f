package dev.trailguard.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
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
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.tamper.TamperService;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.TrailLocator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

/** The restore branches end to end through TamperService, with TrailGuard's own ports mocked. */
@ExtendWith(MockitoExtension.class)
class RestoreServiceTest {

    static final String AUTOMATION_ROLE = RestoreFixtures.ROLE;
    static final String DEVOPS_ROLE = "arn:aws:iam::111122223333:role/DevOpsAdmin";
    static final RemediationStart STARTED =
            new RemediationStart(Optional.of("exec-7"), "us-east-1", "token-7", false, false);

    @Mock
    TrailLocator locator;
    @Mock
    Remediator remediator;
    @Mock
    Notifier notifier;
    @Mock
    BaselineSource baselines;
    @Mock
    TrailRestorer restorer;
    @Captor
    ArgumentCaptor<Notification> notification;
    @Captor
    ArgumentCaptor<RestoreRequest> request;

    TrailGuardConfig config = config(List.of());

    static TrailGuardConfig config(List<String> guarded) {
        return new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard", AUTOMATION_ROLE,
                Set.of(AUTOMATION_ROLE), guarded, Set.of());
    }

    TamperService service(TrailGuardConfig cfg, ResponseConfig response) {
        // Restores never count repeated stops: the executions port is not used on these paths.
        return new TamperService(new EventReader(), locator, remediator, notifier,
                org.mockito.Mockito.mock(dev.trailguard.remediation.AutomationExecutions.class), cfg,
                new RestoreService(baselines, restorer, notifier, cfg, response));
    }

    @BeforeEach
    void setUp() {
        when(notifier.publish(any())).thenReturn("msg-7");
    }

    Notification published() {
        verify(notifier).publish(notification.capture());
        return notification.getValue();
    }

    /** The full baseline's settings, as AWS Config recorded them (with their CloudWatch Logs role). */
    static Baseline recordedByConfig() {
        Baseline full = RestoreFixtures.fullBaseline();
        return new Baseline(full.settings(), Baseline.CONFIG_ITEM + "1795183200000",
                Optional.of(Instant.parse("2026-11-20T14:00:00Z")), Optional.empty(), Optional.empty(), null);
    }

    @Test
    void configBaselineWithUnpassableLogsRole_shouldNotStartRestoreAndNameTheRole() {
        // given: the automation role may pass no CloudWatch Logs role (TRAILGUARD_PASSABLE_LOGS_ROLE_ARNS empty)
        when(baselines.baselineBefore(any(), any())).thenReturn(recordedByConfig());

        // when
        Outcome outcome = service(config, ResponseConfig.defaults()).handle(Events.load("cloudtrail/update-trail.json"));

        // then: no restore that would fail with AccessDenied on iam:PassRole
        assertThat(outcome.outcome()).isEqualTo("LOGS_ROLE_NOT_PASSABLE");
        verifyNoInteractions(restorer);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.action().outcome()).isEqualTo("LOGS_ROLE_NOT_PASSABLE");
        assertThat(n.action().description()).contains("arn:aws:iam::111122223333:role/CloudTrail-CloudWatchLogs",
                "trailCloudWatchLogsRoleArns");
        assertThat(n.details()).containsEntry("CloudWatch Logs role",
                "arn:aws:iam::111122223333:role/CloudTrail-CloudWatchLogs")
                .containsEntry("Changed S3BucketName", "org-audit-logs -> exfil-bucket-4417 (changed, NOT reverted)");
    }

    @Test
    void configBaselineWithPassableLogsRole_shouldStartRestore() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(recordedByConfig());
        when(restorer.restore(any())).thenReturn(STARTED);
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.PASSABLE_LOGS_ROLE_ARNS,
                "arn:aws:iam::111122223333:role/Other, arn:aws:iam::111122223333:role/CloudTrail-CloudWatchLogs"));

        // when
        Outcome outcome = service(config, response).handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_STARTED");
    }

    @Test
    void weakeningUpdateTrail_shouldStartRestoreWithBaselineFromBeforeTheCallAndNotifyDiff() {
        // given
        when(baselines.baselineBefore(RestoreFixtures.TRAIL, Instant.parse("2026-11-20T14:33:47Z")))
                .thenReturn(RestoreFixtures.fullBaseline());
        when(restorer.restore(any())).thenReturn(STARTED);

        // when
        Outcome outcome = service(config, ResponseConfig.defaults()).handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_STARTED");
        assertThat(outcome.trailArn()).isEqualTo(RestoreFixtures.TRAIL_ARN);
        assertThat(outcome.executionId()).isEqualTo("exec-7");
        verify(restorer).restore(request.capture());
        assertThat(request.getValue().trail()).isEqualTo(RestoreFixtures.TRAIL);
        assertThat(request.getValue().recreate()).isFalse();
        assertThat(request.getValue().incidentKey()).isEqualTo("7a8b9c0d-1e2f-4a3b-4c5d-6e7f8a9b0c1d");
        assertThat(request.getValue().trigger()).isEqualTo("UpdateTrail");
        verifyNoInteractions(remediator, locator);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.kind()).isEqualTo("TRAIL_WEAKENED");
        assertThat(n.headline()).isEqualTo("UpdateTrail weakened management-events, restore started");
        assertThat(n.action().outcome()).isEqualTo("RESTORE_STARTED");
        assertThat(n.action().description()).contains("TrailGuard-RestoreTrail", "us-east-1");
        assertThat(n.details())
                .containsEntry("Changed S3BucketName", "org-audit-logs -> exfil-bucket-4417 (changed, reverted)")
                .containsEntry("Changed IsMultiRegionTrail", "true -> false (weakened, reverted)")
                .containsEntry("Changed EnableLogFileValidation", "true -> false (weakened, reverted)")
                .containsKey("Changed KmsKeyId")
                .containsEntry("Baseline settings from", "declared baseline /trailguard/baseline/management-events")
                .containsKeys("Unrecorded window", "CloudTrail Lake SQL", "Athena SQL");
        assertThat(n.details().get("Unrecorded window")).startsWith(
                "Trail weakened (see the changes above) from 2026-11-20T14:33:47Z until the restore completes");
        assertThat(n.details().get("CloudTrail Lake SQL"))
                .contains("userIdentity.sessionContext.sessionIssuer.arn = '" + DEVOPS_ROLE + "'");
    }

    @Test
    void droppingSelectors_shouldRestoreAndNameTheDataEventsNoLongerRecorded() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(RestoreFixtures.fullBaseline());
        when(restorer.restore(any())).thenReturn(STARTED);

        // when
        Outcome outcome = service(config, ResponseConfig.defaults())
                .handle(Events.load("cloudtrail/put-event-selectors.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_STARTED");
        Notification n = published();
        assertThat(n.details().values()).contains(
                "Data events AWS::S3::Object arn:aws:s3:::payroll-data/ (Read) (weakened, reverted)",
                "Data events AWS::Lambda::Function arn:aws:lambda (Write) (weakened, reverted)",
                "Management events (Read) (weakened, reverted)");
        assertThat(n.details()).doesNotContainKey("Management events (Write)");
    }

    @Test
    void selectorsThatOnlyAddCoverage_shouldBeKeptAndReportedAsInfo() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(RestoreFixtures.fullBaseline());

        // when
        Outcome outcome = service(config, ResponseConfig.defaults())
                .handle(Events.load("cloudtrail/put-event-selectors-add-data-events.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("COVERAGE_ADDED");
        verify(restorer, never()).restore(any());
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.INFO);
        assertThat(n.details().values())
                .contains("Data events AWS::S3::Object arn:aws:s3:::customer-exports/ (Read) (added coverage, kept)");
    }

    @Test
    void removingInsightsByArn_shouldRestoreTheTrailTheArnNames() {
        // given
        when(baselines.baselineBefore(eq(RestoreFixtures.TRAIL), any())).thenReturn(RestoreFixtures.fullBaseline());
        when(restorer.restore(any())).thenReturn(STARTED);

        // when
        Outcome outcome = service(config, ResponseConfig.defaults())
                .handle(Events.load("cloudtrail/put-insight-selectors.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_STARTED");
        assertThat(published().details()).containsValue("Insights ApiCallRateInsight (weakened, reverted)");
    }

    @Test
    void deleteTrailWithBaseline_shouldRecreateAndNotifyCriticalWithGap() {
        // given
        when(baselines.baselineBefore(RestoreFixtures.TRAIL, Instant.parse("2026-11-20T14:30:19Z")))
                .thenReturn(RestoreFixtures.fullBaseline());
        when(restorer.restore(any())).thenReturn(STARTED);

        // when
        Outcome outcome = service(config, ResponseConfig.defaults()).handle(Events.load("cloudtrail/delete-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RECREATE_STARTED");
        verify(restorer).restore(request.capture());
        assertThat(request.getValue().recreate()).isTrue();
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.headline()).isEqualTo("Trail management-events deleted, recreate started");
        assertThat(n.action().description()).contains("TrailGuard-RecreateTrail");
        assertThat(n.details().get("Unrecorded window"))
                .startsWith("Trail deleted: nothing recorded through it from 2026-11-20T14:30:19Z until");
        assertThat(n.details().get("Athena SQL")).contains("useridentity.arn = 'arn:aws:iam::111122223333:user/mallory'",
                "from_iso8601_timestamp('2026-11-20T13:30:19Z')", "from_iso8601_timestamp('2026-11-20T16:30:19Z')",
                "LIMIT 500");
    }

    @Test
    void deleteTrailByNameWithMalformedRegion_shouldReportUnreadableAndStartNothing() {
        // given: the trail is named, so its ARN is built from the event's awsRegion, which is not a region
        byte[] event = new String(Events.load("cloudtrail/delete-trail.json"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"us-east-1\\u202e\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // when
        Outcome outcome = service(config, ResponseConfig.defaults()).handle(event);

        // then: no runbook gets an ARN that was never validated
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        assertThat(outcome.notes().get(0)).startsWith("trail reference rejected");
        org.mockito.Mockito.verifyNoInteractions(restorer, baselines);
        assertThat(outcome.messageId()).isEqualTo("msg-7");
    }

    @Test
    void changeByAuthorizedRole_shouldBeKeptAndReportedMedium() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(RestoreFixtures.fullBaseline());
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS,
                DEVOPS_ROLE));

        // when
        Outcome outcome = service(config, response).handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("AUTHORIZED_CHANGE");
        verifyNoInteractions(restorer);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(n.details()).containsEntry("Changed IsMultiRegionTrail", "true -> false (weakened, NOT reverted)");
    }

    @Test
    void trailNotGuarded_shouldReportWithoutRestoring() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(RestoreFixtures.fullBaseline());

        // when
        Outcome outcome = service(config(List.of("security-trail")), ResponseConfig.defaults())
                .handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("CHANGE_REPORTED");
        verifyNoInteractions(restorer);
        assertThat(published().severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void restoreStartFails_shouldNotifyCriticalNamingTheCall() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(RestoreFixtures.fullBaseline());
        when(restorer.restore(any())).thenThrow(new AwsCallFailedException("ssm:StartAutomationExecution",
                AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InvalidDocument").errorMessage("TrailGuard-RestoreTrail not found").build())
                        .build()));

        // when
        Outcome outcome = service(config, ResponseConfig.defaults()).handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_STARTED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.details()).containsEntry("Failed call", "ssm:StartAutomationExecution")
                .containsEntry("Error", "InvalidDocument")
                .containsEntry("Changed IsMultiRegionTrail", "true -> false (weakened, NOT reverted)");
    }

    @Test
    void baselineTooLargeForTheRunbook_shouldNotifyCritical() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(RestoreFixtures.fullBaseline());
        when(restorer.restore(any())).thenThrow(new UnrestorableBaselineException("an event selector is 600 "
                + "characters as JSON; SSM takes at most 512 per value"));

        // when
        Outcome outcome = service(config, ResponseConfig.defaults())
                .handle(Events.load("cloudtrail/put-event-selectors.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_NOT_STARTED");
        assertThat(published().summary()).contains("SSM takes at most 512");
    }

    @Test
    void duplicateDelivery_shouldReportRestoreAlreadyStarted() {
        // given
        when(baselines.baselineBefore(any(), any())).thenReturn(RestoreFixtures.fullBaseline());
        when(restorer.restore(any())).thenReturn(new RemediationStart(Optional.empty(), "us-east-1", "token-7",
                true, false));

        // when
        Outcome outcome = service(config, ResponseConfig.defaults()).handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_ALREADY_STARTED");
        assertThat(published().action().description()).contains("duplicate delivery");
    }

    @Test
    void selectorChangeWithSettingsOnlyBaseline_shouldReportRequestWithoutRestoring() {
        // given: AWS Config knows settings, nobody declared selectors
        TrailSettings settings = RestoreFixtures.fullBaseline().settings().orElseThrow();
        when(baselines.baselineBefore(any(), any())).thenReturn(new Baseline(Optional.of(settings), "AWS Config",
                Optional.empty(), Optional.empty(), Optional.empty(), null));

        // when
        Outcome outcome = service(config, ResponseConfig.defaults())
                .handle(Events.load("cloudtrail/put-event-selectors.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("CHANGE_REPORTED");
        verifyNoInteractions(restorer);
        Notification n = published();
        assertThat(n.action().description()).contains("no baseline event selectors");
        assertThat(n.details()).containsEntry("Set eventSelectors[0].includeManagementEvents", "false");
    }

    /** The full baseline's settings with the default selector and no Insights, as AWS Config's flags imply them. */
    static Baseline configDefaults() {
        Baseline settings = recordedByConfig();
        return new Baseline(settings.settings(), settings.settingsSource(), settings.settingsCapturedAt(),
                Optional.of(EventSelectors.DEFAULT), Optional.of(Set.of()), settings.settingsSource() + " (flags)");
    }

    @Test
    void droppingTheDefaultSelectorConfigRecorded_shouldRestoreTheDefaultSelector() {
        // given: no declared baseline; AWS Config's item said hasCustomEventSelectors: false
        when(baselines.baselineBefore(any(), any())).thenReturn(configDefaults());
        when(restorer.restore(any())).thenReturn(STARTED);
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.PASSABLE_LOGS_ROLE_ARNS,
                "arn:aws:iam::111122223333:role/CloudTrail-CloudWatchLogs"));

        // when
        Outcome outcome = service(config, response).handle(Events.load("cloudtrail/put-event-selectors.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_STARTED");
        verify(restorer).restore(request.capture());
        assertThat(request.getValue().baseline().selectors()).contains(EventSelectors.DEFAULT);
        assertThat(published().details().values()).contains("Management events (Read) (weakened, reverted)",
                "Management events (Write) (weakened, reverted)");
    }

    @Test
    void updateTrailWithTheDefaultSelectorConfigRecorded_shouldLeaveTheSelectorsAlone() {
        // given: Config records changes minutes late; selectors set since its item must not be reset to the default
        when(baselines.baselineBefore(any(), any())).thenReturn(configDefaults());
        when(restorer.restore(any())).thenReturn(STARTED);
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.PASSABLE_LOGS_ROLE_ARNS,
                "arn:aws:iam::111122223333:role/CloudTrail-CloudWatchLogs"));

        // when
        Outcome outcome = service(config, response).handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_STARTED");
        verify(restorer).restore(request.capture());
        assertThat(request.getValue().baseline().selectors()).isEmpty();
        assertThat(request.getValue().baseline().settings()).isPresent();
    }

    @Test
    void updateTrailThatChangesNothing_shouldReportNoChange() {
        // given: the baseline already has what the call sets
        TrailSettings weak = new TrailSettings("exfil-bucket-4417", null, false, true, false, null, null, null,
                null, false);
        when(baselines.baselineBefore(any(), any())).thenReturn(new Baseline(Optional.of(weak), "AWS Config",
                Optional.empty(), Optional.empty(), Optional.empty(), null));

        // when
        Outcome outcome = service(config, ResponseConfig.defaults()).handle(Events.load("cloudtrail/update-trail.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("NO_CHANGE");
        verifyNoInteractions(restorer);
    }
}
