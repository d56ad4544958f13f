package dev.trailguard.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An in-memory {@link SdkHttpClient} for SnapStart priming: it reads the marshalled request and answers with a canned
 * success in the service's own protocol (JSON 1.1 for CloudTrail, SSM and Config, Query/XML for SNS). Nothing leaves the JVM,
 * so priming can run the real SDK pipeline (endpoint rules, signing, marshalling, unmarshalling) with no side effect.
 */
final class PrimingHttpClient implements SdkHttpClient {

    /** The trail that {@code DescribeTrails} reports; the priming events name it. */
    static final String TRAIL_NAME = "trailguard-priming";
    static final String ACCOUNT = "000000000000";
    /** The function role whose session starts the canned execution. */
    static final String FUNCTION_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/trailguard-priming-function";

    /** The declared baseline that {@code GetParameter} answers (a deployment-owned SSM parameter in production). */
    private static final String DECLARED_BASELINE = """
            {"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,
             "DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::trailguard-priming/"]}]}]}""";

    private final String region;

    PrimingHttpClient(String region) {
        this.region = region;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String body = "";
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                return response(answer(request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null), body));
            }

            @Override
            public void abort() {
                // Answers are immediate: nothing to abort.
            }
        };
    }

    /** A canned answer: its content type and body. */
    record Answer(String contentType, String body) {
    }

    /**
     * The answer to one marshalled request: by its {@code X-Amz-Target} for the JSON protocols, by the {@code Action}
     * in its body for SNS's Query protocol. {@link PrimingLoopback} serves the same answers over a socket.
     */
    Answer answer(String amzTarget, String body) {
        return amzTarget != null ? json(amzTarget.substring(amzTarget.lastIndexOf('.') + 1)) : query(body);
    }

    private Answer json(String operation) {
        String trailArn = "arn:aws:cloudtrail:" + region + ":" + ACCOUNT + ":trail/" + TRAIL_NAME;
        String body = switch (operation) {
            case "DescribeTrails" -> "{\"trailList\":[{\"Name\":\"" + TRAIL_NAME + "\",\"TrailARN\":\"" + trailArn
                    + "\",\"HomeRegion\":\"" + region + "\",\"IsMultiRegionTrail\":true,"
                    + "\"IsOrganizationTrail\":false,\"S3BucketName\":\"trailguard-priming\"}]}";
            case "GetTrailStatus" -> "{\"IsLogging\":false,\"StopLoggingTime\":1.7636469910E9}";
            case "StartAutomationExecution" -> "{\"AutomationExecutionId\":\"00000000-0000-4000-8000-000000000000\"}";
            case "GetAutomationExecution" -> "{\"AutomationExecution\":{\"AutomationExecutionId\":"
                    + "\"00000000-0000-4000-8000-000000000000\",\"DocumentName\":\"AWS-ConfigureCloudTrailLogging\","
                    + "\"AutomationExecutionStatus\":\"Failed\",\"FailureMessage\":\"priming\",\"Parameters\":{"
                    + "\"CloudTrailArn\":[\"" + trailArn + "\"],\"StartLogging\":[\"True\"],"
                    + "\"AutomationAssumeRole\":[\"arn:aws:iam::" + ACCOUNT + ":role/trailguard-priming\"]},"
                    + "\"ExecutedBy\":\"arn:aws:sts::" + ACCOUNT + ":assumed-role/trailguard-priming-function/p\"}}";
            case "DescribeAutomationExecutions" -> "{\"AutomationExecutionMetadataList\":[]}";
            // The declared baseline: selectors that record S3 data events, which the priming PutEventSelectors event
            // drops, so the restore path runs to its StartAutomationExecution.
            case "GetParameter" -> "{\"Parameter\":{\"Name\":" + quoted("/trailguard/baseline/" + TRAIL_NAME)
                    + ",\"Type\":\"String\",\"Version\":1,\"Value\":" + quoted(DECLARED_BASELINE) + "}}";
            // AWS Config's item from before the call: the settings the declared baseline leaves out.
            case "GetResourceConfigHistory" -> """
                    {"configurationItems":[{"version":"1.3","accountId":"%1$s","configurationItemCaptureTime":1.7636400E9,
                     "configurationItemStatus":"OK","configurationStateId":"1763640000000","arn":"%2$s",
                     "resourceType":"AWS::CloudTrail::Trail","resourceId":"%3$s","awsRegion":"%4$s",
                     "configuration":%5$s,"supplementaryConfiguration":{},"tags":{}}]}"""
                    .formatted(ACCOUNT, trailArn, TRAIL_NAME, region, quoted("""
                            {"name":"%s","s3BucketName":"trailguard-priming","isMultiRegionTrail":true,
                             "includeGlobalServiceEvents":true,"logFileValidationEnabled":true,"homeRegion":"%s",
                             "trailARN":"%s"}""".formatted(TRAIL_NAME, region, trailArn)));
            default -> "{}";
        };
        return new Answer("application/x-amz-json-1.1", body);
    }

    /** A JSON string literal holding {@code text} (a JSON document in a string field, as SSM and Config return). */
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }

    private static Answer query(String body) {
        String action = "Publish";
        for (String pair : body.split("&")) {
            if (pair.startsWith("Action=")) {
                action = pair.substring("Action=".length());
            }
        }
        String result = "Publish".equals(action) ? "<MessageId>00000000-0000-4000-8000-000000000000</MessageId>" : "";
        return new Answer("text/xml", "<" + action + "Response xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<" + action + "Result>" + result + "</" + action + "Result><ResponseMetadata><RequestId>"
                + "00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></" + action + "Response>");
    }

    private static HttpExecuteResponse response(Answer answer) {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
                .response(SdkHttpResponse.builder().statusCode(200)
                        .putHeader("Content-Type", answer.contentType())
                        .putHeader("Content-Length", Integer.toString(bytes.length))
                        .putHeader("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000")
                        .build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }

    @Override
    public String clientName() {
        return "TrailGuardPriming";
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
