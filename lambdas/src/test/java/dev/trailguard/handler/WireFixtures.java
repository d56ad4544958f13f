package dev.trailguard.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.config.TrailGuardConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Recorded-shape AWS responses (field names and types as the services send them) shared by the wire tests. */
final class WireFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String ACCOUNT = "111122223333";
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:trailguard-notifications";
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    /** The TamperResponder's role: the ExecutedBy of the executions below is a session of it. */
    static final String FUNCTION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole";
    static final String MAIN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    static final String DELIVERY = "arn:aws:cloudtrail:us-east-1:111122223333:trail/data-events";
    static final String ORG = "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail";
    static final String SHADOW = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-security";

    private WireFixtures() {
    }

    static TrailGuardConfig config(List<String> guarded) {
        return new TrailGuardConfig(TOPIC, ROLE, Set.of(), guarded,
                Set.of("trailguard-cloudtrail-enabled", "trailguard-multi-region-cloudtrail-enabled"),
                Set.of(FUNCTION_ROLE));
    }

    /**
     * DescribeTrails (includeShadowTrails) from a member account in us-east-1: its own trails, the organization's
     * trail (owned by the management account, a shadow here) and its own multi-region trail homed in eu-west-1.
     */
    static final String DESCRIBE_TRAILS = """
            {"trailList":[
              {"Name":"management-events","S3BucketName":"aws-cloudtrail-logs-111122223333-3f1a","IncludeGlobalServiceEvents":true,
               "IsMultiRegionTrail":true,"HomeRegion":"us-east-1","TrailARN":"%s","LogFileValidationEnabled":true,
               "HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":false},
              {"Name":"org-trail","S3BucketName":"org-cloudtrail-999988887777","IncludeGlobalServiceEvents":true,
               "IsMultiRegionTrail":true,"HomeRegion":"us-east-1","TrailARN":"%s","LogFileValidationEnabled":true,
               "HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":true},
              {"Name":"eu-security","S3BucketName":"eu-security-logs-111122223333","IncludeGlobalServiceEvents":true,
               "IsMultiRegionTrail":true,"HomeRegion":"eu-west-1","TrailARN":"%s","LogFileValidationEnabled":true,
               "HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":false},
              {"Name":"data-events","S3BucketName":"data-events-111122223333","IncludeGlobalServiceEvents":false,
               "IsMultiRegionTrail":false,"HomeRegion":"us-east-1","TrailARN":"%s","LogFileValidationEnabled":true,
               "KmsKeyId":"arn:aws:kms:us-east-1:111122223333:key/2f8c1b6e-1d5a-4f0e-9b7a-5c3d2e1f0a9b",
               "HasCustomEventSelectors":true,"HasInsightSelectors":false,"IsOrganizationTrail":false}
            ]}""".formatted(MAIN, ORG, SHADOW, DELIVERY);

    /** GetTrailStatus of a trail stopped at the given epoch second. */
    static String stopped(long stoppedAt) {
        return """
                {"IsLogging":false,"LatestDeliveryTime":%d.512,"StartLoggingTime":1793523600.0,
                 "StopLoggingTime":%d.0,"LatestDeliveryAttemptTime":"2026-11-20T13:54:12Z",
                 "LatestDeliveryAttemptSucceeded":"2026-11-20T13:54:12Z","TimeLoggingStarted":"2026-11-01T09:00:00Z",
                 "TimeLoggingStopped":"2026-11-20T13:55:00Z"}""".formatted(stoppedAt - 300, stoppedAt);
    }

    /** GetTrailStatus of a logging trail whose deliveries to S3 fail. */
    static final String DELIVERY_ERROR = """
            {"IsLogging":true,"LatestDeliveryError":"AccessDenied","LatestDeliveryTime":1795150000.0,
             "StartLoggingTime":1793523600.0,"LatestDeliveryAttemptTime":"2026-11-20T13:59:40Z",
             "LatestDeliveryAttemptSucceeded":"2026-11-20T04:46:40Z","TimeLoggingStarted":"2026-11-01T09:00:00Z"}""";

    /** GetTrailStatus of a logging trail, restarted at 14:03:18 after a stop at 14:02:30. */
    static final String RESTARTED = """
            {"IsLogging":true,"LatestDeliveryTime":1795183420.0,"StartLoggingTime":1795183398.0,
             "StopLoggingTime":1795183350.0,"TimeLoggingStarted":"2026-11-20T14:03:18Z",
             "TimeLoggingStopped":"2026-11-20T14:02:30Z"}""";

    static final String HEALTHY = """
            {"IsLogging":true,"LatestDeliveryTime":1795183420.0,"StartLoggingTime":1793523600.0,
             "TimeLoggingStarted":"2026-11-01T09:00:00Z"}""";

    /** The declared baseline of management-events, as GetParameter returns it: settings, selectors, Insights. */
    static final String DECLARED_BASELINE = declaredBaseline(true);

    /** The declared baseline of management-events; without settings, AWS Config's history provides them. */
    static String declaredBaseline(boolean withSettings) {
        ObjectNode value = JSON.createObjectNode();
        if (withSettings) {
            value.putObject("Trail").put("Name", "management-events")
                    .put("S3BucketName", "aws-cloudtrail-logs-111122223333-3f1a")
                    .put("IncludeGlobalServiceEvents", true).put("IsMultiRegionTrail", true)
                    .put("LogFileValidationEnabled", true);
        }
        value.putArray("EventSelectors").addObject().put("ReadWriteType", "All").put("IncludeManagementEvents", true)
                .putArray("DataResources").addObject().put("Type", "AWS::S3::Object")
                .putArray("Values").add("arn:aws:s3:::payroll-data/");
        value.putArray("InsightSelectors").addObject().put("InsightType", "ApiCallRateInsight");
        ObjectNode parameter = JSON.createObjectNode();
        parameter.putObject("Parameter").put("Name", "/trailguard/baseline/management-events").put("Type", "String")
                .put("Value", value.toString()).put("Version", 3);
        return parameter.toString();
    }

    /** GetTrail of management-events as its declared baseline has it; {@code bucket} replaces its log bucket. */
    static String getTrail(String bucket) {
        return """
                {"Trail":{"Name":"management-events","S3BucketName":"%s","IncludeGlobalServiceEvents":true,
                 "IsMultiRegionTrail":true,"HomeRegion":"us-east-1","TrailARN":"%s","LogFileValidationEnabled":true,
                 "HasCustomEventSelectors":true,"HasInsightSelectors":true,"IsOrganizationTrail":false}}"""
                .formatted(bucket, MAIN);
    }

    static final String GET_EVENT_SELECTORS = """
            {"TrailARN":"%s","EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,
             "DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::payroll-data/"]}],
             "ExcludeManagementEventSources":[]}]}""".formatted(MAIN);

    static final String GET_INSIGHT_SELECTORS = """
            {"TrailARN":"%s","InsightSelectors":[{"InsightType":"ApiCallRateInsight"}]}""".formatted(MAIN);

    /** GetAutomationExecution of an AWS-ConfigureCloudTrailLogging execution. */
    static String execution(String id, String status, String role, String failureMessage) {
        String failure = failureMessage == null ? "" : ",\"FailureMessage\":\"" + failureMessage + "\"";
        return """
                {"AutomationExecution":{"AutomationExecutionId":"%s","DocumentName":"AWS-ConfigureCloudTrailLogging",
                 "DocumentVersion":"1","ExecutionStartTime":1795183393.0,"ExecutionEndTime":1795183399.0,
                 "AutomationExecutionStatus":"%s","StepExecutions":[],"StepExecutionsTruncated":false,
                 "Parameters":{"AutomationAssumeRole":["%s"],"CloudTrailArn":["%s"],"StartLogging":["True"]},
                 "Outputs":{},"Mode":"Auto",
                 "ExecutedBy":"arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/TamperResponder",
                 "Targets":[],"ResolvedTargets":{"ParameterValues":[],"Truncated":false},
                 "ProgressCounters":{"TotalSteps":1,"SuccessSteps":0,"FailedSteps":0,"CancelledSteps":0,
                 "TimedOutSteps":0}%s}}""".formatted(id, status, role, MAIN, failure);
    }

    /**
     * GetAutomationExecution of one of TrailGuard's own runbooks, as SSM returns it: the parameters it was started
     * with and, when {@code failedStep} is given, a successful first step followed by that step failed with the
     * failure message.
     */
    static String runbookExecution(String id, String document, String status, Map<String, String> parameters,
                                   String failureMessage, String failedStep) {
        ObjectNode execution = JSON.createObjectNode();
        execution.put("AutomationExecutionId", id).put("DocumentName", document).put("DocumentVersion", "1")
                .put("ExecutionStartTime", 1795183393.0).put("ExecutionEndTime", 1795183399.0)
                .put("AutomationExecutionStatus", status);
        ArrayNode steps = execution.putArray("StepExecutions");
        if (failedStep != null) {
            steps.addObject().put("StepName", "chooseSettings").put("Action", "aws:branch")
                    .put("ExecutionStartTime", 1795183394.0).put("ExecutionEndTime", 1795183394.5)
                    .put("StepStatus", "Success").put("StepExecutionId", "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a");
            steps.addObject().put("StepName", failedStep).put("Action", "aws:executeAwsApi")
                    .put("ExecutionStartTime", 1795183395.0).put("ExecutionEndTime", 1795183396.0)
                    .put("StepStatus", "Failed").put("FailureMessage", failureMessage)
                    .put("StepExecutionId", "1e2f3a4b-5c6d-4e7f-9a8b-9c0d1e2f3a4b")
                    .putObject("FailureDetails").put("FailureStage", "Executing").put("FailureType", "Verification");
        }
        execution.put("StepExecutionsTruncated", false);
        ObjectNode params = execution.putObject("Parameters");
        parameters.forEach((name, value) -> params.putArray(name).add(value));
        execution.putObject("Outputs");
        execution.put("Mode", "Auto")
                .put("ExecutedBy", "arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/TamperResponder");
        if (failureMessage != null) {
            execution.put("FailureMessage", failureMessage);
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("AutomationExecution", execution);
        return root.toString();
    }
}
