package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.remediation.DeliveryRepairs;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.config.ConfigClient;

/**
 * The delivery repairs. KMS ({@code TrentService}, JSON 1.1) and S3 (REST-XML, {@code ?policy} and {@code ?lifecycle}
 * with {@code Content-MD5}) are signed by hand ({@link SignedCalls}); CloudTrail Lake and the Config recorder go
 * through the SDK clients the jar already has.
 */
public final class AwsDeliveryRepairs implements DeliveryRepairs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KMS_TARGET = "TrentService.";
    private static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    /** Arrays of a lifecycle configuration in JSON, and the repeated XML element each stands for. */
    private static final Map<String, String> XML_ELEMENTS = Map.of("Rules", "Rule", "Transitions", "Transition",
            "NoncurrentVersionTransitions", "NoncurrentVersionTransition", "Tags", "Tag");
    private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private final SignedCalls signed;
    private final URI kmsOverride;
    private final URI s3Override;
    private final Function<Region, CloudTrailClient> cloudTrail;
    private final Function<Region, ConfigClient> config;

    AwsDeliveryRepairs(SignedCalls signed, URI kmsOverride, URI s3Override, Function<Region, CloudTrailClient> cloudTrail,
                       Function<Region, ConfigClient> config) {
        this.signed = signed;
        this.kmsOverride = kmsOverride;
        this.s3Override = s3Override;
        this.cloudTrail = cloudTrail;
        this.config = config;
    }

    @Override
    public void cancelKeyDeletion(String keyId, String region) {
        kms("CancelKeyDeletion", keyId, region);
    }

    @Override
    public void enableKey(String keyId, String region) {
        kms("EnableKey", keyId, region);
    }

    @Override
    public void putBucketPolicy(String bucket, String region, String policy) {
        s3("s3:PutBucketPolicy", bucket, region, "policy", policy.getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    @Override
    public void putBucketLifecycle(String bucket, String region, JsonNode lifecycle) {
        // IAM names PutBucketLifecycleConfiguration's permission s3:PutLifecycleConfiguration.
        s3("s3:PutLifecycleConfiguration", bucket, region, "lifecycle",
                lifecycleXml(lifecycle).getBytes(StandardCharsets.UTF_8), "application/xml");
    }

    @Override
    public void startIngestion(String eventDataStore, String region) {
        call("cloudtrail:StartEventDataStoreIngestion", () -> cloudTrail.apply(Region.of(region))
                .startEventDataStoreIngestion(b -> b.eventDataStore(eventDataStore)));
    }

    @Override
    public void restoreEventDataStore(String eventDataStore, String region) {
        call("cloudtrail:RestoreEventDataStore", () -> cloudTrail.apply(Region.of(region))
                .restoreEventDataStore(b -> b.eventDataStore(eventDataStore)));
    }

    @Override
    public void startRecorder(String recorderName, String region) {
        call("config:StartConfigurationRecorder", () -> config.apply(Region.of(region))
                .startConfigurationRecorder(b -> b.configurationRecorderName(recorderName)));
    }

    private void kms(String operation, String keyId, String region) {
        byte[] body = JSON.createObjectNode().put("KeyId", keyId).toString().getBytes(StandardCharsets.UTF_8);
        signed.send(new SignedCalls.Call("kms:" + operation, "kms", region, SdkHttpMethod.POST,
                SignedCalls.endpoint(kmsOverride, "kms", region), "/", Map.of(),
                Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", KMS_TARGET + operation), body),
                SignedCalls::jsonError);
    }

    private void s3(String action, String bucket, String region, String subresource, byte[] body, String type) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", type);
        headers.put("Content-MD5", Base64.getEncoder().encodeToString(digest("MD5", body)));
        headers.put("x-amz-content-sha256", HexFormat.of().formatHex(digest("SHA-256", body)));
        // Path-style: works against any endpoint override and for bucket names with dots.
        signed.send(new SignedCalls.Call(action, "s3", region, SdkHttpMethod.PUT,
                SignedCalls.endpoint(s3Override, "s3", region), "/" + bucket, Map.of(subresource, ""), headers, body),
                (response, answer) -> xmlError(response.statusCode(), answer));
    }

    /** A lifecycle configuration in JSON ({@code {"Rules": [...]}}, as the CLI prints it) as S3's XML. */
    static String lifecycleXml(JsonNode lifecycle) {
        StringBuilder xml = new StringBuilder("<LifecycleConfiguration xmlns=\"" + S3_NAMESPACE + "\">");
        appendFields(xml, lifecycle);
        return xml.append("</LifecycleConfiguration>").toString();
    }

    private static void appendFields(StringBuilder xml, JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isArray()) {
                String element = XML_ELEMENTS.getOrDefault(field.getKey(), field.getKey());
                for (JsonNode item : field.getValue()) {
                    appendElement(xml, element, item);
                }
            } else {
                appendElement(xml, field.getKey(), field.getValue());
            }
        }
    }

    private static void appendElement(StringBuilder xml, String name, JsonNode value) {
        xml.append('<').append(name).append('>');
        if (value.isObject()) {
            appendFields(xml, value);
        } else {
            xml.append(escape(value.asText()));
        }
        xml.append("</").append(name).append('>');
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String[] xmlError(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        Matcher code = XML_CODE.matcher(text);
        Matcher message = XML_MESSAGE.matcher(text);
        return new String[] {code.find() ? code.group(1) : "HTTP" + status, message.find() ? message.group(1) : ""};
    }

    private static byte[] digest(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
