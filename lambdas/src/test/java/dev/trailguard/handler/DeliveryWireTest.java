package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Delivery sabotage through the TamperResponder with the real adapters against the stub: the trails' bucket and key
 * (KMS and S3 signed by hand), CloudTrail Lake and the Config recorder (SDK clients).
 */
class DeliveryWireTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BUCKET = "data-events-111122223333";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/2f8c1b6e-1d5a-4f0e-9b7a-5c3d2e1f0a9b";
    static final String STORE = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/"
            + "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/BreakGlass";
    static final String DECLARED_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AWSCloudTrailWrite\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:PutObject\","
            + "\"Resource\":\"arn:aws:s3:::data-events-111122223333/AWSLogs/111122223333/*\"}]}";

    AwsStub stub;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                TrailGuardConfig.TOPIC_ARN, WireFixtures.TOPIC,
                TrailGuardConfig.AUTOMATION_ROLE_ARN, WireFixtures.ROLE,
                TrailGuardConfig.OWN_ROLE_ARNS, WireFixtures.FUNCTION_ROLE + "," + WireFixtures.ROLE,
                TrailGuardConfig.GUARDED_TRAILS, "management-events,data-events"));
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS,
                BREAK_GLASS));
        handler = new TamperResponder(Dependencies.live(config, response, stub.clients(Region.US_EAST_1)));
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrail", "management-events", WireFixtures.getTrail("aws-cloudtrail-logs-111122223333-3f1a"));
        stub.cloudTrail("GetTrail", "data-events", """
                {"Trail":{"Name":"data-events","S3BucketName":"data-events-111122223333","HomeRegion":"us-east-1",
                 "TrailARN":"%s","KmsKeyId":"%s","IsMultiRegionTrail":false,"LogFileValidationEnabled":true}}"""
                .formatted(WireFixtures.DELIVERY, KEY_ARN));
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "not found");
        stub.config("GetResourceConfigHistory", "{\"configurationItems\":[]}");
        stub.snsPublish("m-delivery");
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    /** data-events' declared baseline holds its bucket's policy and a one-year lifecycle. */
    void declareBucket() throws IOException {
        ObjectNode value = JSON.createObjectNode();
        value.putObject("Trail").put("Name", "data-events").put("S3BucketName", BUCKET).put("KmsKeyId", KEY_ARN);
        value.set("BucketPolicy", JSON.readTree(DECLARED_POLICY));
        ObjectNode rule = value.putObject("BucketLifecycle").putArray("Rules").addObject();
        rule.put("ID", "keep-a-year").put("Status", "Enabled").putObject("Filter").put("Prefix", "AWSLogs/");
        rule.putObject("Expiration").put("Days", 365);
        rule.putArray("Transitions").addObject().put("Days", 30).put("StorageClass", "GLACIER");
        ObjectNode parameter = JSON.createObjectNode();
        parameter.putObject("Parameter").put("Name", "/trailguard/baseline/data-events").put("Type", "String")
                .put("Value", value.toString()).put("Version", 1);
        stub.ssm("GetParameter", "/trailguard/baseline/data-events", parameter.toString());
    }

    JsonNode invoke(String event) throws IOException {
        return invoke(Events.load(event));
    }

    JsonNode invoke(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray());
    }

    static byte[] edited(String event, Consumer<ObjectNode> change) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(Events.load(event));
        change.accept((ObjectNode) tree.get("detail"));
        return JSON.writeValueAsBytes(tree);
    }

    Map<String, String> published() {
        return AwsStub.form(stub.requests("sns:Publish").get(0));
    }

    @Test
    void scheduleKeyDeletion_shouldCancelItEnableTheKeyAndNameTheTrail() throws Exception {
        // given
        stub.kms("CancelKeyDeletion", "{\"KeyId\":\"" + KEY_ARN + "\"}");
        stub.kms("EnableKey", "");

        // when
        JsonNode outcome = invoke("delivery/schedule-key-deletion.json");

        // then: cancel first (a key pending deletion cannot be enabled), then enable, in the key's region
        assertThat(stub.actions()).containsSubsequence("kms:CancelKeyDeletion", "kms:EnableKey", "sns:Publish");
        LoggedRequest cancel = stub.requests("kms:CancelKeyDeletion").get(0);
        assertThat(AwsStub.json(cancel).path("KeyId").asText()).isEqualTo(KEY_ARN);
        assertThat(AwsStub.signingService(cancel)).isEqualTo("kms");
        assertThat(AwsStub.signingRegion(cancel)).isEqualTo("us-east-1");
        assertThat(cancel.getHeader("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(AwsStub.json(stub.requests("kms:EnableKey").get(0)).path("KeyId").asText()).isEqualTo(KEY_ARN);
        assertThat(published().get("Subject")).isEqualTo("[CRITICAL] TrailGuard: ScheduleKeyDeletion on the KMS key of data-events");
        assertThat(published().get("Message")).contains("data-events").contains("Repaired: CancelKeyDeletion, then "
                + "EnableKey");
        assertThat(AwsStub.messageAttributes(stub.requests("sns:Publish").get(0)))
                .containsEntry("kind", "TRAIL_KEY_SABOTAGED").containsEntry("outcome", "REPAIRED");
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIRED");
        assertThat(outcome.path("trailArn").asText()).isEqualTo(WireFixtures.DELIVERY);
    }

    @Test
    void disableKeyByKeyId_shouldEnableTheKeyOfTheTrailThatUsesItsArn() throws Exception {
        // given: the event names the bare key id, the trail holds the key ARN
        stub.kms("EnableKey", "");

        // when
        JsonNode outcome = invoke("delivery/disable-key.json");

        // then
        assertThat(stub.requests("kms:CancelKeyDeletion")).isEmpty();
        assertThat(AwsStub.json(stub.requests("kms:EnableKey").get(0)).path("KeyId").asText())
                .isEqualTo("2f8c1b6e-1d5a-4f0e-9b7a-5c3d2e1f0a9b");
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIRED");
    }

    @Test
    void cancelKeyDeletionRefused_shouldSayWhatIsLeftToDoByHandAndNotEnable() throws Exception {
        // given
        stub.kmsError("CancelKeyDeletion", 400, "KMSInvalidStateException", "key is not pending deletion");

        // when
        JsonNode outcome = invoke("delivery/schedule-key-deletion.json");

        // then
        assertThat(stub.requests("kms:CancelKeyDeletion")).hasSize(1); // a client error is not retried
        assertThat(stub.requests("kms:EnableKey")).isEmpty();
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIR_FAILED");
        assertThat(published().get("Message")).contains("KMSInvalidStateException")
                .contains("Do it by hand now: CancelKeyDeletion, then EnableKey");
    }

    @Test
    void keyPolicyWithoutCloudTrail_shouldReportOnlyCritical() throws Exception {
        // when
        JsonNode outcome = invoke("delivery/put-key-policy-without-cloudtrail.json");

        // then: key policies are never written by TrailGuard
        assertThat(stub.actions()).noneMatch(a -> a.startsWith("kms:"));
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPORTED_ONLY");
        assertThat(outcome.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(published().get("Message")).contains("no longer lets CloudTrail encrypt the log files of "
                + "data-events");
    }

    @Test
    void bucketPolicyDenyingCloudTrailWithDeclaredPolicy_shouldPutTheDeclaredPolicyBack() throws Exception {
        // given
        declareBucket();
        stub.s3Put(BUCKET, "policy");

        // when
        JsonNode outcome = invoke("delivery/put-bucket-policy-denying-cloudtrail.json");

        // then: the declared document, not anything from the event, path-style, with its MD5
        LoggedRequest put = stub.requests("s3:PutBucketPolicy").get(0);
        assertThat(put.getUrl()).isEqualTo("/" + BUCKET + "?policy=");
        assertThat(AwsStub.signingService(put)).isEqualTo("s3");
        assertThat(JSON.readTree(put.getBodyAsString())).isEqualTo(JSON.readTree(DECLARED_POLICY));
        assertThat(put.getHeader("Content-MD5")).isEqualTo(Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("MD5").digest(put.getBody())));
        assertThat(put.getHeader("x-amz-content-sha256")).hasSize(64);
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIRED");
        assertThat(AwsStub.messageAttributes(stub.requests("sns:Publish").get(0)))
                .containsEntry("kind", "TRAIL_BUCKET_SABOTAGED").containsEntry("severity", "CRITICAL");
        assertThat(published().get("Message")).contains("declared baseline /trailguard/baseline/data-events");
    }

    @Test
    void bucketPolicyDeletedWithoutDeclaredPolicy_shouldReportOnlyAndSaySo() throws Exception {
        // when
        JsonNode outcome = invoke("delivery/delete-bucket-policy.json");

        // then
        assertThat(stub.actions()).noneMatch(a -> a.startsWith("s3:"));
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPORTED_ONLY");
        assertThat(published().get("Message")).contains("no declared baseline holds this bucket's policy");
    }

    @Test
    void oneDayLifecycleWithDeclaredLifecycle_shouldPutTheDeclaredLifecycleBackAsXml() throws Exception {
        // given
        declareBucket();
        stub.s3Put(BUCKET, "lifecycle");

        // when
        JsonNode outcome = invoke("delivery/put-bucket-lifecycle-one-day.json");

        // then
        LoggedRequest put = stub.requests("s3:PutLifecycleConfiguration").get(0);
        assertThat(put.getUrl()).isEqualTo("/" + BUCKET + "?lifecycle=");
        assertThat(put.getBodyAsString()).isEqualTo("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/"
                + "2006-03-01/\"><Rule><ID>keep-a-year</ID><Status>Enabled</Status><Filter><Prefix>AWSLogs/</Prefix>"
                + "</Filter><Expiration><Days>365</Days></Expiration><Transition><Days>30</Days><StorageClass>GLACIER"
                + "</StorageClass></Transition></Rule></LifecycleConfiguration>");
        assertThat(put.getHeader("Content-MD5")).isNotBlank();
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIRED");
        assertThat(published().get("Message")).contains("deletes log files after 1 day(s) (declared: 365)");
    }

    @Test
    void lifecycleRefusedByS3_shouldReportTheRepairFailureWithS3sCode() throws Exception {
        // given
        declareBucket();
        stub.s3Error(BUCKET, "lifecycle", 403, "AccessDenied", "Access Denied");

        // when
        JsonNode outcome = invoke("delivery/put-bucket-lifecycle-one-day.json");

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIR_FAILED");
        assertThat(published().get("Message")).contains("s3:PutLifecycleConfiguration failed: AccessDenied");
    }

    @Test
    void deleteBucketAndSuspendedVersioning_shouldReportOnly() throws Exception {
        // when
        JsonNode deleted = invoke("delivery/delete-bucket.json");
        JsonNode suspended = invoke("delivery/put-bucket-versioning-suspended.json");

        // then
        assertThat(deleted.path("outcome").asText()).isEqualTo("REPORTED_ONLY");
        assertThat(deleted.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(suspended.path("outcome").asText()).isEqualTo("REPORTED_ONLY");
        assertThat(suspended.path("severity").asText()).isEqualTo("HIGH");
        assertThat(stub.actions()).noneMatch(a -> a.startsWith("s3:"));
    }

    @Test
    void anotherTeamsBucket_shouldBeLeftAloneWithoutNotification() throws Exception {
        // when
        JsonNode outcome = invoke(edited("delivery/delete-bucket-policy.json",
                d -> ((ObjectNode) d.get("requestParameters")).put("bucketName", "marketing-assets")));

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("NOT_TRAIL_DELIVERY");
        assertThat(stub.requests("sns:Publish")).isEmpty();
    }

    @Test
    void ownRepair_shouldBeIgnored() throws Exception {
        // when: the responder's own PutBucketPolicy comes back as an event
        JsonNode outcome = invoke(edited("delivery/put-bucket-policy-denying-cloudtrail.json", d -> d.set(
                "userIdentity", JSON.createObjectNode().put("type", "AssumedRole")
                        .put("arn", "arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/fn")
                        .set("sessionContext", JSON.createObjectNode().set("sessionIssuer", JSON.createObjectNode()
                                .put("type", "Role").put("arn", WireFixtures.FUNCTION_ROLE))))));

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("IGNORED_OWN_ACTION");
        assertThat(stub.actions()).isEmpty();
    }

    @Test
    void blockedAttempt_shouldReportAndRepairNothing() throws Exception {
        // when
        JsonNode outcome = invoke(edited("delivery/schedule-key-deletion.json",
                d -> d.put("errorCode", "AccessDenied").put("errorMessage", "explicit deny in a service control policy")));

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("ATTEMPT_BLOCKED");
        assertThat(outcome.path("severity").asText()).isEqualTo("MEDIUM");
        assertThat(stub.actions()).noneMatch(a -> a.startsWith("kms:"));
    }

    @Test
    void breakGlassRole_shouldBeReportedAndKept() throws Exception {
        // when
        JsonNode outcome = invoke(edited("delivery/disable-key.json", d -> d.set("userIdentity",
                JSON.createObjectNode().put("type", "AssumedRole")
                        .put("arn", "arn:aws:sts::111122223333:assumed-role/BreakGlass/alice")
                        .set("sessionContext", JSON.createObjectNode().set("sessionIssuer", JSON.createObjectNode()
                                .put("type", "Role").put("arn", BREAK_GLASS))))));

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("AUTHORIZED_CHANGE");
        assertThat(stub.actions()).noneMatch(a -> a.startsWith("kms:"));
    }

    @Test
    void lakeIngestionStopped_shouldStartItAgain() throws Exception {
        // given
        stub.cloudTrail("StartEventDataStoreIngestion", "{}");

        // when
        JsonNode outcome = invoke("delivery/stop-event-data-store-ingestion.json");

        // then
        assertThat(AwsStub.json(stub.requests("cloudtrail:StartEventDataStoreIngestion").get(0))
                .path("EventDataStore").asText()).isEqualTo(STORE);
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIRED");
        assertThat(AwsStub.messageAttributes(stub.requests("sns:Publish").get(0)))
                .containsEntry("kind", "LAKE_TAMPERED").containsEntry("severity", "CRITICAL");
    }

    @Test
    void lakeStoreDeleted_shouldRestoreIt() throws Exception {
        // given
        stub.cloudTrail("RestoreEventDataStore", "{\"EventDataStoreArn\":\"" + STORE + "\",\"Status\":\"ENABLED\"}");

        // when
        JsonNode outcome = invoke("delivery/delete-event-data-store.json");

        // then
        assertThat(AwsStub.json(stub.requests("cloudtrail:RestoreEventDataStore").get(0)).path("EventDataStore")
                .asText()).isEqualTo(STORE);
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIRED");
    }

    @Test
    void lakeRetentionCutAndProtectionOff_shouldReportCritical() throws Exception {
        // when
        JsonNode outcome = invoke("delivery/update-event-data-store-retention-cut.json");

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPORTED_ONLY");
        assertThat(outcome.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(published().get("Message")).contains("retention set to 7 days")
                .contains("termination protection turned off");
        assertThat(stub.actions()).containsExactly("sns:Publish");
    }

    @Test
    void recorderStopped_shouldStartItAgain() throws Exception {
        // given
        stub.config("StartConfigurationRecorder", "{}");

        // when
        JsonNode outcome = invoke("guard/stop-configuration-recorder.json");

        // then
        assertThat(AwsStub.json(stub.requests("config:StartConfigurationRecorder").get(0))
                .path("ConfigurationRecorderName").asText()).isEqualTo("default");
        assertThat(outcome.path("outcome").asText()).isEqualTo("REPAIRED");
        assertThat(AwsStub.messageAttributes(stub.requests("sns:Publish").get(0)))
                .containsEntry("kind", "RECORDER_TAMPERED");
    }

    @Test
    void recorderNoLongerRecordingTrails_shouldReportCritical_andOneThatStillDoesNothing() throws Exception {
        // when
        JsonNode narrowed = invoke("delivery/put-configuration-recorder-without-trails.json");
        JsonNode everything = invoke(edited("delivery/put-configuration-recorder-without-trails.json",
                d -> ((ObjectNode) d.path("requestParameters").path("configurationRecorder").path("recordingGroup"))
                        .put("allSupported", true)));

        // then
        assertThat(narrowed.path("outcome").asText()).isEqualTo("REPORTED_ONLY");
        assertThat(narrowed.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(everything.path("outcome").asText()).isEqualTo("NOT_WEAKENING");
        assertThat(stub.requests("sns:Publish")).hasSize(1);
        assertThat(published().get("Message")).contains("AWS::CloudTrail::Trail");
    }

    @Test
    void bucketEventWithoutBucketName_shouldBeReportedUnreadable() throws Exception {
        // when
        JsonNode outcome = invoke(edited("delivery/delete-bucket.json",
                d -> ((ObjectNode) d.get("requestParameters")).remove("bucketName")));

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("UNREADABLE_EVENT");
        assertThat(new String(stub.requests("sns:Publish").get(0).getBody(), StandardCharsets.UTF_8))
                .contains("bucketName");
    }
}
