package dev.trailguard.core;

/**
 * A call to a port (an AWS API behind an adapter) that failed after the adapter's own retries. Names the action (for
 * example {@code ssm:StartAutomationExecution}) and the error code, so that notifications and logs say exactly which
 * call failed. The feature code catches this type; the adapters throw their subclass.
 */
public class CallFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String action;
    private final String errorCode;

    protected CallFailedException(String action, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.action = action;
        this.errorCode = errorCode;
    }

    /** The IAM-style action name of the failed call. */
    public String action() {
        return action;
    }

    /** The error code of the service, or the class name of a client-side failure. */
    public String errorCode() {
        return errorCode;
    }
}
