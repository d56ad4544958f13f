package dev.trailguard.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.testing.Schemas;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The finding and the chat card of one incident's notifications, and what hostile event values do to them. */
class IntegrationRenderingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRAIL = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events";
    static final String PRODUCT = "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default";
    static final Instant NOW = Instant.parse("2026-11-20T14:05:00Z");

    final SecurityHubFinding findings = new SecurityHubFinding(JSON);
    final ChatCard cards = new ChatCard(JSON);

    static Notification.Builder about(Severity severity, String kind, String outcome) {
        return Notification.builder(severity, kind).headline("management-events " + kind).summary("What happened.")
                .account("111122223333").region("us-east-1").eventId("id-" + kind).eventTime("2026-11-20T13:58:11Z")
                .trail(new Notification.TrailSummary(TRAIL, "management-events", "eu-west-1", false))
                .action(new Notification.Action(outcome, "did " + outcome, "exec-1", "eu-west-1"));
    }

    @Test
    void stopThenVerifiedRestore_shouldUpdateOneFindingFromNewToResolved() {
        // given
        Notification stopped = about(Severity.HIGH, "LOGGING_STOPPED", "REMEDIATION_STARTED").detectedBy("CloudTrailEvent")
                .build();
        Notification restored = about(Severity.LOW, "LOGGING_RESTORED", "LOGGING_CONFIRMED").detectedBy("Automation")
                .eventTime("2026-11-20 14:03:18 +0000").build();
        Notification failed = about(Severity.CRITICAL, "REMEDIATION_FAILED", "RUNBOOK_FAILED").detectedBy("Automation")
                .detail("Fix", "Make the automation role trust ssm.amazonaws.com").build();

        // when
        JsonNode first = findings.finding(stopped, PRODUCT, "111122223333", "us-east-1", NOW);
        JsonNode second = findings.finding(restored, PRODUCT, "111122223333", "us-east-1", NOW);
        JsonNode third = findings.finding(failed, PRODUCT, "111122223333", "us-east-1", NOW);

        // then: one incident, one finding id, and one chat thread
        assertThat(second.path("Id")).isEqualTo(first.path("Id"));
        assertThat(third.path("Id")).isEqualTo(first.path("Id"));
        assertThat(cards.card(restored).path("metadata").path("threadId").asText()).isEqualTo(first.path("Id").asText());
        assertThat(first.path("Workflow").path("Status").asText()).isEqualTo("NEW");
        assertThat(first.path("RecordState").asText()).isEqualTo("ACTIVE");
        assertThat(second.path("Workflow").path("Status").asText()).isEqualTo("RESOLVED");
        assertThat(second.path("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(third.path("Workflow").path("Status").asText()).isEqualTo("NEW");
        assertThat(third.path("RecordState").asText()).isEqualTo("ACTIVE");
        // severities as ASFF labels, also where a provider may update them
        assertThat(first.path("FindingProviderFields").path("Severity").path("Label").asText()).isEqualTo("HIGH");
        assertThat(second.path("Severity").path("Label").asText()).isEqualTo("LOW");
        assertThat(third.path("Remediation").path("Recommendation").path("Text").asText())
                .isEqualTo("Make the automation role trust ssm.amazonaws.com");
        // SSM's non-ISO time: the import time stands in
        assertThat(second.path("CreatedAt").asText()).isEqualTo(NOW.toString());
        assertThat(first.path("CreatedAt").asText()).isEqualTo("2026-11-20T13:58:11Z");
        for (JsonNode f : new JsonNode[] {first, second, third}) {
            assertThat(Schemas.errors(Schemas.ASFF, f)).isEmpty();
        }
    }

    @Test
    void blockedAttemptAndEventsWithoutTrail_shouldBeFindingsOfTheirOwn() {
        Notification blocked = about(Severity.MEDIUM, "ATTEMPT_BLOCKED", "ATTEMPT_BLOCKED").build();
        Notification noTrail = Notification.builder(Severity.HIGH, "UNREADABLE_EVENT").headline("h").summary("s")
                .account("111122223333").eventId("ev-9").build();

        assertThat(IncidentId.of(blocked)).isEqualTo("trailguard/111122223333/attempt_blocked/id-ATTEMPT_BLOCKED");
        assertThat(IncidentId.of(noTrail)).isEqualTo("trailguard/111122223333/unreadable_event/ev-9");
        JsonNode finding = findings.finding(noTrail, PRODUCT, "111122223333", "us-east-1", NOW);
        assertThat(finding.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsAccount");
        assertThat(finding.path("Resources").get(0).path("Id").asText()).isEqualTo("AWS::::Account:111122223333");
        assertThat(Schemas.errors(Schemas.ASFF, finding)).isEmpty();
    }

    @Test
    void hostileValues_shouldStayInBoundsAndNeitherMentionNorLink() {
        // given: attacker-controlled text everywhere an event puts it
        String hostile = "<!channel> `x` <https://evil.example|click> \u202e\n" + "A".repeat(5000);
        Notification n = about(Severity.CRITICAL, "TRAIL_WEAKENED", "RESTORE_STARTED")
                .headline(hostile).summary(hostile)
                .actor(new Notification.Actor(hostile, hostile, "111122223333", hostile, hostile, hostile, hostile))
                .eventName(hostile).detail("Fix", hostile).detail("Diagnosis", hostile).build();
        for (int i = 0; i < 80; i++) {
            n = n.withDetails(java.util.Map.of("Detail " + i, hostile));
        }

        // when
        JsonNode finding = findings.finding(n, PRODUCT, "111122223333", "us-east-1", NOW);
        JsonNode card = cards.card(n);

        // then
        assertThat(Schemas.errors(Schemas.ASFF, finding)).isEmpty();
        assertThat(finding.path("ProductFields").size()).isEqualTo(50);
        assertThat(dev.trailguard.handler.ChatCardBoundsAccess.violations(card)).isEmpty();
        assertThat(card.toString()).doesNotContain("\u202e");
        assertThat(card.path("content").path("description").asText()).contains("*Who:* `\u2039!channel\u203a 'x'");
    }
}
