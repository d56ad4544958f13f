package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Baselines shared by the restore tests. */
public final class RestoreFixtures {

    public static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    public static final TrailId TRAIL = new TrailId(TRAIL_ARN, "management-events", "us-east-1");
    public static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    public static final String KMS = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    public static final String DECLARED = """
            {"Trail": {"Name": "management-events", "S3BucketName": "org-audit-logs", "S3KeyPrefix": "ct",
              "IncludeGlobalServiceEvents": true, "IsMultiRegionTrail": true, "HomeRegion": "us-east-1",
              "TrailARN": "%s", "LogFileValidationEnabled": true, "KmsKeyId": "%s",
              "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail:*",
              "CloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/CloudTrail-CloudWatchLogs",
              "IsOrganizationTrail": false},
             "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true,
               "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::payroll-data/"]},
                                 {"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}],
               "ExcludeManagementEventSources": []}],
             "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}
            """.formatted(TRAIL_ARN, KMS);

    public static final String DECLARED_ADVANCED = """
            {"AdvancedEventSelectors": [
              {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
              {"Name": "S3 payroll reads and writes", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::payroll-data/"]}]}]}
            """;

    private RestoreFixtures() {
    }

    public static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Baseline fullBaseline() {
        return Baseline.declared(json(DECLARED), "declared baseline /trailguard/baseline/management-events");
    }

    public static Baseline advancedBaseline() {
        return Baseline.declared(json(DECLARED_ADVANCED), "declared baseline");
    }
}
