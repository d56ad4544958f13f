package dev.trailguard.event;

/** An event that TrailGuard cannot act on: not JSON, the wrong shape, or missing what the handler needs. */
public final class UnreadableEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String eventId;

    public UnreadableEventException(String reason, String eventId) {
        super(reason);
        this.eventId = eventId;
    }

    public UnreadableEventException(String reason, String eventId, Throwable cause) {
        super(reason, cause);
        this.eventId = eventId;
    }

    /** The best event id that could be read (CloudTrail's eventID, else EventBridge's id), or "unknown". */
    public String eventId() {
        return eventId == null || eventId.isBlank() ? "unknown" : eventId;
    }
}
