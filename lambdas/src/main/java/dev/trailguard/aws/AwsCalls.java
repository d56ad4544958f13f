package dev.trailguard.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** Runs one SDK call and turns a failure (after the SDK's own retries) into an {@link AwsCallFailedException}. */
public final class AwsCalls {

    private AwsCalls() {
    }

    public static <T> T call(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new AwsCallFailedException(action, e);
        }
    }
}
