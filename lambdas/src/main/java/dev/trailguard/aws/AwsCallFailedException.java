package dev.trailguard.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An AWS call that failed after the SDK's retries. Names the action (for example {@code ssm:StartAutomationExecution})
 * so that notifications and logs say exactly which call failed.
 */
public final class AwsCallFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String action;
    private final String errorCode;

    public AwsCallFailedException(String action, SdkException cause) {
        super(action + " failed: " + describe(cause), cause);
        this.action = action;
        this.errorCode = cause instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                ? ase.awsErrorDetails().errorCode() : cause.getClass().getSimpleName();
    }

    /** The IAM-style action name of the failed call. */
    public String action() {
        return action;
    }

    /** The AWS error code, or the SDK exception's class name for client-side failures. */
    public String errorCode() {
        return errorCode;
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            String message = ase.awsErrorDetails().errorMessage();
            return ase.awsErrorDetails().errorCode() + (message == null ? "" : " (" + message + ")");
        }
        // Client-side failures (timeouts, connection resets, missing credentials) carry their cause in the message.
        return e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
    }
}
