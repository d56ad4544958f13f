package dev.trailguard.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

class JsonLoggerTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonLoggerProvider.Settings previous;

    @BeforeEach
    void capture() {
        previous = JsonLoggerProvider.configure(new JsonLoggerProvider.Settings(Level.INFO, Level.WARN,
                new PrintStream(out, true, StandardCharsets.UTF_8)));
    }

    @AfterEach
    void restore() {
        JsonLoggerProvider.configure(previous);
        MDC.clear();
    }

    JsonNode[] lines() throws Exception {
        String[] raw = out.toString(StandardCharsets.UTF_8).split("\n");
        JsonNode[] parsed = new JsonNode[raw.length];
        for (int i = 0; i < raw.length; i++) {
            parsed[i] = new ObjectMapper().readTree(raw[i]);
        }
        return parsed;
    }

    @Test
    void slf4j_shouldBeBoundToTheJsonProvider() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(JsonLoggerProvider.class);
    }

    @Test
    void infoWithContextAndPlaceholders_shouldBeOneJsonLine() throws Exception {
        // given
        MDC.put("eventId", "e-1");
        MDC.put("trailArn", "arn:aws:cloudtrail:us-east-1:111122223333:trail/t1");

        // when
        LoggerFactory.getLogger("dev.trailguard.X").info("Started {} in {}", "runbook\n\"quoted\"", "us-east-1");

        // then
        JsonNode[] lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines[0].path("level").asText()).isEqualTo("INFO");
        assertThat(lines[0].path("logger").asText()).isEqualTo("dev.trailguard.X");
        assertThat(lines[0].path("message").asText()).isEqualTo("Started runbook\n\"quoted\" in us-east-1");
        assertThat(lines[0].path("context").path("eventId").asText()).isEqualTo("e-1");
        assertThat(lines[0].path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    }

    @Test
    void trailingThrowable_shouldBecomeErrorFields() throws Exception {
        // when
        LoggerFactory.getLogger("dev.trailguard.Y").error("Failed {}", "x", new IllegalStateException("boom"));

        // then
        JsonNode line = lines()[0];
        assertThat(line.path("message").asText()).isEqualTo("Failed x");
        assertThat(line.path("error").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("errorMessage").asText()).isEqualTo("boom");
        assertThat(line.path("stackTrace").asText()).contains("JsonLoggerTest");
    }

    @Test
    void levels_shouldFilterAndCapTheSdkAtWarn() throws Exception {
        // when
        Logger ours = LoggerFactory.getLogger("dev.trailguard.Z");
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");
        ours.debug("hidden");
        sdk.info("hidden too");
        sdk.warn("shown");

        // then
        JsonNode[] lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines[0].path("message").asText()).isEqualTo("shown");
        assertThat(ours.isDebugEnabled()).isFalse();
        assertThat(ours.isInfoEnabled()).isTrue();
    }
}
