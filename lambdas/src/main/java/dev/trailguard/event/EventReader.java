package dev.trailguard.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Turns raw event bytes into TrailGuard's records: tolerant of fields AWS adds, strict about the fields it needs.
 * Duplicate keys are rejected, so an event cannot say one thing to a log reader and another to the handler.
 */
public final class EventReader {

    /** Bounds on what we accept from an event before it reaches any AWS call or notification. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /**
     * One mapper for the process: it is immutable once built and thread-safe, and Jackson caches what it learns about
     * each type (the records' deserializers, the serializers) per MAPPER. Sharing it is what lets SnapStart priming,
     * which runs on a twin of the function, leave those caches warm for the real function: with a mapper per reader,
     * the first real event spent tens of milliseconds introspecting the event records again.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
            .build();

    /** The shared, configured mapper (thread-safe; never reconfigure it). */
    public ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses the EventBridge envelope; the envelope's {@code id} is the event id reported on failure. */
    public EventEnvelope envelope(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw new UnreadableEventException("empty event", null);
        }
        if (raw.length > MAX_EVENT_BYTES) {
            throw new UnreadableEventException("event larger than " + MAX_EVENT_BYTES + " bytes", null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new UnreadableEventException("not valid JSON: " + shortReason(e), null, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new UnreadableEventException("not a JSON object", null);
        }
        String id = tree.path("id").isTextual() ? tree.get("id").textValue() : null;
        try {
            return MAPPER.treeToValue(tree, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("not an EventBridge event: " + shortReason(e), safeId(id), e);
        }
    }

    /** Reads the CloudTrail record from an {@code AWS API Call via CloudTrail} envelope, checking what we need. */
    public CloudTrailRecord cloudTrailRecord(EventEnvelope envelope) {
        String fallbackId = safeId(envelope.id());
        JsonNode detail = envelope.detail();
        if (detail == null || !detail.isObject()) {
            throw new UnreadableEventException("event has no detail object", fallbackId);
        }
        CloudTrailRecord record;
        try {
            record = MAPPER.treeToValue(detail, CloudTrailRecord.class);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("detail is not a CloudTrail record: " + shortReason(e), fallbackId, e);
        }
        String eventId = safeId(record.eventId());
        String id = eventId != null ? eventId : fallbackId;
        require(record.eventName(), "detail.eventName", id);
        require(record.eventSource(), "detail.eventSource", id);
        require(record.eventTime(), "detail.eventTime", id);
        if (eventId == null) {
            throw new UnreadableEventException("detail.eventID is missing or malformed", fallbackId);
        }
        if (record.userIdentity() == null) {
            throw new UnreadableEventException("detail.userIdentity is missing", id);
        }
        return record;
    }

    private static void require(String value, String field, String id) {
        if (value == null || value.isBlank()) {
            throw new UnreadableEventException(field + " is missing", id);
        }
    }

    /** An id we are willing to log and put in a notification, or null. */
    static String safeId(String id) {
        return id != null && EVENT_ID.matcher(id).matches() ? id : null;
    }

    private static String shortReason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
