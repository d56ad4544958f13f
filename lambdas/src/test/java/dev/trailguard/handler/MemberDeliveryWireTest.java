package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.MemberAccess;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Delivery sabotage in organization mode (#14 items 5 and 6, hub variant): a member account's bucket, key, Lake and
 * recorder calls, forwarded to the hub bus by {@code TrailGuard-ForwardDeliveryCalls}, reach the DeliveryService
 * through the AccountRouter, which reads and repairs with the member role's credentials (the declared baseline is the
 * member's own parameter) while the notification goes to the hub's topic with the hub's credentials; the hub
 * account's own calls (forwarded by its own member rule) are handled with the hub's credentials.
 */
class MemberDeliveryWireTest {

    static final String MEMBER = MemberAccountWireTest.MEMBER;
    static final String MEMBER_KEY = MemberAccountWireTest.MEMBER_KEY;
    static final String HUB_KEY = MemberAccountWireTest.HUB_KEY;
    static final String MEMBER_BUCKET = "data-events-" + MEMBER;
    static final String MEMBER_KMS_KEY = "arn:aws:kms:us-east-1:" + MEMBER + ":key/2f8c1b6e-1d5a-4f0e-9b7a-5c3d2e1f0a9b";
    static final String MEMBER_TRAIL = "arn:aws:cloudtrail:us-east-1:" + MEMBER + ":trail/data-events";
    static final ObjectMapper JSON = new ObjectMapper();

    AwsStub stub;
    AwsClients clients;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        clients = stub.clients(Region.US_EAST_1);
        TrailGuardConfig config = WireFixtures.config(List.of());
        handler = new TamperResponder(hub(config, clients));
        memberAnswers(stub);
    }

    @AfterEach
    void tearDown() {
        clients.close();
        stub.close();
    }

    /** The hub's TamperResponder wiring: its own dependencies and the way into member accounts. */
    static Dependencies hub(TrailGuardConfig config, AwsClients clients) {
        MemberAccess access = MemberAccess.fromEnvironment(Map.of(MemberAccess.ROLE_NAME, "TrailGuard-Member",
                MemberAccess.AUTOMATION_ROLE_NAME, "TrailGuard-Automation",
                MemberAccess.HUB_BUS_ARN, "arn:aws:events:us-east-1:111122223333:event-bus/TrailGuardHub"));
        return Dependencies.live(config, ResponseConfig.defaults(), clients)
                .withMembers(Members.live(access, clients, config));
    }

    /**
     * The member account as the stub answers it: its role can be assumed; its trail data-events delivers to its own
     * bucket with its own key; its declared baseline holds the bucket's policy and lifecycle; every repair succeeds.
     */
    static void memberAnswers(AwsStub stub) {
        stub.stsAssumeRole(MemberAccountWireTest.MEMBER_ROLE, MEMBER_KEY);
        String trail = """
                {"Name":"data-events","S3BucketName":"%s","HomeRegion":"us-east-1","TrailARN":"%s","KmsKeyId":"%s",
                 "IsMultiRegionTrail":false,"IsOrganizationTrail":false,"LogFileValidationEnabled":true}"""
                .formatted(MEMBER_BUCKET, MEMBER_TRAIL, MEMBER_KMS_KEY);
        stub.cloudTrail("DescribeTrails", "{\"trailList\":[" + trail + "]}");
        stub.cloudTrail("GetTrail", "{\"Trail\":" + trail + "}");
        stub.config("GetResourceConfigHistory", "{\"configurationItems\":[]}");
        ObjectNode value = JSON.createObjectNode();
        value.putObject("Trail").put("Name", "data-events").put("S3BucketName", MEMBER_BUCKET)
                .put("KmsKeyId", MEMBER_KMS_KEY);
        try {
            value.set("BucketPolicy", JSON.readTree(DeliveryWireTest.DECLARED_POLICY.replace("111122223333", MEMBER)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode rule = value.putObject("BucketLifecycle").putArray("Rules").addObject();
        rule.put("ID", "keep-a-year").put("Status", "Enabled").putObject("Expiration").put("Days", 365);
        ObjectNode parameter = JSON.createObjectNode();
        parameter.putObject("Parameter").put("Name", "/trailguard/baseline/data-events").put("Type", "String")
                .put("Value", value.toString()).put("Version", 1);
        stub.ssm("GetParameter", parameter.toString());
        stub.kms("CancelKeyDeletion", "{}");
        stub.kms("EnableKey", "");
        stub.s3Put(MEMBER_BUCKET, "policy");
        stub.s3Put(MEMBER_BUCKET, "lifecycle");
        stub.cloudTrail("StartEventDataStoreIngestion", "{}");
        stub.cloudTrail("RestoreEventDataStore", "{}");
        stub.config("StartConfigurationRecorder", "{}");
        stub.snsPublish("m-member-delivery");
    }

    /** A delivery sample as a member account emits it: every id of the fixtures' account is the member's. */
    static byte[] fromMember(String sample) {
        return new String(Events.load(sample), StandardCharsets.UTF_8).replace("111122223333", MEMBER)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The delivery samples whose handling calls AWS in the account (reads, repairs). */
    static final List<String> SAMPLES = List.of("delivery/schedule-key-deletion.json", "delivery/disable-key.json",
            "delivery/put-key-policy-without-cloudtrail.json", "delivery/put-bucket-policy-denying-cloudtrail.json",
            "delivery/delete-bucket-policy.json", "delivery/put-bucket-lifecycle-one-day.json",
            "delivery/delete-bucket.json", "delivery/put-bucket-versioning-suspended.json",
            "delivery/stop-event-data-store-ingestion.json", "delivery/delete-event-data-store.json",
            "delivery/update-event-data-store-retention-cut.json",
            "delivery/put-configuration-recorder-without-trails.json", "guard/stop-configuration-recorder.json");

    @Test
    void memberKeyScheduledForDeletion_shouldBeRepairedWithTheMemberRoleAndNotifiedByTheHub() throws Exception {
        // when
        Outcome outcome = handler.invoke(fromMember("delivery/schedule-key-deletion.json"));

        // then: the delivery response, not the tamper response, with the member role assumed first
        assertThat(outcome.outcome()).isEqualTo("REPAIRED");
        assertThat(outcome.trailArn()).isEqualTo(MEMBER_TRAIL);
        assertThat(stub.actions()).first().isEqualTo("sts:AssumeRole");
        assertThat(stub.actions()).containsSubsequence("cloudtrail:DescribeTrails", "kms:CancelKeyDeletion",
                "kms:EnableKey", "sns:Publish");
        assertThat(stub.actions()).doesNotContain("ssm:StartAutomationExecution");
        // the reads and the repairs: the member's credentials; the notification: the hub's topic and credentials
        for (String action : List.of("cloudtrail:DescribeTrails", "kms:CancelKeyDeletion", "kms:EnableKey")) {
            LoggedRequest request = stub.requests(action).get(0);
            assertThat(AwsStub.signingAccessKey(request)).as(action).isEqualTo(MEMBER_KEY);
            assertThat(AwsStub.signingRegion(request)).as(action).isEqualTo("us-east-1");
        }
        assertThat(stub.requests("kms:CancelKeyDeletion").get(0).getHeader("X-Amz-Security-Token"))
                .isEqualTo("member-session-token");
        assertThat(AwsStub.json(stub.requests("kms:EnableKey").get(0)).path("KeyId").asText())
                .isEqualTo(MEMBER_KMS_KEY);
        LoggedRequest publish = stub.requests("sns:Publish").get(0);
        assertThat(AwsStub.signingAccessKey(publish)).isEqualTo(HUB_KEY);
        assertThat(AwsStub.form(publish)).containsEntry("TopicArn", WireFixtures.TOPIC);
        assertThat(AwsStub.messageAttributes(publish)).containsEntry("account", MEMBER)
                .containsEntry("kind", "TRAIL_KEY_SABOTAGED");
    }

    @Test
    void memberBucketPolicyDenyingCloudTrail_shouldPutTheMembersDeclaredPolicyBackAsTheMemberRole() throws Exception {
        // when
        Outcome outcome = handler.invoke(fromMember("delivery/put-bucket-policy-denying-cloudtrail.json"));

        // then: the declared baseline is read in the member (its own parameter), and written back there
        assertThat(outcome.outcome()).isEqualTo("REPAIRED");
        LoggedRequest declared = stub.requests("ssm:GetParameter").get(0);
        assertThat(AwsStub.signingAccessKey(declared)).isEqualTo(MEMBER_KEY);
        assertThat(AwsStub.json(declared).path("Name").asText()).isEqualTo("/trailguard/baseline/data-events");
        LoggedRequest put = stub.requests("s3:PutBucketPolicy").get(0);
        assertThat(put.getUrl()).isEqualTo("/" + MEMBER_BUCKET + "?policy=");
        assertThat(AwsStub.signingAccessKey(put)).isEqualTo(MEMBER_KEY);
        assertThat(JSON.readTree(put.getBodyAsString()).toString()).contains("AWSLogs/" + MEMBER);
    }

    @Test
    void memberLakeAndRecorderCalls_shouldBeRestartedInTheMember() throws Exception {
        // when
        Outcome ingestion = handler.invoke(fromMember("delivery/stop-event-data-store-ingestion.json"));
        Outcome recorder = handler.invoke(fromMember("guard/stop-configuration-recorder.json"));

        // then
        assertThat(ingestion.outcome()).isEqualTo("REPAIRED");
        assertThat(recorder.outcome()).isEqualTo("REPAIRED");
        assertThat(AwsStub.json(stub.requests("cloudtrail:StartEventDataStoreIngestion").get(0))
                .path("EventDataStore").asText()).contains(":" + MEMBER + ":eventdatastore/");
        for (String action : List.of("cloudtrail:StartEventDataStoreIngestion", "config:StartConfigurationRecorder")) {
            assertThat(AwsStub.signingAccessKey(stub.requests(action).get(0))).as(action).isEqualTo(MEMBER_KEY);
        }
        // one AssumeRole for both: the credentials are cached per account
        assertThat(stub.requests("sts:AssumeRole")).hasSize(1);
    }

    @Test
    void theMemberRolesOwnRepair_shouldBeIgnoredWhenItsEventComesBack() throws Exception {
        // given the PutBucketPolicy the hub made as TrailGuard-Member, forwarded back to the hub bus
        String own = new String(fromMember("delivery/put-bucket-policy-denying-cloudtrail.json"),
                StandardCharsets.UTF_8).replace("\"arn\": \"arn:aws:iam::" + MEMBER + ":user/mallory\"",
                "\"arn\": \"arn:aws:sts::" + MEMBER + ":assumed-role/TrailGuard-Member/TrailGuard-hub\","
                        + " \"sessionContext\": {\"sessionIssuer\": {\"type\": \"Role\", \"arn\": \"arn:aws:iam::"
                        + MEMBER + ":role/TrailGuard-Member\"}}");
        assertThat(own).contains("assumed-role/TrailGuard-Member");

        // when
        Outcome outcome = handler.invoke(own.getBytes(StandardCharsets.UTF_8));

        // then: no loop
        assertThat(outcome.outcome()).isEqualTo("IGNORED_OWN_ACTION");
        assertThat(stub.requests("s3:PutBucketPolicy")).isEmpty();
        assertThat(stub.requests("sns:Publish")).isEmpty();
    }

    @Test
    void theHubAccountsOwnDeliveryCall_shouldBeHandledWithTheHubsCredentials() throws Exception {
        // given the hub account's own trail (its member forwarding rule puts the call on the hub bus)
        stub.cloudTrail("DescribeTrails", WireFixtures.DESCRIBE_TRAILS);
        stub.cloudTrail("GetTrail", "data-events", """
                {"Trail":{"Name":"data-events","S3BucketName":"data-events-111122223333","HomeRegion":"us-east-1",
                 "TrailARN":"%s","KmsKeyId":"%s"}}""".formatted(WireFixtures.DELIVERY, DeliveryWireTest.KEY_ARN));

        // when
        Outcome outcome = handler.invoke(Events.load("delivery/disable-key.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REPAIRED");
        assertThat(stub.requests("sts:AssumeRole")).isEmpty();
        assertThat(stub.requests()).allSatisfy(r -> assertThat(AwsStub.signingAccessKey(r)).isEqualTo(HUB_KEY));
        assertThat(AwsStub.json(stub.requests("kms:EnableKey").get(0)).path("KeyId").asText())
                .isEqualTo("2f8c1b6e-1d5a-4f0e-9b7a-5c3d2e1f0a9b");
    }

    @Test
    void everyMemberDeliverySample_shouldBeHandledByTheDeliveryResponse() throws Exception {
        for (String sample : SAMPLES) {
            // when
            Outcome outcome = handler.invoke(fromMember(sample));

            // then: a delivery outcome (never the tamper response's, never unreadable), and nothing outside the member
            assertThat(outcome.outcome()).as(sample).isIn("REPAIRED", "REPORTED_ONLY", "NOT_WEAKENING");
        }
        assertThat(stub.requests()).filteredOn(r -> !AwsStub.action(r).equals("sns:Publish")
                        && !AwsStub.action(r).equals("sts:AssumeRole"))
                .allSatisfy(r -> assertThat(AwsStub.signingAccessKey(r)).as(AwsStub.action(r)).isEqualTo(MEMBER_KEY));
        assertThat(stub.actions()).doesNotContain("ssm:StartAutomationExecution");
    }
}
