package dev.trailguard.report;

import static dev.trailguard.report.ReportServiceRunbooksTest.RESTART;
import static dev.trailguard.report.ReportServiceRunbooksTest.RESTORE_OK;
import static dev.trailguard.report.ReportServiceRunbooksTest.ROLE;
import static dev.trailguard.report.ReportServiceRunbooksTest.SETTINGS;
import static dev.trailguard.report.ReportServiceRunbooksTest.STOP;
import static dev.trailguard.report.ReportServiceRunbooksTest.TRAIL_ARN;
import static dev.trailguard.report.ReportServiceRunbooksTest.execution;
import static dev.trailguard.report.ReportServiceRunbooksTest.logging;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.EventSelectors;
import dev.trailguard.restore.RestoreFixtures;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.restore.TrailId;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/** "Restored" only for the parts compared with the baseline, with selectors compared by what they record. */
@ExtendWith(MockitoExtension.class)
class RestoreVerifierSelectorsTest {

    static final TrailId ID = new TrailId(TRAIL_ARN, "management-events", "us-east-1");
    static final String FN = "arn:aws:lambda:us-east-1:111122223333:function:";
    static final String CONFIG = Baseline.CONFIG_ITEM + "1795183000123";

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
                Set.of(), List.of(), Set.of(), Set.of(ReportServiceRunbooksTest.FUNCTION_ROLE));
        service = new ReportService(new EventReader(), executions, locator, notifier, config,
                ResponseConfig.defaults(), baselines, configurations);
        when(executions.get(RESTORE_OK, "us-east-1")).thenReturn(Optional.of(
                execution(RESTORE_OK, Runbook.RESTORE, "Success", ROLE, TRAIL_ARN, null, null)));
        when(locator.locate(TrailRef.parse(TRAIL_ARN))).thenReturn(Optional.of(logging(RESTART, STOP)));
        when(notifier.publish(any())).thenReturn("m-1");
    }

    Notification published() {
        ArgumentCaptor<Notification> captor = ArgumentCaptor.forClass(Notification.class);
        verify(notifier).publish(captor.capture());
        return captor.getValue();
    }

    static EventSelectors lambda(String function) {
        return EventSelectors.parse(RestoreFixtures.json("""
                {"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,
                 "DataResources":[{"Type":"AWS::Lambda::Function","Values":["%s"]}]}]}""".formatted(FN + function)));
    }

    @Test
    void restoreToTheDefaultSelectorConfigRecorded_shouldCompareSelectorsAndNameWhatWasNotCompared() {
        // given: AWS Config's item said hasCustomEventSelectors: false (Insights not known); the trail now matches
        when(baselines.baselineBefore(any(), any())).thenReturn(new Baseline(Optional.of(SETTINGS), CONFIG,
                Optional.empty(), Optional.of(EventSelectors.DEFAULT), Optional.empty(), CONFIG));
        when(configurations.current(ID, true, true, false)).thenReturn(new Baseline(Optional.of(SETTINGS), "now",
                Optional.empty(), Optional.of(EventSelectors.DEFAULT), Optional.empty(), "now"));

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("TRAIL_RESTORED");
        assertThat(published().summary()).contains("is back to its baseline settings and event selectors (compared "
                + "with GetTrail and GetEventSelectors)", "Its Insights had no baseline to compare with and were not "
                + "verified.").doesNotContain("GetInsightSelectors");
    }

    @Test
    void trailLeftOnALookAlikeFunction_shouldBeIncompleteNeverRestored() {
        // given: the baseline records function:payments-prod; the trail now records function:payments (which a
        // string prefix would take for the same coverage)
        when(baselines.baselineBefore(any(), any())).thenReturn(new Baseline(Optional.empty(), null,
                Optional.empty(), Optional.of(lambda("payments-prod")), Optional.empty(), "declared baseline"));
        when(configurations.current(ID, false, true, false)).thenReturn(new Baseline(Optional.empty(), "now",
                Optional.empty(), Optional.of(lambda("payments")), Optional.empty(), "now"));

        // when
        Outcome outcome = service.handle(Events.load("ssm/restore-trail-success.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESTORE_INCOMPLETE");
        assertThat(published().details().values()).contains(
                "Data events AWS::Lambda::Function " + FN + "payments-prod (Read) (weakened, NOT reverted)");
    }
}
