package dev.trailguard.trail;

/** A trail name or ARN from an event that CloudTrail's naming rules reject. */
public final class InvalidTrailReferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidTrailReferenceException(String message) {
        super(message);
    }
}
