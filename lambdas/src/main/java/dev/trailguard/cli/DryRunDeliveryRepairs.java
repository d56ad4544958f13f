package dev.trailguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.remediation.DeliveryRepairs;

/** Changes nothing: the delivery response reports what it would repair ({@code WOULD_REPAIR}). */
final class DryRunDeliveryRepairs implements DeliveryRepairs {

    @Override
    public void cancelKeyDeletion(String keyId, String region) {
    }

    @Override
    public void enableKey(String keyId, String region) {
    }

    @Override
    public void putBucketPolicy(String bucket, String region, String policy) {
    }

    @Override
    public void putBucketLifecycle(String bucket, String region, JsonNode lifecycle) {
    }

    @Override
    public void startIngestion(String eventDataStore, String region) {
    }

    @Override
    public void restoreEventDataStore(String eventDataStore, String region) {
    }

    @Override
    public void startRecorder(String recorderName, String region) {
    }

    @Override
    public boolean dryRun() {
        return true;
    }
}
