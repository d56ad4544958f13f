package dev.trailguard.backstop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.DirectStartFallback;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

@ExtendWith(MockitoExtension.class)
class SweepServiceTest {

    static final Trail MAIN = ComplianceServiceTest.MAIN;
    static final Trail ORG = ComplianceServiceTest.ORG;
    static final Trail SHADOW = ComplianceServiceTest.SHADOW;
    static final Instant STOP = Instant.parse("2026-11-20T13:00:00Z");
    static final TrailStatus STOPPED = new TrailStatus(false, Optional.of(Instant.parse("2026-11-01T00:00:00Z")),
            Optional.of(STOP), Optional.empty());
    static final TrailStatus LOGGING = new TrailStatus(true, Optional.of(Instant.parse("2026-11-01T00:00:00Z")),
            Optional.empty(), Optional.empty());

    @Mock
    TrailLocator locator;
    @Mock
    Remediator remediator;
    @Mock
    Notifier notifier;

    SweepService service;

    @BeforeEach
    void setUp() {
        service = service(List.of());
    }

    SweepService service(List<String> guarded) {
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard",
                "arn:aws:iam::111122223333:role/TrailGuard-Automation", Set.of(), guarded, Set.of());
        return new SweepService(new EventReader(), locator, remediator, notifier, config,
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    /** The sample sweep event with its time replaced. */
    static byte[] sweepAt(String time) {
        return new String(Events.load("scheduled/sweep.json"), StandardCharsets.UTF_8)
                .replace("\"time\": \"2026-11-20T14:05:00Z\"", "\"time\": \"" + time + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sweepWithoutRegion_shouldReportUnreadableInsteadOfFailing() {
        // given: a scheduled event without its region (the trail selection needs it)
        when(notifier.publish(any())).thenReturn("m-1");
        byte[] event = new String(sweepAt("2026-11-20T14:05:00Z"), StandardCharsets.UTF_8)
                .replace("\"region\": \"us-east-1\",", "").getBytes(StandardCharsets.UTF_8);

        // when
        Outcome outcome = service.handle(event);

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        assertThat(outcome.messageId()).isEqualTo("m-1");
        org.mockito.Mockito.verifyNoInteractions(locator, remediator);
    }

    @Test
    void healthyAccount_shouldPublishNothing() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN, ORG, SHADOW));
        when(locator.status(MAIN)).thenReturn(LOGGING);

        // when
        Outcome outcome = service.handle(Events.load("scheduled/sweep.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("HEALTHY");
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("LOGGING");
        verify(locator, never()).status(ORG);
        verify(locator, never()).status(SHADOW);
        verifyNoInteractions(notifier, remediator);
    }

    @Test
    void stoppedTrailMissedByEventPath_shouldRestartAndSaySweepFoundIt() {
        // given: stopped at 13:00, sweep at 13:05 is the first after the 3-minute grace
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        when(remediator.startLogging(any())).thenAnswer(inv -> ComplianceServiceTest.started(inv.getArgument(0)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T13:05:00Z"));

        // then
        assertThat(outcome.outcome()).isEqualTo("ISSUES_FOUND");
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("REMEDIATION_STARTED");
        RemediationRequest request = request();
        assertThat(request.trigger()).isEqualTo("Sweep");
        assertThat(request.incidentKey()).isEqualTo("stop/" + MAIN.arn() + "/2026-11-20T13:00:00Z/attempt-0");
        Notification n = published();
        assertThat(n.detectedBy()).isEqualTo("Sweep");
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.summary()).contains("scheduled sweep found", "event path did not restart it");
    }

    @Test
    void stopWithinGrace_shouldLeaveItToTheEventPath() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T13:02:00Z"));

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("STOP_RECENT");
        verifyNoInteractions(remediator, notifier);
    }

    @Test
    void laterSweepsOfTheSameStop_shouldReuseTheKeyAndNotNotifyAgain() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        when(remediator.startLogging(any())).thenAnswer(inv -> ComplianceServiceTest.started(inv.getArgument(0)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when: every 5 minutes from 13:05 to 13:55
        for (int minute = 5; minute <= 55; minute += 5) {
            service.handle(sweepAt(String.format("2026-11-20T13:%02d:00Z", minute)));
        }

        // then
        ArgumentCaptor<RemediationRequest> requests = ArgumentCaptor.forClass(RemediationRequest.class);
        verify(remediator, times(11)).startLogging(requests.capture());
        assertThat(requests.getAllValues()).extracting(RemediationRequest::incidentKey).containsOnly(
                "stop/" + MAIN.arn() + "/2026-11-20T13:00:00Z/attempt-0");
        verify(notifier, times(1)).publish(any());
    }

    @Test
    void runbookAcceptedButTrailStillStopped_shouldStartLoggingDirectlyOnceOnTheSecondSweep() {
        // given: SSM accepts the start but it never runs (queued as Pending behind an attacker's long-running
        // executions): every later start with the same token is "already started", and the trail stays stopped
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        List<RemediationRequest> requests = new java.util.ArrayList<>();
        Remediator ssm = request -> {
            requests.add(request);
            return new RemediationStart(requests.size() == 1 ? Optional.of("exec-1") : Optional.empty(), "us-east-1",
                    "token", requests.size() > 1, false);
        };
        List<String> directStarts = new java.util.ArrayList<>();
        DirectStartFallback fallback = new DirectStartFallback(ssm, (arn, region) -> {
            directStarts.add(arn + "@" + region);
            return true;
        });
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard",
                "arn:aws:iam::111122223333:role/TrailGuard-Automation", Set.of(), List.of(), Set.of());
        SweepService sweep = new SweepService(new EventReader(), locator, fallback, notifier, config,
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
        when(notifier.publish(any())).thenReturn("m-1");

        // when: every 5 minutes from 13:05 to 13:55
        List<String> outcomes = new java.util.ArrayList<>();
        for (int minute = 5; minute <= 55; minute += 5) {
            outcomes.add(sweep.handle(sweepAt(String.format("2026-11-20T13:%02d:00Z", minute))).items().get(0)
                    .outcome());
        }

        // then: the 13:05 sweep started the runbook, the 13:10 sweep found it overdue and started logging directly,
        // once, without asking SSM; the later sweeps only present the token again, without telling anyone again
        assertThat(requests).extracting(RemediationRequest::runbookOverdue).hasSize(10).containsOnly(false);
        assertThat(directStarts).containsExactly(MAIN.arn() + "@" + MAIN.homeRegion());
        assertThat(outcomes.subList(0, 3)).containsExactly("REMEDIATION_STARTED", "LOGGING_STARTED_DIRECTLY",
                "REMEDIATION_ALREADY_STARTED");
        ArgumentCaptor<Notification> published = ArgumentCaptor.forClass(Notification.class);
        verify(notifier, times(2)).publish(published.capture());
        Notification direct = published.getAllValues().get(1);
        assertThat(direct.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(direct.headline()).endsWith("not logging, restarted directly (runbook overdue)");
        assertThat(direct.summary()).contains("had not restarted logging minutes later", "Pending");
        assertThat(direct.action().description()).contains("execution started earlier", "had not restarted logging",
                "called cloudtrail:StartLogging itself");
    }

    @Test
    void stopPersistingIntoTheNextHour_shouldStartAnewAndNotifyOnce() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        when(remediator.startLogging(any())).thenAnswer(inv -> ComplianceServiceTest.started(inv.getArgument(0)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        service.handle(sweepAt("2026-11-20T14:05:00Z"));
        service.handle(sweepAt("2026-11-20T14:10:00Z"));

        // then
        ArgumentCaptor<RemediationRequest> requests = ArgumentCaptor.forClass(RemediationRequest.class);
        verify(remediator, times(2)).startLogging(requests.capture());
        assertThat(requests.getAllValues()).extracting(RemediationRequest::incidentKey).containsOnly(
                "stop/" + MAIN.arn() + "/2026-11-20T13:00:00Z/attempt-1");
        verify(notifier, times(1)).publish(any());
    }

    @Test
    void firstSweepOfPeriodFindingItAlreadyStarted_shouldStillNotify() {
        // given: this sweep's own earlier attempt started the runbook, then SNS failed and Lambda retried the
        // delivery; the retry presents the same client token and learns it was already started
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        when(remediator.startLogging(any())).thenReturn(
                new RemediationStart(Optional.empty(), "us-east-1", "token", true, false));
        when(notifier.publish(any())).thenReturn("msg-2");

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T13:05:00Z"));

        // then: nobody was told yet, so the retry tells
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("REMEDIATION_ALREADY_STARTED");
        assertThat(outcome.items().get(0).messageId()).isEqualTo("msg-2");
        ArgumentCaptor<Notification> published = ArgumentCaptor.forClass(Notification.class);
        verify(notifier).publish(published.capture());
        assertThat(published.getValue().action().description()).startsWith("Already started");
    }

    @Test
    void deliveryErrorOnFirstSweepOfHour_shouldNotifyWithTheError() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(new TrailStatus(true, Optional.empty(), Optional.empty(),
                Optional.of("AccessDenied")));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T14:00:00Z"));

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("DELIVERY_ERROR");
        Notification n = published();
        assertThat(n.kind()).isEqualTo("DELIVERY_FAILING");
        assertThat(n.headline()).contains("logs but cannot deliver");
        assertThat(n.details()).containsEntry("Latest delivery error", "AccessDenied");
        verifyNoInteractions(remediator);
    }

    @Test
    void deliveryErrorOnLaterSweep_shouldNotNotifyAgain() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(new TrailStatus(true, Optional.empty(), Optional.empty(),
                Optional.of("AccessDenied")));

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T14:05:00Z"));

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("DELIVERY_ERROR");
        verifyNoInteractions(notifier);
    }

    @Test
    void newDeliveryErrorOnLaterSweep_shouldNotifyAtOnceAndNotRepeatIt() {
        // given: a healthy sweep, then the bucket policy breaks delivery (neither sweep is the hour's first)
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(LOGGING,
                new TrailStatus(true, Optional.empty(), Optional.empty(), Optional.of("AccessDenied")),
                new TrailStatus(true, Optional.empty(), Optional.empty(), Optional.of("AccessDenied")),
                new TrailStatus(true, Optional.empty(), Optional.empty(), Optional.of("NoSuchBucket")));
        when(notifier.publish(any())).thenReturn("m-1", "m-2");

        // when
        Outcome healthy = service.handle(sweepAt("2026-11-20T14:10:00Z"));
        Outcome first = service.handle(sweepAt("2026-11-20T14:15:00Z"));
        Outcome again = service.handle(sweepAt("2026-11-20T14:20:00Z"));
        Outcome changed = service.handle(sweepAt("2026-11-20T14:25:00Z"));

        // then: the first sweep that sees it tells, the next one does not, a different error is new again
        assertThat(healthy.outcome()).isEqualTo("HEALTHY");
        assertThat(first.items().get(0).messageId()).isEqualTo("m-1");
        assertThat(again.items().get(0).messageId()).isNull();
        assertThat(changed.items().get(0).messageId()).isEqualTo("m-2");
        ArgumentCaptor<Notification> published = ArgumentCaptor.forClass(Notification.class);
        verify(notifier, times(2)).publish(published.capture());
        assertThat(published.getAllValues()).extracting(n -> n.details().get("Latest delivery error"))
                .containsExactly("AccessDenied", "NoSuchBucket");
        assertThat(published.getAllValues().get(0).details()).containsEntry("Why now",
                "first sweep that sees this error");
    }

    @Test
    void deliveryErrorAfterColdStartWithRecentSuccessfulDelivery_shouldNotifyAsNew() {
        // given: an instance that never saw the trail; the last good delivery was 7 minutes ago
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(new TrailStatus(true, Optional.empty(), Optional.empty(),
                Optional.of("AccessDenied"), Optional.of(Instant.parse("2026-11-20T14:08:00Z"))));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T14:15:00Z"));

        // then
        assertThat(outcome.items().get(0).messageId()).isEqualTo("m-1");
        assertThat(published().details()).containsEntry("Last successful delivery", "2026-11-20T14:08:00Z");
    }

    @Test
    void deliveryErrorAfterColdStartWithOldSuccessfulDelivery_shouldWaitForTheHour() {
        // given: the last good delivery was 40 minutes ago: an earlier sweep already saw the error
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(new TrailStatus(true, Optional.empty(), Optional.empty(),
                Optional.of("AccessDenied"), Optional.of(Instant.parse("2026-11-20T13:35:00Z"))));

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T14:15:00Z"));

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("DELIVERY_ERROR");
        verifyNoInteractions(notifier);
    }

    @Test
    void guardedTrailGone_shouldNotifyCritical() {
        // given
        service = service(List.of("management-events", "arn:aws:cloudtrail:us-east-1:111122223333:trail/gone",
                "arn:aws:cloudtrail:eu-west-1:111122223333:trail/elsewhere"));
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(LOGGING);
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(sweepAt("2026-11-20T14:00:00Z"));

        // then: the eu-west-1 ARN is left to the deployment there
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("GUARDED_TRAIL_MISSING",
                "LOGGING");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.trail().name()).isEqualTo("gone");
    }

    @Test
    void keepaliveLikeEventFromAnotherSource_shouldNotifyUnreadable() {
        // given
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        verifyNoInteractions(locator);
    }

    RemediationRequest request() {
        ArgumentCaptor<RemediationRequest> captor = ArgumentCaptor.forClass(RemediationRequest.class);
        verify(remediator).startLogging(captor.capture());
        return captor.getValue();
    }

    Notification published() {
        ArgumentCaptor<Notification> captor = ArgumentCaptor.forClass(Notification.class);
        verify(notifier).publish(captor.capture());
        return captor.getValue();
    }
}
