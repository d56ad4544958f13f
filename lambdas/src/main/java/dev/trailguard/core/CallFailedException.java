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
    private final boolean capacityExhausted;

    protected CallFailedException(String action, String errorCode, String message, Throwable cause) {
        this(action, errorCode, message, cause, false);
    }

    /**
     * @param capacityExhausted true if the service refused for capacity, not for the request: a quota of concurrent
     *                          work reached, or throttling that outlasted the retries
     */
    protected CallFailedException(String action, String errorCode, String message, Throwable cause,
                                  boolean capacityExhausted) {
        super(message, cause);
        this.action = action;
        this.errorCode = errorCode;
        this.capacityExhausted = capacityExhausted;
    }

    /** The IAM-style action name of the failed call. */
    public String action() {
        return action;
    }

    /** The error code of the service, or the class name of a client-side failure. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * True if the call was refused for capacity (for example SSM's {@code AutomationExecutionLimitExceededException}
     * when the account's automation queue is full, or throttling that outlasted the retries): the same call would have
     * succeeded in a quieter account, and something that does not need that capacity may still work.
     */
    public boolean capacityExhausted() {
        return capacityExhausted;
    }
}
