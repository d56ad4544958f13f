package dev.trailguard.contract;

import java.util.List;

/**
 * Calls that blind CloudTrail without touching a trail: they break delivery to the trails' S3 buckets and KMS keys,
 * stop or shrink a CloudTrail Lake event data store, or stop AWS Config from recording trails (TrailGuard's baseline
 * source). The delivery rule forwards them to the TamperResponder; the SCP denies the bucket, key and Lake calls on
 * the named log buckets, keys and event data stores.
 */
public final class DeliveryCalls {

    public static final String S3_SOURCE = "aws.s3";
    public static final String KMS_SOURCE = "aws.kms";

    /**
     * S3 bucket-level management calls, as {@code detail.eventName}. CloudTrail records the API's
     * PutBucketLifecycleConfiguration as {@code PutBucketLifecycle}; both names are listed.
     */
    public static final List<String> S3 = List.of("PutBucketPolicy", "DeleteBucketPolicy", "PutBucketLifecycle",
            "PutBucketLifecycleConfiguration", "DeleteBucket", "PutBucketVersioning");
    /** KMS calls that stop CloudTrail from encrypting with a trail's key. */
    public static final List<String> KMS = List.of("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy");
    /** CloudTrail Lake calls that stop, delete or shrink an event data store ({@code cloudtrail.amazonaws.com}). */
    public static final List<String> LAKE = List.of("StopEventDataStoreIngestion", "DeleteEventDataStore",
            "UpdateEventDataStore");
    /** AWS Config calls that stop recording trails. */
    public static final List<String> RECORDER = List.of("PutConfigurationRecorder", "StopConfigurationRecorder");

    /** The IAM actions the SCP denies on the named log buckets (PutBucketLifecycle is s3:PutLifecycleConfiguration). */
    public static final List<String> S3_ACTIONS = List.of("s3:PutBucketPolicy", "s3:DeleteBucketPolicy",
            "s3:PutLifecycleConfiguration", "s3:DeleteBucket", "s3:PutBucketVersioning");
    /** The IAM actions the SCP denies on the named trail keys. */
    public static final List<String> KMS_ACTIONS = List.of("kms:DisableKey", "kms:ScheduleKeyDeletion",
            "kms:PutKeyPolicy");
    /** The IAM actions the SCP denies on the named event data stores. */
    public static final List<String> LAKE_ACTIONS = List.of("cloudtrail:StopEventDataStoreIngestion",
            "cloudtrail:DeleteEventDataStore", "cloudtrail:UpdateEventDataStore");

    private DeliveryCalls() {
    }
}
