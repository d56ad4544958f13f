package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of a trail that {@code CreateTrail} and {@code UpdateTrail} set. A null text means "not set".
 *
 * @param s3BucketName               the log bucket
 * @param s3KeyPrefix                the key prefix in the bucket
 * @param multiRegion                whether the trail records every region
 * @param includeGlobalServiceEvents whether it records global services (IAM, STS, ...)
 * @param logFileValidation          whether digest files are written
 * @param kmsKeyId                   the KMS key that encrypts the log files
 * @param cloudWatchLogsLogGroupArn  the CloudWatch Logs group that receives the events
 * @param cloudWatchLogsRoleArn      the role CloudTrail assumes to write to it
 * @param snsTopic                   the topic notified of each log file delivery (ARN or name)
 * @param organization               whether it is an organization trail
 */
public record TrailSettings(String s3BucketName, String s3KeyPrefix, boolean multiRegion,
                            boolean includeGlobalServiceEvents, boolean logFileValidation, String kmsKeyId,
                            String cloudWatchLogsLogGroupArn, String cloudWatchLogsRoleArn, String snsTopic,
                            boolean organization) {

    /** Reads settings from a trail description: a Config item's {@code configuration} or GetTrail's {@code Trail}. */
    public static TrailSettings fromDescription(JsonNode trail) {
        String topic = Fields.text(trail, "snsTopicARN");
        return new TrailSettings(
                Fields.text(trail, "s3BucketName"),
                Fields.text(trail, "s3KeyPrefix"),
                Fields.bool(trail, "isMultiRegionTrail", false),
                Fields.bool(trail, "includeGlobalServiceEvents", true),
                Fields.bool(trail, "logFileValidationEnabled", false),
                Fields.text(trail, "kmsKeyId"),
                Fields.text(trail, "cloudWatchLogsLogGroupArn"),
                Fields.text(trail, "cloudWatchLogsRoleArn"),
                topic != null ? topic : Fields.text(trail, "snsTopicName"),
                Fields.bool(trail, "isOrganizationTrail", false));
    }

    /**
     * The settings after an {@code UpdateTrail} with these request parameters: every parameter present replaces the
     * setting, an empty string removes it (as CloudTrail does), an absent one leaves it as it was.
     */
    public TrailSettings afterUpdate(JsonNode params) {
        return new TrailSettings(
                replace(params, "s3BucketName", s3BucketName),
                replace(params, "s3KeyPrefix", s3KeyPrefix),
                Fields.bool(params, "isMultiRegionTrail", multiRegion),
                Fields.bool(params, "includeGlobalServiceEvents", includeGlobalServiceEvents),
                Fields.bool(params, "enableLogFileValidation", logFileValidation),
                replace(params, "kmsKeyId", kmsKeyId),
                replace(params, "cloudWatchLogsLogGroupArn", cloudWatchLogsLogGroupArn),
                replace(params, "cloudWatchLogsRoleArn", cloudWatchLogsRoleArn),
                replace(params, "snsTopicName", snsTopic),
                Fields.bool(params, "isOrganizationTrail", organization));
    }

    /** The settings by their UpdateTrail parameter names, in a stable order, for diffs and notifications. */
    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("S3BucketName", s3BucketName);
        out.put("S3KeyPrefix", s3KeyPrefix);
        out.put("IsMultiRegionTrail", String.valueOf(multiRegion));
        out.put("IncludeGlobalServiceEvents", String.valueOf(includeGlobalServiceEvents));
        out.put("EnableLogFileValidation", String.valueOf(logFileValidation));
        out.put("KmsKeyId", kmsKeyId);
        out.put("CloudWatchLogsLogGroupArn", cloudWatchLogsLogGroupArn);
        out.put("CloudWatchLogsRoleArn", cloudWatchLogsRoleArn);
        out.put("SnsTopicName", snsTopic);
        out.put("IsOrganizationTrail", String.valueOf(organization));
        return out;
    }

    private static String replace(JsonNode params, String field, String current) {
        return Fields.has(params, field) ? Fields.text(params, field) : current;
    }
}
