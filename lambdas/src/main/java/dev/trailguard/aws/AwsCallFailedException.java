package dev.trailguard.aws;

import dev.trailguard.core.CallFailedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionLimitExceededException;

/** An AWS SDK call that failed after the SDK's retries: the error code and message are read from the SDK exception. */
public final class AwsCallFailedException extends CallFailedException {
    private static final long serialVersionUID = 1L;

    public AwsCallFailedException(String action, SdkException cause) {
        super(action, errorCode(cause), action + " failed: " + describe(cause), cause, capacityExhausted(cause));
    }

    /**
     * SSM refuses a start with {@code AutomationExecutionLimitExceededException} once the account's concurrent
     * executions and its queue are full; any service throttles with a throttling error code (which the SDK has
     * already retried by the time it reaches here).
     */
    private static boolean capacityExhausted(SdkException e) {
        return e instanceof AutomationExecutionLimitExceededException
                || e instanceof AwsServiceException ase && ase.isThrottlingException();
    }

    private static String errorCode(SdkException e) {
        return e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                ? ase.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
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
