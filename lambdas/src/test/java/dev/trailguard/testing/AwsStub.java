package dev.trailguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * A local stand-in for the AWS endpoints TrailGuard calls, speaking each service's real wire protocol: CloudTrail,
 * SSM and AWS Config (JSON 1.1 with {@code X-Amz-Target}), SNS (Query, XML responses). Tests build the real SDK clients against
 * it and inspect the exact requests.
 */
public final class AwsStub implements AutoCloseable {

    public static final String CLOUDTRAIL_TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    public static final String SSM_TARGET = "AmazonSSM.";
    /** Organizations' JSON 1.1 target prefix. */
    public static final String ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128.";
    /** EventBridge's JSON 1.1 target prefix. */
    public static final String EVENTS_TARGET = "AWSEvents.";
    /** AWS Config's JSON 1.1 target prefix (its service's internal name). */
    public static final String CONFIG_TARGET = "StarlingDoveService.";
    /** KMS's JSON 1.1 target prefix (KMS is signed by hand: its SDK module is not in the jar). */
    public static final String KMS_TARGET = "TrentService.";
    /** S3's bucket subresources TrailGuard writes, and the IAM action of each PUT. */
    private static final Map<String, String> S3_PUTS = Map.of("policy", "PutBucketPolicy",
            "lifecycle", "PutLifecycleConfiguration");

    /** Security Hub's BatchImportFindings (REST-JSON): its path. */
    public static final String SECURITY_HUB_IMPORT = "/findings/import";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    private final WireMockServer server;

    private AwsStub(WireMockServer server) {
        this.server = server;
    }

    /** Starts a stub on a free loopback port. Unmatched requests get WireMock's 404. */
    public static AwsStub start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return new AwsStub(server);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public WireMockServer server() {
        return server;
    }

    /** Real SDK clients for the region, pointed at this stub. */
    public AwsClients clients(Region region) {
        return new AwsClients(region, endpoint());
    }

    /** A successful CloudTrail response for the operation. */
    public void cloudTrail(String operation, String json) {
        server.stubFor(jsonCall(CLOUDTRAIL_TARGET + operation).willReturn(jsonOk(json)));
    }

    /**
     * A successful CloudTrail response for requests of the operation whose body contains the text (for example a
     * trail ARN), so that calls about different trails can get different answers.
     */
    public void cloudTrail(String operation, String bodyContains, String json) {
        server.stubFor(jsonCall(CLOUDTRAIL_TARGET + operation).withRequestBody(containing(bodyContains))
                .willReturn(jsonOk(json)));
    }

    /** A CloudTrail error, shaped as the JSON protocol sends it. */
    public void cloudTrailError(String operation, int status, String errorType, String message) {
        server.stubFor(jsonCall(CLOUDTRAIL_TARGET + operation).willReturn(jsonError(status, errorType, message)));
    }

    /** A successful SSM response for the operation. */
    public void ssm(String operation, String json) {
        server.stubFor(jsonCall(SSM_TARGET + operation).willReturn(jsonOk(json)));
    }

    /** A successful SSM response for requests of the operation whose body contains the text (a parameter's name). */
    public void ssm(String operation, String bodyContains, String json) {
        server.stubFor(jsonCall(SSM_TARGET + operation).withRequestBody(containing(bodyContains))
                .atPriority(1).willReturn(jsonOk(json)));
    }

    /** An SSM error, shaped as the JSON protocol sends it. */
    public void ssmError(String operation, int status, String errorType, String message) {
        server.stubFor(jsonCall(SSM_TARGET + operation).willReturn(jsonError(status, errorType, message)));
    }

    /** A successful AWS Config response for the operation. */
    public void config(String operation, String json) {
        server.stubFor(jsonCall(CONFIG_TARGET + operation).willReturn(jsonOk(json)));
    }

    /** An AWS Config error, shaped as the JSON protocol sends it. */
    public void configError(String operation, int status, String errorType, String message) {
        server.stubFor(jsonCall(CONFIG_TARGET + operation).willReturn(jsonError(status, errorType, message)));
    }

    /** A successful EventBridge response for the operation when the request body contains {@code bodyContains}. */
    public void events(String operation, String bodyContains, String json) {
        server.stubFor(jsonCall(EVENTS_TARGET + operation).withRequestBody(containing(bodyContains))
                .willReturn(jsonOk(json)));
    }

    /** An EventBridge error for the operation when the request body contains {@code bodyContains}. */
    public void eventsError(String operation, String bodyContains, int status, String errorType, String message) {
        server.stubFor(jsonCall(EVENTS_TARGET + operation).withRequestBody(containing(bodyContains))
                .willReturn(jsonError(status, errorType, message)));
    }

    /** A successful Organizations response for the operation when the request body contains {@code bodyContains}. */
    public void organizations(String operation, String bodyContains, String json) {
        server.stubFor(jsonCall(ORGANIZATIONS_TARGET + operation).withRequestBody(containing(bodyContains))
                .willReturn(jsonOk(json)));
    }

    /** An Organizations error for the operation. */
    public void organizationsError(String operation, int status, String errorType, String message) {
        server.stubFor(jsonCall(ORGANIZATIONS_TARGET + operation).willReturn(jsonError(status, errorType, message)));
    }

    /** Security Hub imports every finding it is sent. */
    public void securityHubImport() {
        server.stubFor(post(urlEqualTo(SECURITY_HUB_IMPORT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"FailedCount\":0,\"SuccessCount\":1,\"FailedFindings\":[]}")));
    }

    /** Security Hub answers {@code BatchImportFindings} with this status and JSON body. */
    public void securityHubImport(int status, String errorType, String json) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json);
        if (errorType != null) {
            response = response.withHeader("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/");
        }
        server.stubFor(post(urlEqualTo(SECURITY_HUB_IMPORT)).willReturn(response));
    }

    /** A successful KMS response for the operation. */
    public void kms(String operation, String json) {
        server.stubFor(jsonCall(KMS_TARGET + operation).willReturn(jsonOk(json)));
    }

    /** A KMS error, shaped as the JSON protocol sends it. */
    public void kmsError(String operation, int status, String errorType, String message) {
        server.stubFor(jsonCall(KMS_TARGET + operation).willReturn(jsonError(status, errorType, message)));
    }

    /** S3 accepts a PUT of the bucket's subresource ({@code policy}, {@code lifecycle}), path-style. */
    public void s3Put(String bucket, String subresource) {
        server.stubFor(s3Call(bucket, subresource).willReturn(aResponse().withStatus(200)));
    }

    /** S3 refuses a PUT of the bucket's subresource, with S3's XML error. */
    public void s3Error(String bucket, String subresource, int status, String code, String message) {
        server.stubFor(s3Call(bucket, subresource).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                        + message + "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>")));
    }

    private static MappingBuilder s3Call(String bucket, String subresource) {
        return com.github.tomakehurst.wiremock.client.WireMock.put(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/" + bucket))
                .withQueryParam(subresource, com.github.tomakehurst.wiremock.client.WireMock.matching(".*"));
    }

    /** SNS Publish succeeds with the given message id. */
    public void snsPublish(String messageId) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>" + messageId + "</MessageId></PublishResult><ResponseMetadata>"
                                + "<RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>"
                                + "</PublishResponse>")));
    }

    /**
     * An SNS Query call succeeds when the form contains {@code bodyContains} (URL-encoded as sent, see
     * {@link #formValue}); {@code resultXml} is the content of its {@code <ActionResult>} element.
     */
    public void sns(String action, String bodyContains, String resultXml) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=" + action))
                .withRequestBody(containing(bodyContains))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<" + action + "Response xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><"
                                + action + "Result>" + resultXml + "</" + action + "Result><ResponseMetadata>"
                                + "<RequestId>f187a3c1-376f-11df-8963-01868b7c937b</RequestId></ResponseMetadata></"
                                + action + "Response>")));
    }

    /** An SNS Query call fails when the form contains {@code bodyContains}, shaped as the Query protocol sends errors. */
    public void snsError(String action, String bodyContains, int status, String code, String message) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=" + action))
                .withRequestBody(containing(bodyContains)).atPriority(1)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                        .withBody("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
                                + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message>"
                                + "</Error><RequestId>9f2c1e2b-0000-4000-8000-000000000002</RequestId>"
                                + "</ErrorResponse>")));
    }

    /** A form parameter as the Query protocol sends it ({@code name=URL-encoded value}), to match requests by. */
    public static String formValue(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * STS AssumeRole of {@code roleArn} succeeds with credentials whose access key id is {@code accessKeyId}, valid
     * for an hour from now (the SDK caches them until shortly before they expire).
     */
    public void stsAssumeRole(String roleArn, String accessKeyId) {
        String account = roleArn.split(":")[4];
        String role = roleArn.substring(roleArn.indexOf(":role/") + 6);
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .withRequestBody(containing("RoleArn=" + URLEncoder.encode(roleArn, StandardCharsets.UTF_8)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                                + "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::" + account + ":assumed-role/"
                                + role + "/TrailGuard-hub</Arn><AssumedRoleId>AROAEXAMPLEMEMBER0001:TrailGuard-hub"
                                + "</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>" + accessKeyId
                                + "</AccessKeyId><SecretAccessKey>member-secret-not-real</SecretAccessKey>"
                                + "<SessionToken>member-session-token</SessionToken><Expiration>"
                                + java.time.Instant.now().plus(java.time.Duration.ofHours(1)).truncatedTo(
                                        java.time.temporal.ChronoUnit.SECONDS)
                                + "</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>"
                                + "c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>"
                                + "</AssumeRoleResponse>")));
    }

    /** STS AssumeRole of {@code roleArn} fails, shaped as the Query protocol sends errors. */
    public void stsError(String roleArn, int status, String code, String message) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .withRequestBody(containing("RoleArn=" + URLEncoder.encode(roleArn, StandardCharsets.UTF_8)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                        .withBody("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                                + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message>"
                                + "</Error><RequestId>9f2c1e2b-0000-4000-8000-000000000001</RequestId>"
                                + "</ErrorResponse>")));
    }

    /** SNS Publish fails, shaped as the Query protocol sends errors. */
    public void snsError(int status, String code, String message) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                        .withBody("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
                                + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message>"
                                + "</Error><RequestId>9f2c1e2b-0000-4000-8000-000000000000</RequestId>"
                                + "</ErrorResponse>")));
    }

    /**
     * Makes an action fail: once (the next request only, then it behaves as stubbed before) or on every request.
     *
     * @param action     for example {@code cloudtrail:DescribeTrails}, {@code ssm:StartAutomationExecution},
     *                   {@code sns:Publish}
     * @param fault      what goes wrong
     * @param persistent true for every request, false for the next one only
     */
    public void fault(String action, AwsFault fault, boolean persistent) {
        MappingBuilder mapping = matcher(action).atPriority(1).willReturn(fault.response(action));
        if (!persistent) {
            String scenario = "fault-" + action;
            mapping = mapping.inScenario(scenario)
                    .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                    .willSetStateTo("recovered");
        }
        server.stubFor(mapping);
    }

    /** The request matcher for an IAM-style action. */
    public static MappingBuilder matcher(String action) {
        if (action.startsWith("cloudtrail:")) {
            return jsonCall(CLOUDTRAIL_TARGET + action.substring("cloudtrail:".length()));
        }
        if (action.startsWith("ssm:")) {
            return jsonCall(SSM_TARGET + action.substring("ssm:".length()));
        }
        if (action.startsWith("sns:")) {
            return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action.substring(4)));
        }
        if (action.startsWith("config:")) {
            return jsonCall(CONFIG_TARGET + action.substring("config:".length()));
        }
        if (action.startsWith("kms:")) {
            return jsonCall(KMS_TARGET + action.substring("kms:".length()));
        }
        if (action.startsWith("s3:")) {
            String subresource = S3_PUTS.entrySet().stream().filter(e -> e.getValue().equals(action.substring(3)))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            return com.github.tomakehurst.wiremock.client.WireMock.put(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/[^/]+"))
                    .withQueryParam(subresource, com.github.tomakehurst.wiremock.client.WireMock.matching(".*"));
        }
        if (action.startsWith("sts:")) {
            return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action.substring(4)));
        }
        if (action.equals("securityhub:BatchImportFindings")) {
            return post(urlEqualTo(SECURITY_HUB_IMPORT));
        }
        if (action.startsWith("events:")) {
            return jsonCall(EVENTS_TARGET + action.substring("events:".length()));
        }
        throw new IllegalArgumentException("no matcher for " + action);
    }

    /** Every request received, in arrival order. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.anyUrl())));
        all.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return all;
    }

    /** The IAM-style action of every request, in order, for example {@code cloudtrail:DescribeTrails}. */
    public List<String> actions() {
        return requests().stream().map(AwsStub::action).toList();
    }

    /** Requests for one IAM-style action. */
    public List<LoggedRequest> requests(String action) {
        return requests().stream().filter(r -> action.equals(action(r))).toList();
    }

    /** The IAM-style action of a request. */
    public static String action(LoggedRequest request) {
        String target = request.getHeader("X-Amz-Target");
        if (target != null && target.startsWith(CLOUDTRAIL_TARGET)) {
            return "cloudtrail:" + target.substring(CLOUDTRAIL_TARGET.length());
        }
        if (target != null && target.startsWith(SSM_TARGET)) {
            return "ssm:" + target.substring(SSM_TARGET.length());
        }
        if (target != null && target.startsWith(CONFIG_TARGET)) {
            return "config:" + target.substring(CONFIG_TARGET.length());
        }
        if (target != null && target.startsWith(ORGANIZATIONS_TARGET)) {
            return "organizations:" + target.substring(ORGANIZATIONS_TARGET.length());
        }
        if (target != null && target.startsWith(EVENTS_TARGET)) {
            return "events:" + target.substring(EVENTS_TARGET.length());
        }
        if (request.getUrl().endsWith(SECURITY_HUB_IMPORT)) {
            return "securityhub:BatchImportFindings";
        }
        if (target != null && target.startsWith(KMS_TARGET)) {
            return "kms:" + target.substring(KMS_TARGET.length());
        }
        String service = signingService(request);
        if ("s3".equals(service)) {
            String query = request.getUrl().contains("?") ? request.getUrl().substring(request.getUrl().indexOf('?') + 1)
                    : "";
            String subresource = query.split("[=&]")[0];
            return "s3:" + (request.getMethod().getName().equals("PUT")
                    ? S3_PUTS.getOrDefault(subresource, "Put?" + subresource) : request.getMethod().getName() + "?" + query);
        }
        String action = form(request).get("Action");
        return service + ":" + action;
    }

    /** The region a request was signed for (SigV4 credential scope). */
    public static String signingRegion(LoggedRequest request) {
        Matcher m = CREDENTIAL.matcher(request.getHeader("Authorization"));
        return m.find() ? m.group(1) : null;
    }

    /** The access key id a request was signed with (SigV4 credential). */
    public static String signingAccessKey(LoggedRequest request) {
        String auth = request.getHeader("Authorization");
        Matcher m = Pattern.compile("Credential=([^/]+)/").matcher(auth == null ? "" : auth);
        return m.find() ? m.group(1) : null;
    }

    /** The service a request was signed for. */
    public static String signingService(LoggedRequest request) {
        String auth = request.getHeader("Authorization");
        Matcher m = CREDENTIAL.matcher(auth == null ? "" : auth);
        return m.find() ? m.group(2) : "unknown";
    }

    /** A JSON protocol request's body. */
    public static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Query protocol request's form parameters. */
    public static Map<String, String> form(LoggedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        String body = request.getBodyAsString();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    /** The SNS message attributes of a Publish request, as name to string value. */
    public static Map<String, String> messageAttributes(LoggedRequest publish) {
        Map<String, String> form = form(publish);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
            attributes.put(form.get("MessageAttributes.entry." + i + ".Name"),
                    form.get("MessageAttributes.entry." + i + ".Value.StringValue"));
        }
        return attributes;
    }

    private static MappingBuilder jsonCall(String target) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    private static ResponseDefinitionBuilder jsonOk(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(json);
    }

    private static ResponseDefinitionBuilder jsonError(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    @Override
    public void close() {
        server.stop();
    }
}
