package dev.trailguard.backstop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
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
import dev.trailguard.remediation.ClientTokens;
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
import software.amazon.awssdk.services.ssm.model.AutomationDefinitionNotFoundException;

@ExtendWith(MockitoExtension.class)
class ComplianceServiceTest {

    static final String ACCOUNT = "111122223333";
    static final String RULE = "trailguard-cloudtrail-enabled";
    static final Trail MAIN = new Trail("arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events",
            "management-events", "us-east-1", true, false);
    static final Trail AUDIT = new Trail("arn:aws:cloudtrail:us-east-1:111122223333:trail/audit-data",
            "audit-data", "us-east-1", false, false);
    static final Trail ORG = new Trail("arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail", "org-trail",
            "us-east-1", true, true);
    static final Trail SHADOW = new Trail("arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-trail", "eu-trail",
            "eu-west-1", true, false);
    static final Instant STOPPED_AT = Instant.parse("2026-11-20T14:50:00Z");
    static final TrailStatus STOPPED = new TrailStatus(false, Optional.of(Instant.parse("2026-11-01T00:00:00Z")),
            Optional.of(STOPPED_AT), Optional.empty());
    static final TrailStatus LOGGING = new TrailStatus(true, Optional.of(Instant.parse("2026-11-01T00:00:00Z")),
            Optional.empty(), Optional.empty());

    @Mock
    TrailLocator locator;
    @Mock
    Remediator remediator;
    @Mock
    Notifier notifier;

    ComplianceService service;

    @BeforeEach
    void setUp() {
        service = service(List.of());
    }

    ComplianceService service(List<String> guarded) {
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard",
                "arn:aws:iam::111122223333:role/TrailGuard-Automation", Set.of(), guarded, Set.of(RULE));
        return new ComplianceService(new EventReader(), locator, remediator, notifier, config,
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void otherRule_shouldIgnoreWithoutCallsOrNotification() {
        // when
        Outcome outcome = service.handle(Events.load("config/other-rule-non-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED");
        verifyNoInteractions(locator, remediator, notifier);
    }

    @Test
    void organizationRulesCopyInAMemberAccount_shouldBeHandledAsTrailGuardsRule() {
        // given: the hub's organization rule, as AWS Config names it in a member account
        when(locator.listTrails()).thenReturn(List.of());
        when(notifier.publish(any())).thenReturn("m-1");
        byte[] event = new String(Events.load("config/cloudtrail-enabled-non-compliant.json"),
                java.nio.charset.StandardCharsets.UTF_8).replace("\"configRuleName\": \"trailguard-cloudtrail-enabled\"",
                "\"configRuleName\": \"OrgConfigRule-trailguard-cloudtrail-enabled-x7k2pq9d\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(new String(event, java.nio.charset.StandardCharsets.UTF_8)).contains("OrgConfigRule-");

        // when
        Outcome outcome = service.handle(event);

        // then
        assertThat(outcome.outcome()).isEqualTo("NO_TRAIL");
    }

    @Test
    void notApplicable_shouldIgnoreWithoutCallsOrNotification() {
        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-not-applicable.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED");
        assertThat(outcome.notes()).anyMatch(n -> n.contains("NOT_APPLICABLE"));
        verifyNoInteractions(locator, remediator, notifier);
    }

    @Test
    void compliant_shouldNotifyResolvedAsInfo() {
        // given
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RESOLVED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.INFO);
        assertThat(n.kind()).isEqualTo("COMPLIANCE_RESOLVED");
        assertThat(n.detectedBy()).isEqualTo("ConfigRule");
        assertThat(n.details()).containsEntry("Compliance", "NON_COMPLIANT -> COMPLIANT");
        verifyNoInteractions(locator, remediator);
    }

    @Test
    void nonCompliantWithoutAnyTrail_shouldNotifyCriticalNoTrail() {
        // given
        when(locator.listTrails()).thenReturn(List.of());
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("NO_TRAIL");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.summary()).contains("this account has no trail in us-east-1");
        verifyNoInteractions(remediator);
    }

    @Test
    void nonCompliantWithStoppedTrail_shouldStartRunbookAndNotify() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN, AUDIT));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        when(locator.status(AUDIT)).thenReturn(LOGGING);
        when(remediator.startLogging(any())).thenAnswer(inv -> started(inv.getArgument(0)));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATED");
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("REMEDIATION_STARTED", "LOGGING");
        RemediationRequest request = request();
        assertThat(request.trail()).isEqualTo(MAIN);
        assertThat(request.trigger()).isEqualTo("ConfigRule");
        // Event time 15:00:04 is period 0 of a stop at 14:50 (+3 min grace).
        assertThat(request.incidentKey()).isEqualTo("stop/" + MAIN.arn() + "/2026-11-20T14:50:00Z/attempt-0");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.kind()).isEqualTo("LOGGING_STOPPED");
        assertThat(n.action().executionId()).isEqualTo("exec-1");
        assertThat(n.summary()).contains("trailguard-cloudtrail-enabled", "management-events");
    }

    @Test
    void duplicateDelivery_shouldPresentTheSameIncidentKey() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        when(remediator.startLogging(any())).thenAnswer(inv -> started(inv.getArgument(0)));
        byte[] event = Events.load("config/cloudtrail-enabled-non-compliant.json");

        // when
        service.handle(event);
        service.handle(event);

        // then
        ArgumentCaptor<RemediationRequest> requests = ArgumentCaptor.forClass(RemediationRequest.class);
        verify(remediator, times(2)).startLogging(requests.capture());
        assertThat(requests.getAllValues().get(0).incidentKey())
                .isEqualTo(requests.getAllValues().get(1).incidentKey());
    }

    @Test
    void nonCompliantWithOnlyForeignTrailsStopped_shouldSkipThemAndNotifyNoStoppedTrail() {
        // given
        when(locator.listTrails()).thenReturn(List.of(ORG, SHADOW, MAIN));
        when(locator.status(MAIN)).thenReturn(LOGGING);
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("NO_STOPPED_TRAIL");
        verify(locator, never()).status(ORG);
        verify(locator, never()).status(SHADOW);
        verifyNoInteractions(remediator);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(n.summary()).contains("none of the 1 trail(s)");
        assertThat(n.details().values()).anyMatch(v -> v.startsWith(ORG.arn()) && v.contains("999988887777"))
                .anyMatch(v -> v.startsWith(SHADOW.arn()) && v.contains("home region eu-west-1"));
    }

    @Test
    void multiRegionRuleWhileAllLogging_shouldSayWhatTheRuleSays() {
        // given
        service = new ComplianceService(new EventReader(), locator, remediator, notifier,
                new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard",
                        "arn:aws:iam::111122223333:role/TrailGuard-Automation", Set.of(), List.of(),
                        Set.of(RULE, "trailguard-multi-region-cloudtrail-enabled")));
        when(locator.listTrails()).thenReturn(List.of(AUDIT));
        when(locator.status(AUDIT)).thenReturn(LOGGING);
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("config/multi-region-non-compliant.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("NO_STOPPED_TRAIL");
        Notification n = published();
        assertThat(n.headline()).contains("trailguard-multi-region-cloudtrail-enabled");
        assertThat(n.details()).containsEntry("Config rule", "trailguard-multi-region-cloudtrail-enabled");
    }

    @Test
    void guardedTrailsSet_shouldRestartOnlyGuardedOnes() {
        // given
        service = service(List.of("audit-data"));
        when(locator.listTrails()).thenReturn(List.of(MAIN, AUDIT));
        when(locator.status(AUDIT)).thenReturn(STOPPED);
        when(remediator.startLogging(any())).thenAnswer(inv -> started(inv.getArgument(0)));

        // when
        service.handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then
        verify(locator, never()).status(MAIN);
        assertThat(request().trail()).isEqualTo(AUDIT);
    }

    @Test
    void runbookCannotStart_shouldNotifyCriticalAndCarryOn() {
        // given
        when(locator.listTrails()).thenReturn(List.of(MAIN));
        when(locator.status(MAIN)).thenReturn(STOPPED);
        when(remediator.startLogging(any())).thenThrow(new AwsCallFailedException("ssm:StartAutomationExecution",
                AutomationDefinitionNotFoundException.builder().message("not found").build()));
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("config/cloudtrail-enabled-non-compliant.json"));

        // then
        assertThat(outcome.items()).extracting(Outcome::outcome).containsExactly("REMEDIATION_NOT_STARTED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.details()).containsEntry("Failed call", "ssm:StartAutomationExecution");
    }

    @Test
    void eventFromAnotherSource_shouldNotifyUnreadable() {
        // given
        when(notifier.publish(any())).thenReturn("m-1");

        // when
        Outcome outcome = service.handle(Events.load("scheduled/sweep.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        assertThat(published().kind()).isEqualTo("UNREADABLE_EVENT");
        verifyNoInteractions(locator, remediator);
    }

    @Test
    void ruleNameWithControlCharacters_shouldBeUnreadable() {
        // given
        when(notifier.publish(any())).thenReturn("m-1");
        String event = new String(Events.load("config/cloudtrail-enabled-non-compliant.json"),
                StandardCharsets.UTF_8).replace("\"configRuleName\": \"trailguard-cloudtrail-enabled\",\n    \"record",
                "\"configRuleName\": \"x\\nFAKE LINE\",\n    \"record");

        // when
        Outcome outcome = service.handle(event.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        verifyNoInteractions(locator);
    }

    static RemediationStart started(RemediationRequest r) {
        return new RemediationStart(Optional.of("exec-1"), r.trail().homeRegion(),
                ClientTokens.of(r.incidentKey(), r.trail().arn()), false, false);
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
