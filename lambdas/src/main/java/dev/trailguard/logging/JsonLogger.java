package dev.trailguard.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;

/** Writes each event as one JSON line: timestamp, level, logger, message, MDC context and any exception. */
final class JsonLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    private final transient MDCAdapter mdc;

    JsonLogger(String name, MDCAdapter mdc) {
        this.name = name;
        this.mdc = mdc;
    }

    @Override
    public boolean isTraceEnabled() {
        return JsonLoggerProvider.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return JsonLoggerProvider.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return JsonLoggerProvider.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return JsonLoggerProvider.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return JsonLoggerProvider.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        // AbstractLogger has already taken a trailing Throwable out of the arguments.
        var formatted = MessageFormatter.basicArrayFormat(pattern, arguments);
        String line = render(level, formatted, throwable);
        if (JsonLoggerProvider.quiet()) {
            return;
        }
        var sink = JsonLoggerProvider.settings().sink();
        synchronized (sink) {
            sink.println(line);
        }
    }

    private String render(Level level, String message, Throwable error) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            json.writeStringField("level", level.name());
            json.writeStringField("logger", name);
            json.writeStringField("message", message);
            Map<String, String> context = mdc.getCopyOfContextMap();
            if (context != null && !context.isEmpty()) {
                json.writeObjectFieldStart("context");
                for (Map.Entry<String, String> e : context.entrySet()) {
                    json.writeStringField(e.getKey(), e.getValue());
                }
                json.writeEndObject();
            }
            if (error != null) {
                json.writeStringField("error", error.getClass().getName());
                json.writeStringField("errorMessage", error.getMessage());
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                json.writeStringField("stackTrace", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            return "{\"level\":\"ERROR\",\"message\":\"log line could not be written\"}";
        }
        return out.toString();
    }
}
