package dev.trailguard.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.event.EventReader;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotificationRendererTest {

    static final String ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";

    private final NotificationRenderer renderer = new NotificationRenderer(new EventReader().mapper());

    static Notification.Builder restored() {
        return Notification.builder(Severity.LOW, "LOGGING_RESTORED")
                .headline("management-events logging again")
                .summary("Trail management-events is logging again.")
                .account("111122223333")
                .region("us-east-1")
                .detectedBy("Automation")
                .trail(new Notification.TrailSummary(ARN, "management-events", "us-east-1", false))
                .action(new Notification.Action("LOGGING_RESTORED", "Restarted logging.",
                        "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "us-east-1"))
                .loggingGap(new Notification.LoggingGap(Instant.parse("2026-11-20T14:02:30Z"),
                        Instant.parse("2026-11-20T15:05:48Z")));
    }

    @Test
    void loggingGap_shouldAppearInTextAndJson() {
        // given
        Notification n = restored().build();

        // when
        String text = renderer.text(n);
        ObjectNode json = renderer.json(n);

        // then
        assertThat(text).contains("Found by: runbook status change\n",
                "Not recorded: 1 h 3 min (2026-11-20T14:02:30Z to 2026-11-20T15:05:48Z)\n");
        assertThat(json.get("loggingGap").get("seconds").asLong()).isEqualTo(3798);
        assertThat(json.get("detectedBy").asText()).isEqualTo("Automation");
        assertThat(renderer.attributes(n)).containsEntry("detectedBy", "Automation")
                .containsEntry("trail", "management-events").containsEntry("outcome", "LOGGING_RESTORED");
    }

    @Test
    void accountContext_shouldAppearInTextJsonAndAsAFilterableUnit() {
        // given: the organization hub named the account
        Notification n = restored().build().withAccountContext(new Notification.AccountContext("payments-prod",
                "ou-ab12-34567890"));

        // when
        String text = renderer.text(n);
        ObjectNode json = renderer.json(n);

        // then
        assertThat(text).contains("Account: 111122223333\n", "Account name: payments-prod\n",
                "Organizational unit: ou-ab12-34567890\n");
        assertThat(json.get("accountName").asText()).isEqualTo("payments-prod");
        assertThat(json.get("organizationalUnit").asText()).isEqualTo("ou-ab12-34567890");
        assertThat(renderer.attributes(n)).containsEntry("organizationalUnit", "ou-ab12-34567890")
                .containsEntry("account", "111122223333").hasSizeLessThanOrEqualTo(10);
        // single-account notifications are unchanged
        assertThat(renderer.json(restored().build()).has("accountName")).isFalse();
    }

    @Test
    void notificationWithoutNewFields_shouldRenderTheVersionOneShapeUnchanged() {
        // given
        Notification n = Notification.builder(Severity.HIGH, "TRAIL_CHANGED").headline("h").summary("s").build();

        // when
        ObjectNode json = renderer.json(n);

        // then
        assertThat(json.get("schemaVersion").asText()).isEqualTo("1.0");
        assertThat(json.has("loggingGap")).isFalse();
        assertThat(json.has("detectedBy")).isFalse();
        assertThat(renderer.attributes(n)).containsOnlyKeys("severity", "kind");
    }

    @Test
    void longNonAsciiHeadline_shouldGiveShortAsciiSubject() {
        // given
        Notification n = restored().headline("Trail ünïcødé\u202e\n" + "x".repeat(200)).build();

        // when
        String subject = renderer.subject(n);

        // then
        assertThat(subject).hasSizeLessThanOrEqualTo(99).matches("[\\x20-\\x7e]+").startsWith("[LOW] TrailGuard: ")
                .endsWith("...");
    }

    @Test
    void links_shouldPointAtTheTrailAndTheExecutionInTheirRegions() {
        // when
        var links = renderer.links(restored().build());

        // then
        assertThat(links).containsEntry("Trail", "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home"
                + "?region=us-east-1#/trails/arn%3Aaws%3Acloudtrail%3Aus-east-1%3A111122223333%3Atrail%2F"
                + "management-events")
                .containsEntry("Execution", "https://us-east-1.console.aws.amazon.com/systems-manager/automation/"
                        + "execution/4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f?region=us-east-1");
    }

    @ParameterizedTest
    @CsvSource({"0, 0 s", "59, 59 s", "60, 1 min 0 s", "3599, 59 min 59 s", "3600, 1 h 0 min", "90061, 25 h 1 min"})
    void seconds_shouldReadAsDuration(long seconds, String expected) {
        assertThat(NotificationRenderer.duration(seconds)).isEqualTo(expected);
    }

    @Test
    void restartBeforeStop_shouldGiveNoGap() {
        assertThat(Notification.LoggingGap.between(Optional.of(Instant.parse("2026-11-20T14:00:00Z")),
                Optional.of(Instant.parse("2026-11-01T00:00:00Z")))).isNull();
        assertThat(Notification.LoggingGap.between(Optional.empty(),
                Optional.of(Instant.parse("2026-11-01T00:00:00Z")))).isNull();
    }
}
