package dev.trailguard.priming;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.TrailGuardConfig;

/** A Lambda function that SnapStart priming can run: a stream handler with a name. */
public interface Primable extends RequestStreamHandler {

    /** The function's name: its priming events are {@code priming/<name>.json}. */
    String name();

    /** Builds a function's priming twin: the same code, wired to the given configuration and clients. */
    @FunctionalInterface
    interface Twins {

        /** The twin, or null where the function has none (then it is not primed). */
        Primable twin(TrailGuardConfig config, AwsClients clients);
    }
}
