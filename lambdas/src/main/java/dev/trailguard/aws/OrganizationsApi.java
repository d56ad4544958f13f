package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Organizations' JSON 1.1 API, signed by hand ({@link SignedCalls}): the AWS SDK's Organizations module is not
 * available to this build, so the calls go with the SDK's own HTTP client and SigV4 signer for {@code organizations}
 * in the partition's Organizations region, against the global endpoint; throttling ({@code TooManyRequestsException}),
 * a 5xx or an I/O failure is tried again. A failure is an {@link AwsCallFailedException} naming the call.
 */
final class OrganizationsApi {

    private static final String TARGET = "AWSOrganizationsV20161128.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignedCalls signed;
    private final URI endpoint;
    private final String signingRegion;

    /**
     * @param override another endpoint (tests, {@code AWS_ENDPOINT_URL}), or null for the partition's
     */
    OrganizationsApi(SdkHttpClient http, AwsCredentialsProvider credentials, String partition, URI override) {
        this.signed = new SignedCalls(http, credentials);
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
        byte[] answer = signed.send(new SignedCalls.Call(action, "organizations", signingRegion, SdkHttpMethod.POST,
                endpoint, "/", Map.of(), Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target",
                        TARGET + operation), body.getBytes(StandardCharsets.UTF_8)), SignedCalls::jsonError);
        try {
            return answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
        } catch (IOException e) {
            throw new AwsCallFailedException(action, SdkClientException.builder().message("unreadable answer: " + e)
                    .cause(e).build());
        }
    }
}
