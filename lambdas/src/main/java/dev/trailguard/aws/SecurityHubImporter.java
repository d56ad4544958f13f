package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.notify.Integration;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.SecurityHubFinding;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Imports each notification into AWS Security Hub as an ASFF finding ({@link SecurityHubFinding}) with
 * {@code BatchImportFindings}, for the account's default product in the function's region.
 *
 * <p>The SDK's Security Hub module is 9 MB, most of it models of the hundreds of resource types ASFF describes; this
 * one call is made here with the SDK's own HTTP client and SigV4 signer ({@code securityhub}), as
 * {@link OrganizationsAccountDirectory} does for Organizations: {@code POST /findings/import}, REST-JSON. A throttled,
 * 5xx or unreachable attempt is tried once more; a finding the service refuses ({@code FailedCount} above zero, with
 * HTTP 200) is a failure like any other, an {@link AwsCallFailedException} that names the call.
 */
public final class SecurityHubImporter implements Integration {

    static final String ACTION = "securityhub:BatchImportFindings";
    private static final int ATTEMPTS = 2;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
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
        this.http = http;
        this.credentials = credentials;
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
        AwsCallFailedException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return send(payload);
            } catch (Retryable e) {
                last = e.failure;
            }
        }
        throw last;
    }

    private JsonNode send(byte[] payload) {
        try {
            String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
            SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                    .encodedPath(base + "/findings/import")
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Content-Length", Integer.toString(payload.length))
                    .build();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "securityhub")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(ContentStreamProvider.fromByteArray(payload)))
                    .build()).call();
            byte[] answer;
            try (InputStream in = response.responseBody().orElse(null)) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            int status = response.httpResponse().statusCode();
            JsonNode tree = answer.length == 0 ? json.createObjectNode() : readOrEmpty(answer);
            if (!response.httpResponse().isSuccessful()) {
                Optional<String> header = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType");
                String type = header.map(h -> h.split(":", 2)[0])
                        .orElse(tree.path("__type").asText(tree.path("Code").asText("HTTP " + status)));
                AwsCallFailedException failure = failure(type.substring(type.lastIndexOf('#') + 1),
                        tree.path("Message").asText(tree.path("message").asText("")));
                if (status == 429 || status >= 500) {
                    throw new Retryable(failure);
                }
                throw failure;
            }
            return tree;
        } catch (IOException e) {
            throw new Retryable(new AwsCallFailedException(ACTION, SdkClientException.builder()
                    .message(e.toString()).cause(e).build()));
        } catch (SdkException e) {
            throw new Retryable(new AwsCallFailedException(ACTION, e));
        }
    }

    private JsonNode readOrEmpty(byte[] answer) {
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static AwsCallFailedException failure(String code, String message) {
        return new AwsCallFailedException(ACTION, software.amazon.awssdk.awscore.exception.AwsServiceException
                .builder().awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode(code).errorMessage(message).build()).message(code + ": " + message).build());
    }

    /** A failure worth one more attempt: throttling, a server error, or no answer. */
    private static final class Retryable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient AwsCallFailedException failure;

        Retryable(AwsCallFailedException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
