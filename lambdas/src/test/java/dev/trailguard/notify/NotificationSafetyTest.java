package dev.trailguard.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NotificationSafetyTest {

    final ObjectMapper mapper = new ObjectMapper();
    final NotificationRenderer renderer = new NotificationRenderer(mapper);

    static Notification sample(String headline, String userAgent) {
        return Notification.builder(Severity.HIGH, "LOGGING_STOPPED")
                .headline(headline)
                .summary("mallory stopped logging.")
                .account("111122223333").region("us-east-1").eventName("StopLogging").eventId("e-1")
                .eventTime("2026-11-20T14:03:11Z")
                .actor(new Notification.Actor("arn:aws:iam::111122223333:user/mallory", "IAMUser", "111122223333",
                        "", null, "203.0.113.45", userAgent))
                .trail(new Notification.TrailSummary("arn:aws:cloudtrail:us-east-1:111122223333:trail/t1", "t1",
                        "us-east-1", false))
                .action(new Notification.Action("REMEDIATION_STARTED", "Started.", "exec-1", "us-east-1"))
                .build();
    }

    @Test
    void subject_shouldBeOneAsciiLineUnder100Characters() {
        // given: a headline with a forged second line, non-ASCII and excessive length
        Notification n = sample("Logging stopped on t1\r\nBcc: attacker@example.com ü " + "x".repeat(200), "ua");

        // when
        String subject = renderer.subject(n);

        // then
        assertThat(subject).hasSizeLessThanOrEqualTo(99).startsWith("[HIGH] TrailGuard: Logging stopped on t1 Bcc:")
                .doesNotContain("\n", "\r").endsWith("...");
        assertThat(subject.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void text_shouldNotLetEventValuesForgeLines() {
        // given
        Notification n = sample("Logging stopped", "curl/8\nSeverity: INFO\u2028Who: nobody\u202e");

        // when
        String text = renderer.text(n);

        // then
        assertThat(text).contains("User agent: curl/8 Severity: INFO Who: nobody\n");
        assertThat(text.lines().filter(l -> l.startsWith("Severity:"))).containsExactly("Severity: HIGH");
        assertThat(text).doesNotContain("\u202e", "\u2028");
    }

    @Test
    void snsMessage_shouldGiveEmailTextAndMachinesJson() throws Exception {
        // when
        JsonNode message = mapper.readTree(renderer.snsMessage(sample("Logging stopped on t1", "ua")));

        // then
        assertThat(message.path("email").asText()).startsWith("Logging stopped on t1\n");
        // every machine protocol (sqs, lambda, http/s, firehose, email-json) gets the default: the JSON document
        JsonNode doc = mapper.readTree(message.path("default").asText());
        assertThat(doc.path("schemaVersion").asText()).isEqualTo("1.0");
        assertThat(doc.path("summary").asText()).isNotBlank();
        assertThat(doc.path("trail").path("homeRegion").asText()).isEqualTo("us-east-1");
        assertThat(doc.path("links").path("Trail").asText())
                .startsWith("https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1");
        assertThat(message.path("sms").asText()).startsWith("[HIGH]");
        // each form once: no protocol key repeats the document or the text
        assertThat(message.fieldNames()).toIterable().containsExactlyInAnyOrder("default", "email", "sms");
    }

    @Test
    void attributes_shouldCarrySeverityEventAccountRegionAndOutcome() {
        assertThat(renderer.attributes(sample("h", "ua"))).containsEntry("severity", "HIGH")
                .containsEntry("kind", "LOGGING_STOPPED").containsEntry("eventName", "StopLogging")
                .containsEntry("account", "111122223333").containsEntry("region", "us-east-1")
                .containsEntry("outcome", "REMEDIATION_STARTED");
    }

    @Test
    void manyDetails_shouldBeBoundedInText() {
        Notification.Builder b = Notification.builder(Severity.INFO, "TRAIL_CHANGED").headline("h").summary("s");
        for (int i = 0; i < 100; i++) {
            b.detail("k" + i, "v".repeat(5000));
        }
        String text = renderer.text(b.build());
        assertThat(text).contains("More: 70 further details");
        assertThat(text.length()).isLessThan(40_000);
    }

    @Test
    void textLine_shouldFoldWhitespaceAndBound() {
        assertThat(Text.line("  a\t\tb \n c  ", 100)).isEqualTo("a b c");
        assertThat(Text.line("abcdefghij", 8)).isEqualTo("abcde...");
        assertThat(Text.line(null, 8)).isEmpty();
    }
}
