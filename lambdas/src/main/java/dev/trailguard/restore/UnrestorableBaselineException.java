package dev.trailguard.restore;

/** A baseline that the runbook cannot be given (for example a selector longer than SSM's 512-character limit). */
public final class UnrestorableBaselineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnrestorableBaselineException(String message) {
        super(message);
    }
}
