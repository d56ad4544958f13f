package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.notify.AccountDirectory;
import dev.trailguard.notify.Notification;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
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
 * An account's name ({@code organizations:DescribeAccount}) and parent ({@code organizations:ListParents}), from the
 * organization hub (a delegated administrator may read Organizations), kept for an hour per account.
 *
 * <p>The AWS SDK's Organizations module is not available to this build, so the two calls are made here with the
 * SDK's own pieces: its HTTP client, its SigV4 signer ({@code organizations}, signed for the partition's
 * Organizations region) and the function's credentials. Both are JSON 1.1 calls to the global endpoint; a failure
 * is an {@link AwsCallFailedException} naming the call, and the caller publishes without the name.
 */
public final class OrganizationsAccountDirectory implements AccountDirectory {

    static final Duration KEEP = Duration.ofHours(1);
    private static final String TARGET = "AWSOrganizationsV20161128.";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingRegion;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Notification.AccountContext> context, Instant until) { }

    /**
     * @param http        the HTTP client to send with
     * @param credentials the function's credentials
     * @param partition   {@code aws}, {@code aws-cn} or {@code aws-us-gov}
     * @param override    another endpoint (tests, {@code AWS_ENDPOINT_URL}), or null for the partition's
     */
    public OrganizationsAccountDirectory(SdkHttpClient http, AwsCredentialsProvider credentials, String partition,
                                         URI override) {
        this(http, credentials, partition, override, Clock.systemUTC());
    }

    OrganizationsAccountDirectory(SdkHttpClient http, AwsCredentialsProvider credentials, String partition,
                                  URI override, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.signingRegion = switch (partition) {
            case "aws-cn" -> "cn-northwest-1";
            case "aws-us-gov" -> "us-gov-west-1";
            default -> "us-east-1";
        };
        this.endpoint = override != null ? override : URI.create(switch (partition) {
            case "aws-cn" -> "https://organizations.cn-northwest-1.amazonaws.com.cn";
            case "aws-us-gov" -> "https://organizations.us-gov-west-1.amazonaws.com";
            default -> "https://organizations.us-east-1.amazonaws.com";
        });
        this.clock = clock;
    }

    @Override
    public Optional<Notification.AccountContext> describe(String accountId) {
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Cached known = cache.get(accountId);
        if (known != null && now.isBefore(known.until())) {
            return known.context();
        }
        String name = call("DescribeAccount", "{\"AccountId\":\"" + accountId + "\"}")
                .path("Account").path("Name").asText(null);
        JsonNode parents = call("ListParents", "{\"ChildId\":\"" + accountId + "\"}").path("Parents");
        String parent = parents.isArray() && !parents.isEmpty() ? parents.get(0).path("Id").asText(null) : null;
        Optional<Notification.AccountContext> context = name == null && parent == null ? Optional.empty()
                : Optional.of(new Notification.AccountContext(name, parent));
        cache.put(accountId, new Cached(context, now.plus(KEEP)));
        return context;
    }

    private JsonNode call(String operation, String body) {
        String action = "organizations:" + operation;
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        try {
            SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                    .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/"
                            : endpoint.getRawPath())
                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                    .putHeader("X-Amz-Target", TARGET + operation)
                    .putHeader("Content-Length", Integer.toString(payload.length))
                    .build();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(ContentStreamProvider.fromByteArray(payload)))
                    .build()).call();
            byte[] answer;
            try (InputStream in = response.responseBody().orElse(null)) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            JsonNode tree = answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
            if (!response.httpResponse().isSuccessful()) {
                String type = tree.path("__type").asText("HTTP " + response.httpResponse().statusCode());
                throw new AwsCallFailedException(action, SdkClientException.builder()
                        .message(type.substring(type.lastIndexOf('#') + 1) + ": " + tree.path("Message")
                                .asText(tree.path("message").asText(""))).build());
            }
            return tree;
        } catch (IOException e) {
            throw new AwsCallFailedException(action, SdkClientException.builder().message(e.toString()).cause(e)
                    .build());
        } catch (SdkException e) {
            throw new AwsCallFailedException(action, e);
        }
    }
}
