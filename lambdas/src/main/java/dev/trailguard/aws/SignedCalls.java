package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Calls to services whose SDK module the jar does not carry (KMS, S3: together several megabytes for four operations;
 * Security Hub, 9 MB for one; Organizations), made with the SDK's own pieces: its HTTP client, its SigV4 signer and the
 * function's credentials. The one place TrailGuard signs a request itself. Like the SDK's standard retry mode, a
 * throttling answer, a 5xx or an I/O failure is tried again with back-off (three attempts unless a caller with a
 * deadline asks for fewer). A failure is an {@link AwsCallFailedException} naming the IAM action, with the service's
 * error code.
 */
final class SignedCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final int ATTEMPTS = 3;

    /** A request to sign and send. */
    record Call(String action, String service, String region, SdkHttpMethod method, URI endpoint, String path,
                Map<String, String> query, Map<String, String> headers, byte[] payload) {
    }

    /** How a service words its errors: the error code and message from the answer (status, headers) and body. */
    @FunctionalInterface
    interface ErrorReader {
        String[] read(SdkHttpResponse response, byte[] body);
    }

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final long backoffMillis;
    private final int attempts;

    SignedCalls(SdkHttpClient http, AwsCredentialsProvider credentials) {
        this(http, credentials, 100);
    }

    SignedCalls(SdkHttpClient http, AwsCredentialsProvider credentials, long backoffMillis) {
        this(http, credentials, backoffMillis, ATTEMPTS);
    }

    /**
     * @param attempts how many times a retryable failure is tried in all (1: never again)
     */
    SignedCalls(SdkHttpClient http, AwsCredentialsProvider credentials, long backoffMillis, int attempts) {
        this.http = http;
        this.credentials = credentials;
        this.backoffMillis = backoffMillis;
        this.attempts = attempts;
    }

    /** Sends the call; returns the answer's body. */
    byte[] send(Call call, ErrorReader errors) {
        SdkException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return once(call, errors);
            } catch (AwsServiceException e) {
                last = e;
                if (!(e.isThrottlingException() || e.statusCode() >= 500)) {
                    break;
                }
            } catch (SdkClientException e) {
                last = e;
            }
            if (attempt < attempts) {
                sleep(backoffMillis << (2 * (attempt - 1)));
            }
        }
        throw new AwsCallFailedException(call.action(), last);
    }

    private byte[] once(Call call, ErrorReader errors) {
        String basePath = call.endpoint().getRawPath() == null ? "" : call.endpoint().getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(call.method()).uri(call.endpoint())
                .encodedPath(basePath + call.path());
        call.query().forEach(builder::putRawQueryParameter);
        call.headers().forEach(builder::putHeader);
        builder.putHeader("Content-Length", Integer.toString(call.payload().length));
        SdkHttpRequest request = builder.build();
        byte[] payload = call.payload();
        try {
            boolean s3 = "s3".equals(call.service());
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, call.service())
                    .putProperty(AwsV4HttpSigner.REGION_NAME, call.region())
                    // S3 signs the path as sent, without normalizing or encoding it twice.
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(ContentStreamProvider.fromByteArray(payload)))
                    .build()).call();
            byte[] answer;
            try (InputStream in = response.responseBody().orElse(null)) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            int status = response.httpResponse().statusCode();
            if (!response.httpResponse().isSuccessful()) {
                String[] error = errors.read(response.httpResponse(), answer);
                throw AwsServiceException.builder().statusCode(status).message(error[0] + ": " + error[1])
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode(error[0]).errorMessage(error[1])
                                .serviceName(call.service()).build())
                        .build();
            }
            return answer;
        } catch (IOException e) {
            throw SdkClientException.builder().message(e.toString()).cause(e).build();
        }
    }

    /**
     * A JSON service's error (JSON 1.1 and REST-JSON): the {@code x-amzn-ErrorType} header, else {@code __type} or
     * {@code Code} in the body (after a {@code #}), else {@code HTTP<status>}; the message from {@code message} or
     * {@code Message}.
     */
    static String[] jsonError(SdkHttpResponse response, byte[] body) {
        JsonNode tree;
        try {
            tree = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            tree = JSON.createObjectNode();
        }
        JsonNode read = tree;
        String type = response.firstMatchingHeader("x-amzn-ErrorType").map(h -> h.split(":", 2)[0])
                .orElseGet(() -> read.path("__type").asText(read.path("Code").asText("HTTP" + response.statusCode())));
        return new String[] {type.substring(type.lastIndexOf('#') + 1),
                tree.path("message").asText(tree.path("Message").asText(""))};
    }

    /** The endpoint of {@code service} in {@code region}: the override, else the regional one. */
    static URI endpoint(URI override, String service, String region) {
        if (override != null) {
            return override;
        }
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://" + service + "." + region + "." + suffix);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
