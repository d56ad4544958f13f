package dev.trailguard.remediation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Port: the safe, reversible repairs of a trail's delivery path, each one call in the resource's region. Every method
 * throws {@link dev.trailguard.core.CallFailedException} when AWS refuses or cannot be reached.
 */
public interface DeliveryRepairs {

    /** {@code kms:CancelKeyDeletion}: the key stays, but disabled (enable it next). */
    void cancelKeyDeletion(String keyId, String region);

    /** {@code kms:EnableKey}. */
    void enableKey(String keyId, String region);

    /** {@code s3:PutBucketPolicy} with a declared policy document (JSON text). */
    void putBucketPolicy(String bucket, String region, String policy);

    /** {@code s3:PutBucketLifecycleConfiguration} with a declared configuration ({@code {"Rules": [...]}}). */
    void putBucketLifecycle(String bucket, String region, JsonNode lifecycle);

    /** {@code cloudtrail:StartEventDataStoreIngestion}. */
    void startIngestion(String eventDataStore, String region);

    /** {@code cloudtrail:RestoreEventDataStore}: brings back a store deleted less than seven days ago. */
    void restoreEventDataStore(String eventDataStore, String region);

    /** {@code config:StartConfigurationRecorder}. */
    void startRecorder(String recorderName, String region);

    /** True if the repairs only say what they would do (local invoke with {@code --dry-run}). */
    default boolean dryRun() {
        return false;
    }

    /** No repairs here (offline use): every repair is reported as not made. */
    static DeliveryRepairs none() {
        return new DeliveryRepairs() {
            @Override
            public void cancelKeyDeletion(String keyId, String region) {
                throw unsupported();
            }

            @Override
            public void enableKey(String keyId, String region) {
                throw unsupported();
            }

            @Override
            public void putBucketPolicy(String bucket, String region, String policy) {
                throw unsupported();
            }

            @Override
            public void putBucketLifecycle(String bucket, String region, JsonNode lifecycle) {
                throw unsupported();
            }

            @Override
            public void startIngestion(String eventDataStore, String region) {
                throw unsupported();
            }

            @Override
            public void restoreEventDataStore(String eventDataStore, String region) {
                throw unsupported();
            }

            @Override
            public void startRecorder(String recorderName, String region) {
                throw unsupported();
            }

            private UnsupportedOperationException unsupported() {
                return new UnsupportedOperationException("repairs are not configured here");
            }
        };
    }
}
