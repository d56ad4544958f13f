package dev.trailguard.backstop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.contract.Forwarding;
import dev.trailguard.core.Outcome;
import dev.trailguard.member.ForwardingRules;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.RuleReenabler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;

/** The sweep's check of a member account's forwarding rules (organization hub). */
class ForwardingCheckTest {

    static final String HUB_BUS = "arn:aws:events:us-east-1:111122223333:event-bus/TrailGuardHub";
    static final Finding SWEEP = new Finding("Sweep", "Sweep", "444455556666", "eu-west-1", "Scheduled Event",
            "3f6b1d2e-8a9c-4e0f-b1a2-c3d4e5f6a7b8", "2026-11-20T14:05:00Z", Instant.parse("2026-11-20T14:05:00Z"));

    ForwardingRules rules;
    RuleReenabler reenabler;
    List<Notification> published;
    ForwardingCheck check;

    @BeforeEach
    void setUp() {
        rules = mock(ForwardingRules.class);
        when(rules.applies()).thenReturn(true);
        when(rules.hubBusArn()).thenReturn(HUB_BUS);
        for (String name : Forwarding.RULE_NAMES) {
            when(rules.describe(name)).thenReturn(Optional.of(new ForwardingRules.Rule(name, true, List.of(HUB_BUS))));
        }
        reenabler = mock(RuleReenabler.class);
        published = new ArrayList<>();
        check = new ForwardingCheck(rules, reenabler, n -> {
            published.add(n);
            return "m-" + published.size();
        });
    }

    @Test
    void everyRuleEnabledAndTargetingTheHub_shouldBeFiveQuietOks() {
        List<Outcome> items = check.check(SWEEP, true);

        assertThat(items).extracting(Outcome::outcome).containsExactly("FORWARDING_OK", "FORWARDING_OK",
                "FORWARDING_OK", "FORWARDING_OK", "FORWARDING_OK");
        assertThat(published).isEmpty();
    }

    @Test
    void disabledRule_shouldBeReenabledOnTheMembersDefaultBusAndReportedCritical() {
        // given
        when(rules.describe(Forwarding.TAMPER_CALLS)).thenReturn(Optional.of(
                new ForwardingRules.Rule(Forwarding.TAMPER_CALLS, false, List.of(HUB_BUS))));
        when(reenabler.reenable(anyString(), anyString(), anyString(), anyString())).thenReturn(new RemediationStart(
                Optional.of("9b6c7d8e-0f1a-4b2c-8d3e-4f5a6b7c8d9e"), "eu-west-1", "token", false, false));

        // when
        List<Outcome> items = check.check(SWEEP, true);

        // then
        assertThat(items.get(0).outcome()).isEqualTo("FORWARDING_REENABLE_STARTED");
        verify(reenabler).reenable(eq(Forwarding.TAMPER_CALLS), eq("default"), eq("eu-west-1"),
                eq("forwarding:444455556666:eu-west-1:TrailGuard-ForwardTamperCalls:498662"));
        assertThat(published).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(n.kind()).isEqualTo("FORWARDING_BROKEN");
            assertThat(n.account()).isEqualTo("444455556666");
            assertThat(n.summary()).contains("TrailGuard-ForwardTamperCalls", "is disabled",
                    "StopLogging, DeleteTrail and the other tamper calls");
            assertThat(n.action().description()).isEqualTo("Started TrailGuard-EnableRule in eu-west-1 to enable it "
                    + "again.");
        });
    }

    @Test
    void missingRuleOrAnotherTarget_shouldBeCriticalAndNotStartAnything() {
        // given
        when(rules.describe(Forwarding.RESOURCE_CALLS)).thenReturn(Optional.empty());
        when(rules.describe(Forwarding.RUNBOOK_RESULTS)).thenReturn(Optional.of(new ForwardingRules.Rule(
                Forwarding.RUNBOOK_RESULTS, true, List.of("arn:aws:events:us-east-1:999988887777:event-bus/x"))));

        // when
        List<Outcome> items = check.check(SWEEP, true);

        // then
        assertThat(items).extracting(Outcome::outcome).containsExactly("FORWARDING_OK", "FORWARDING_BROKEN",
                "FORWARDING_BROKEN", "FORWARDING_OK", "FORWARDING_OK");
        assertThat(published).extracting(Notification::summary).satisfiesExactly(
                s -> assertThat(s).contains("TrailGuard-ForwardResourceCalls", "is missing"),
                s -> assertThat(s).contains("no longer targets the hub bus",
                        "arn:aws:events:us-east-1:999988887777:event-bus/x"));
        verify(reenabler, never()).reenable(any(), any(), any(), any());
    }

    @Test
    void ruleThatCannotBeRead_shouldBeUnverifiedHighNamingTheCall() {
        when(rules.describe(Forwarding.COMPLIANCE_CHANGES)).thenThrow(new AwsCallFailedException("events:DescribeRule",
                EventBridgeException.builder().message("denied").statusCode(403).build()));

        List<Outcome> items = check.check(SWEEP, true);

        assertThat(items.get(3).outcome()).isEqualTo("FORWARDING_UNVERIFIED");
        assertThat(published).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Severity.HIGH);
            assertThat(n.summary()).contains("events:DescribeRule");
        });
    }

    @Test
    void laterSweepsOfTheHour_shouldStillReenableButNotNotifyAgain() {
        when(rules.describe(Forwarding.TAMPER_CALLS)).thenReturn(Optional.of(
                new ForwardingRules.Rule(Forwarding.TAMPER_CALLS, false, List.of(HUB_BUS))));
        when(reenabler.reenable(anyString(), anyString(), anyString(), anyString())).thenReturn(new RemediationStart(
                Optional.empty(), "eu-west-1", "token", true, false));

        List<Outcome> items = check.check(SWEEP, false);

        assertThat(items.get(0).outcome()).isEqualTo("FORWARDING_REENABLE_ALREADY_STARTED");
        assertThat(published).isEmpty();
    }

    @Test
    void missingDeliveryRule_shouldSayThatDeliverySabotageNoLongerReachesTheHub() {
        // given
        when(rules.describe(Forwarding.DELIVERY_CALLS)).thenReturn(Optional.empty());

        // when
        List<Outcome> items = check.check(SWEEP, true);

        // then
        assertThat(items.get(4).outcome()).isEqualTo("FORWARDING_BROKEN");
        assertThat(published).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(n.summary()).contains("TrailGuard-ForwardDeliveryCalls", "is missing",
                    "break delivery to the trails' buckets and keys").doesNotContain("compliance changes");
        });
    }

    @Test
    void outsideAMemberAccount_shouldCheckNothing() {
        assertThat(new ForwardingCheck(ForwardingRules.NONE, reenabler, n -> "m").check(SWEEP, true)).isEmpty();
    }
}
