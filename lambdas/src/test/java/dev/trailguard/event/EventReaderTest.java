package dev.trailguard.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailguard.testing.Events;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventReaderTest {

    final EventReader reader = new EventReader();

    @ParameterizedTest
    @ValueSource(strings = {"stop-logging.json", "stop-logging-assumed-role-arn.json", "stop-logging-console.json",
            "stop-logging-access-denied.json", "stop-logging-organization-trail.json", "delete-trail.json",
            "update-trail.json", "put-event-selectors.json", "put-insight-selectors.json"})
    void sampleCloudTrailEvents_shouldParse(String file) {
        // when
        EventEnvelope envelope = reader.envelope(Events.load("cloudtrail/" + file));
        CloudTrailRecord record = reader.cloudTrailRecord(envelope);

        // then
        assertThat(envelope.source()).isEqualTo("aws.cloudtrail");
        assertThat(envelope.detailType()).isEqualTo("AWS API Call via CloudTrail");
        assertThat(record.eventSource()).isEqualTo("cloudtrail.amazonaws.com");
        assertThat(record.eventId()).matches("[0-9a-f-]{36}");
        assertThat(record.userIdentity().arn()).startsWith("arn:aws:");
        assertThat(record.sourceIpAddress()).isNotBlank();
    }

    @Test
    void consoleEvent_shouldExposeSessionIssuer() {
        CloudTrailRecord record = reader.cloudTrailRecord(reader.envelope(
                Events.load("cloudtrail/stop-logging-console.json")));
        assertThat(record.userIdentity().type()).isEqualTo("AssumedRole");
        assertThat(record.userIdentity().sessionIssuerArn()).contains("AWSReservedSSO_AdministratorAccess");
        assertThat(record.requestParameter("name")).startsWith("arn:aws:cloudtrail:");
        assertThat(record.failed()).isFalse();
    }

    @Test
    void failedCall_shouldExposeError() {
        CloudTrailRecord record = reader.cloudTrailRecord(reader.envelope(
                Events.load("cloudtrail/stop-logging-access-denied.json")));
        assertThat(record.failed()).isTrue();
        assertThat(record.errorCode()).isEqualTo("AccessDenied");
    }

    @Test
    void duplicateKeys_shouldBeRejected() {
        byte[] raw = "{\"id\":\"a\",\"source\":\"aws.cloudtrail\",\"source\":\"evil\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.envelope(raw)).isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("Duplicate field 'source'");
    }

    @Test
    void wrongTypes_shouldBeUnreadableWithEnvelopeId() {
        byte[] raw = "{\"id\":\"abc-1\",\"source\":\"aws.cloudtrail\",\"detail\":{\"eventName\":{\"x\":1}}}"
                .getBytes(StandardCharsets.UTF_8);
        EventEnvelope envelope = reader.envelope(raw);
        assertThatThrownBy(() -> reader.cloudTrailRecord(envelope)).isInstanceOf(UnreadableEventException.class)
                .satisfies(e -> assertThat(((UnreadableEventException) e).eventId()).isEqualTo("abc-1"));
    }

    @Test
    void emptyAndHugeEvents_shouldBeUnreadable() {
        assertThatThrownBy(() -> reader.envelope(new byte[0])).hasMessage("empty event");
        byte[] huge = new byte[EventReader.MAX_EVENT_BYTES + 1];
        assertThatThrownBy(() -> reader.envelope(huge)).hasMessageContaining("larger than");
        assertThatThrownBy(() -> reader.envelope("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("not a JSON object");
    }

    @Test
    void hostileEventId_shouldNotBeEchoed() {
        byte[] raw = "{\"id\":\"x\\n[CRITICAL] forged\",\"detail\":{}}".getBytes(StandardCharsets.UTF_8);
        EventEnvelope envelope = reader.envelope(raw);
        assertThatThrownBy(() -> reader.cloudTrailRecord(envelope))
                .satisfies(e -> assertThat(((UnreadableEventException) e).eventId()).isEqualTo("unknown"));
    }
}
