package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.notify.Integration;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.SecurityHubFinding;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Imports each notification into AWS Security Hub as an ASFF finding ({@link SecurityHubFinding}) with
 * {@code BatchImportFindings}, for the account's default product in the function's region.
 *
 * <p>The SDK's Security Hub module is 9 MB, most of it models of the hundreds of resource types ASFF describes; this
 * one call is made here with the SDK's own HTTP client and SigV4 signer ({@code securityhub}) through
 * {@link SignedCalls}, as for Organizations, KMS and S3: {@code POST /findings/import}, REST-JSON. A throttled,
 * 5xx or unreachable attempt is tried once more; a finding the service refuses ({@code FailedCount} above zero, with
 * HTTP 200) is a failure like any other, an {@link AwsCallFailedException} that names the call.
 */
public final class SecurityHubImporter implements Integration {

    static final String ACTION = "securityhub:BatchImportFindings";
    private static final int ATTEMPTS = 2;

    private final SignedCalls signed;
    private final URI endpoint;
    private final String region;
    private final String account;
    private final String productArn;
    private final SecurityHubFinding findings;
    private final ObjectMapper json;
    private final Clock clock;

    /**
     * @param http        the HTTP client to send with
     * @param credentials the function's credentials
     * @param partition   {@code aws}, {@code aws-cn} or {@code aws-us-gov}
     * @param region      the function's region: where the finding is imported
     * @param account     the function's account: the default product's and the finding's {@code AwsAccountId}
     * @param override    another endpoint (tests, {@code AWS_ENDPOINT_URL}), or null for the region's
     * @param json        the mapper
     */
    public SecurityHubImporter(SdkHttpClient http, AwsCredentialsProvider credentials, String partition, String region,
                               String account, URI override, ObjectMapper json) {
        this(http, credentials, partition, region, account, override, json, Clock.systemUTC());
    }

    SecurityHubImporter(SdkHttpClient http, AwsCredentialsProvider credentials, String partition, String region,
                        String account, URI override, ObjectMapper json, Clock clock) {
        // One retry without back-off: the integrations share one wait of at most 15 s before the SNS publish.
        this.signed = new SignedCalls(http, credentials, 0, ATTEMPTS);
        this.region = region;
        this.account = account;
        this.productArn = productArn(partition, region, account);
        this.endpoint = override != null ? override : URI.create("https://securityhub." + region
                + (partition.equals("aws-cn") ? ".amazonaws.com.cn" : ".amazonaws.com"));
        this.findings = new SecurityHubFinding(json);
        this.json = json;
        this.clock = clock;
    }

    /** The default product of an account: the only product ARN TrailGuard's role may import to. */
    public static String productArn(String partition, String region, String account) {
        return "arn:" + partition + ":securityhub:" + region + ":" + account + ":product/" + account + "/default";
    }

    @Override
    public String name() {
        return "Security Hub";
    }

    @Override
    public void deliver(Notification notification) {
        ObjectNode body = json.createObjectNode();
        body.putArray("Findings").add(findings.finding(notification, productArn, account, region, clock.instant()));
        JsonNode answer = call(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (answer.path("FailedCount").asInt(0) > 0) {
            JsonNode failed = answer.path("FailedFindings").path(0);
            throw failure(failed.path("ErrorCode").asText("FailedFinding"), failed.path("ErrorMessage").asText(""));
        }
    }

    private JsonNode call(byte[] payload) {
        byte[] answer = signed.send(new SignedCalls.Call(ACTION, "securityhub", region, SdkHttpMethod.POST, endpoint,
                "/findings/import", java.util.Map.of(), java.util.Map.of("Content-Type", "application/json"), payload),
                SignedCalls::jsonError);
        try {
            return answer.length == 0 ? json.createObjectNode() : json.readTree(answer);
        } catch (IOException e) {
            // A 200 whose body cannot be read names no refused finding.
            return json.createObjectNode();
        }
    }

    private static AwsCallFailedException failure(String code, String message) {
        return new AwsCallFailedException(ACTION, software.amazon.awssdk.awscore.exception.AwsServiceException
                .builder().awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode(code).errorMessage(message).build()).message(code + ": " + message).build());
    }
}
