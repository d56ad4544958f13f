package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Organizations' JSON 1.1 API, signed by hand: the AWS SDK's Organizations module is not available to this build, so
 * the calls are made with the SDK's own pieces (its HTTP client, its SigV4 signer for {@code organizations} in the
 * partition's Organizations region, the function's credentials) against the global endpoint. A failure is an
 * {@link AwsCallFailedException} naming the call.
 */
final class OrganizationsApi {

    private static final String TARGET = "AWSOrganizationsV20161128.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingRegion;

    /**
     * @param override another endpoint (tests, {@code AWS_ENDPOINT_URL}), or null for the partition's
     */
    OrganizationsApi(SdkHttpClient http, AwsCredentialsProvider credentials, String partition, URI override) {
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
    }

    /** One call; its answer. */
    JsonNode call(String operation, String body) {
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
