package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a declared baseline holds about a trail's bucket: its policy and lifecycle, in the shapes {@code aws s3api
 * get-bucket-policy} ({@code Policy}, the document) and {@code get-bucket-lifecycle-configuration} ({@code Rules})
 * print. Only these are ever written back to a bucket: a policy or lifecycle seen in an event is never trusted.
 *
 * @param source          where it was declared, for the notification
 * @param bucketPolicy    the bucket policy document (JSON text), if declared
 * @param bucketLifecycle the lifecycle configuration ({@code {"Rules": [...]}}), if declared
 */
public record DeclaredDelivery(String source, Optional<String> bucketPolicy, Optional<JsonNode> bucketLifecycle) {

    /** Nothing declared. */
    public static DeclaredDelivery none() {
        return new DeclaredDelivery(null, Optional.empty(), Optional.empty());
    }

    /** Port: the declared bucket policy and lifecycle of a trail's bucket, by trail name. */
    @FunctionalInterface
    public interface Source {

        /**
         * @throws dev.trailguard.core.CallFailedException if the declaration could not be read
         */
        DeclaredDelivery forTrail(String trailName);

        /** Nothing is ever declared. */
        static Source none() {
            return trail -> DeclaredDelivery.none();
        }
    }
}
