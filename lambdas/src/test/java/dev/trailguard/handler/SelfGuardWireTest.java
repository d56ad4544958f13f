package dev.trailguard.handler;

import static dev.trailguard.testing.AwsStub.formValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.SelfGuardConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * #14 items 8-10 on the wire: a changed TrailGuard rule put back from its deployed definition, the notification path's
 * alerts through the second channel, muted subscriptions put back; the real SDK clients against the stub.
 */
class SelfGuardWireTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:TrailGuard-Notifications";
    static final String SECOND = "arn:aws:sns:us-east-1:111122223333:TrailGuard-SecondChannel";
    static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final String QUEUE = "arn:aws:sqs:us-east-1:111122223333:security-alerts";
    static final String EMAIL = "secops@example.com";
    static final String GUARD_RULE = "TrailGuard-GuardEventBridgeRuleA7D73FA5-1Q2W3E4R5T6Y";
    static final String RESPONDER = "arn:aws:lambda:us-east-1:111122223333:function:TrailGuard-TamperResponder:live";
    static final String DLQ = "arn:aws:sqs:us-east-1:111122223333:TrailGuard-EventDeliveryDlq";
    static final String PATTERN = "{\"source\":[\"aws.events\"],\"detail-type\":[\"AWS API Call via CloudTrail\"],"
            + "\"detail\":{\"eventSource\":[\"events.amazonaws.com\"],\"requestParameters\":{\"name\":[{\"prefix\":"
            + "\"TrailGuard\"}]}}}";
    static final ObjectMapper JSON = new ObjectMapper();

    AwsStub stub;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                TrailGuardConfig.TOPIC_ARN, TOPIC, TrailGuardConfig.AUTOMATION_ROLE_ARN, ROLE));
        SelfGuardConfig self = SelfGuardConfig.fromEnvironment(Map.of(
                SelfGuardConfig.SECOND_CHANNEL_TOPIC_ARN, SECOND,
                SelfGuardConfig.TOPIC_KEY_ARN, KEY,
                SelfGuardConfig.SUBSCRIPTIONS, "[{\"protocol\":\"email\",\"endpoint\":\"" + EMAIL + "\"},"
                        + "{\"protocol\":\"sqs\",\"endpoint\":\"" + QUEUE + "\"}]"));
        var clients = stub.clients(Region.US_EAST_1);
        handler = new TamperResponder(Dependencies.live(config, ResponseConfig.defaults(), clients)
                .withSelfGuard(self, clients));
        stub.sns("Publish", formValue("TopicArn", TOPIC), "<MessageId>m-topic</MessageId>");
        stub.sns("Publish", formValue("TopicArn", SECOND), "<MessageId>m-second</MessageId>");
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    JsonNode invoke(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Events.load(event)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    /** The deployed definition the stack writes to /trailguard/rules/<name>. */
    void deployedDefinition() throws IOException {
        String definition = JSON.writeValueAsString(Map.of(
                "description", "TrailGuard guard: EventBridge calls",
                "eventPattern", JSON.readTree(PATTERN),
                "state", "ENABLED",
                "targets", List.of(Map.of("id", "Target0", "arn", RESPONDER,
                        "deadLetterConfig", Map.of("arn", DLQ),
                        "retryPolicy", Map.of("maximumRetryAttempts", 8, "maximumEventAgeInSeconds", 7200)))));
        stub.ssm("GetParameter", "{\"Parameter\":{\"Name\":\"/trailguard/rules/x\",\"Type\":\"String\",\"Value\":"
                + JSON.writeValueAsString(definition) + "}}");
    }

    static String deployedTarget() {
        return "{\"Id\":\"Target0\",\"Arn\":\"" + RESPONDER + "\",\"DeadLetterConfig\":{\"Arn\":\"" + DLQ + "\"},"
                + "\"RetryPolicy\":{\"MaximumRetryAttempts\":8,\"MaximumEventAgeInSeconds\":7200}}";
    }

    @Test
    void guardRuleRedefinedDisabled_shouldBePutBackFromItsDeployedDefinition() throws IOException {
        // given: the guard rule now DISABLED with a never-matching pattern, its target untouched
        deployedDefinition();
        stub.events("DescribeRule", GUARD_RULE, "{\"Name\":\"" + GUARD_RULE + "\",\"State\":\"DISABLED\","
                + "\"EventPattern\":\"{\\\"source\\\":[\\\"aws.events\\\"],\\\"detail-type\\\":[\\\"AWS API Call via "
                + "CloudTrail\\\"]}\",\"Description\":\"TrailGuard guard: EventBridge calls\"}");
        stub.events("PutRule", GUARD_RULE, "{\"RuleArn\":\"arn:aws:events:us-east-1:111122223333:rule/x\"}");
        stub.events("ListTargetsByRule", GUARD_RULE, "{\"Targets\":[" + deployedTarget() + "]}");

        // when
        JsonNode outcome = invoke("guard/put-rule-disabled.json");

        // then
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "events:DescribeRule", "events:PutRule",
                "events:ListTargetsByRule", "sns:Publish");
        assertThat(AwsStub.json(stub.requests("ssm:GetParameter").get(0)).path("Name").asText())
                .isEqualTo("/trailguard/rules/" + GUARD_RULE);
        JsonNode put = AwsStub.json(stub.requests("events:PutRule").get(0));
        assertThat(put.path("Name").asText()).isEqualTo(GUARD_RULE);
        assertThat(put.path("State").asText()).isEqualTo("ENABLED");
        assertThat(JSON.readTree(put.path("EventPattern").asText())).isEqualTo(JSON.readTree(PATTERN));
        assertThat(outcome.path("outcome").asText()).isEqualTo("RULE_RESTORED");
        LoggedRequest publish = stub.requests("sns:Publish").get(0);
        assertThat(AwsStub.form(publish).get("TopicArn")).isEqualTo(TOPIC);
        assertThat(AwsStub.messageAttributes(publish)).containsEntry("outcome", "RULE_RESTORED");
        assertThat(AwsStub.form(publish).get("Message")).contains("state DISABLED -> ENABLED",
                "event pattern put back");
    }

    @Test
    void constantInputAndAnExtraTarget_shouldBeReplacedByTheDeployedTargets() throws IOException {
        // given: the tamper rule's target now sends a constant input, and the attacker added a target of their own
        deployedDefinition();
        stub.events("DescribeRule", "TrailGuard-TamperEvents", "{\"Name\":\"TrailGuard-TamperEvents\","
                + "\"State\":\"ENABLED\",\"EventPattern\":" + JSON.writeValueAsString(PATTERN) + ","
                + "\"Description\":\"TrailGuard guard: EventBridge calls\"}");
        stub.events("ListTargetsByRule", "TrailGuard-TamperEvents", "{\"Targets\":[{\"Id\":\"Target0\",\"Arn\":\""
                + RESPONDER + "\",\"Input\":\"{\\\"detail-type\\\":\\\"nothing\\\"}\",\"DeadLetterConfig\":{\"Arn\":\""
                + DLQ + "\"},\"RetryPolicy\":{\"MaximumRetryAttempts\":8,\"MaximumEventAgeInSeconds\":7200}},"
                + "{\"Id\":\"Sink\",\"Arn\":\"arn:aws:sqs:us-east-1:444455556666:sink\"}]}");
        stub.events("RemoveTargets", "Sink", "{\"FailedEntryCount\":0,\"FailedEntries\":[]}");
        stub.events("PutTargets", "Target0", "{\"FailedEntryCount\":0,\"FailedEntries\":[]}");

        // when
        JsonNode outcome = invoke("guard/put-targets-constant-input.json");

        // then: the rule itself untouched, the extra target removed, the deployed target put back without the input
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "events:DescribeRule",
                "events:ListTargetsByRule", "events:RemoveTargets", "events:PutTargets", "sns:Publish");
        assertThat(AwsStub.json(stub.requests("events:RemoveTargets").get(0)).path("Ids").toString())
                .isEqualTo("[\"Sink\"]");
        JsonNode target = AwsStub.json(stub.requests("events:PutTargets").get(0)).path("Targets").get(0);
        assertThat(target.path("Id").asText()).isEqualTo("Target0");
        assertThat(target.path("Arn").asText()).isEqualTo(RESPONDER);
        assertThat(target.has("Input")).isFalse();
        assertThat(target.path("DeadLetterConfig").path("Arn").asText()).isEqualTo(DLQ);
        assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(8);
        assertThat(outcome.path("outcome").asText()).isEqualTo("RULE_RESTORED");
    }

    static final String HUB_RULE = "TrailGuardHub-RoutingTamperRule1A2B3C4D-5E6F7G8H9I0J";
    static final String HUB_PATTERN = "{\"source\":[\"aws.cloudtrail\"],\"detail-type\":[\"AWS API Call via "
            + "CloudTrail\"],\"detail\":{\"eventSource\":[\"cloudtrail.amazonaws.com\"],\"eventName\":"
            + "[\"StopLogging\"]}}";

    /** The definition the hub stack writes for a rule on its bus: the bus is part of it. */
    void deployedHubRuleDefinition(String bus) throws IOException {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("description", "TrailGuard: CloudTrail calls that stop, delete or weaken a trail");
        definition.put("eventPattern", JSON.readTree(HUB_PATTERN));
        definition.put("state", "ENABLED");
        definition.put("targets", List.of(Map.of("id", "Target0", "arn", RESPONDER,
                "deadLetterConfig", Map.of("arn", DLQ),
                "retryPolicy", Map.of("maximumRetryAttempts", 8, "maximumEventAgeInSeconds", 7200))));
        if (bus != null) {
            definition.put("eventBusName", bus);
        }
        stub.ssm("GetParameter", "{\"Parameter\":{\"Name\":\"/trailguard/rules/x\",\"Type\":\"String\","
                + "\"Value\":" + JSON.writeValueAsString(JSON.writeValueAsString(definition)) + "}}");
    }

    @Test
    void hubRuleOnTheHubBus_shouldBePutBackOnThatBus() throws IOException {
        // given: the hub's tamper routing rule on the hub bus lost its target (RemoveTargets names the bus)
        deployedHubRuleDefinition("TrailGuardHub");
        stub.events("DescribeRule", HUB_RULE, "{\"Name\":\"" + HUB_RULE + "\",\"EventBusName\":\"TrailGuardHub\","
                + "\"State\":\"ENABLED\",\"EventPattern\":" + JSON.writeValueAsString(HUB_PATTERN) + ","
                + "\"Description\":\"TrailGuard: CloudTrail calls that stop, delete or weaken a trail\"}");
        stub.events("ListTargetsByRule", HUB_RULE, "{\"Targets\":[]}");
        stub.events("PutTargets", HUB_RULE, "{\"FailedEntryCount\":0,\"FailedEntries\":[]}");

        // when
        JsonNode outcome = invoke("member/hub-bus-rule-targets-removed.json");

        // then: every EventBridge call names the hub bus; the target is put back there
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "events:DescribeRule",
                "events:ListTargetsByRule", "events:PutTargets", "sns:Publish");
        assertThat(AwsStub.json(stub.requests("ssm:GetParameter").get(0)).path("Name").asText())
                .isEqualTo("/trailguard/rules/" + HUB_RULE);
        for (String call : List.of("events:DescribeRule", "events:ListTargetsByRule", "events:PutTargets")) {
            assertThat(AwsStub.json(stub.requests(call).get(0)).path("EventBusName").asText()).as(call)
                    .isEqualTo("TrailGuardHub");
        }
        JsonNode put = AwsStub.json(stub.requests("events:PutTargets").get(0));
        assertThat(put.path("Rule").asText()).isEqualTo(HUB_RULE);
        assertThat(put.path("Targets").get(0).path("Arn").asText()).isEqualTo(RESPONDER);
        assertThat(outcome.path("outcome").asText()).isEqualTo("RULE_RESTORED");
    }

    @Test
    void ruleOfThatNameOnAnotherBus_shouldNotGetTheDeployedDefinition() throws IOException {
        // given: TrailGuard deployed the rule on the default bus; the call named a rule of that name on the hub bus
        deployedHubRuleDefinition(null);

        // when
        JsonNode outcome = invoke("member/hub-bus-rule-targets-removed.json");

        // then: nothing written on either bus, the notification says why
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "sns:Publish");
        assertThat(outcome.path("outcome").asText()).isEqualTo("RULE_NOT_RESTORED");
        assertThat(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .contains("on the bus TrailGuardHub, but TrailGuard deployed its rule of that name on the default bus");
    }

    @Test
    void noDeployedDefinition_shouldReportCriticalAndSayRedeploy() throws IOException {
        // given
        stub.ssmError("GetParameter", 400, "ParameterNotFound", "Parameter not found");

        // when
        JsonNode outcome = invoke("guard/put-rule-on-backstop.json");

        // then: nothing changed, the notification still goes out and says what to do
        assertThat(stub.actions()).containsExactly("ssm:GetParameter", "sns:Publish");
        assertThat(outcome.path("outcome").asText()).isEqualTo("RULE_NOT_RESTORED");
        assertThat(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .contains("ParameterNotFound", "Redeploy the TrailGuard stack now");
    }

    @Test
    void unsubscribedEmail_shouldBeSubscribedAgainAndReportedThroughTheSecondChannelFirst() throws IOException {
        // given: only the SQS subscription is left
        stub.sns("ListSubscriptionsByTopic", formValue("TopicArn", TOPIC), "<Subscriptions><member><TopicArn>"
                + TOPIC + "</TopicArn><Protocol>sqs</Protocol><SubscriptionArn>" + TOPIC + ":sqs-1</SubscriptionArn>"
                + "<Owner>111122223333</Owner><Endpoint>" + QUEUE + "</Endpoint></member></Subscriptions>");
        stub.sns("GetSubscriptionAttributes", formValue("SubscriptionArn", TOPIC + ":sqs-1"),
                "<Attributes><entry><key>RawMessageDelivery</key><value>false</value></entry></Attributes>");
        stub.sns("Subscribe", formValue("Endpoint", EMAIL), "<SubscriptionArn>pending confirmation</SubscriptionArn>");

        // when
        JsonNode outcome = invoke("guard/unsubscribe.json");

        // then
        assertThat(stub.actions()).containsExactly("sns:ListSubscriptionsByTopic", "sns:Subscribe",
                "sns:GetSubscriptionAttributes", "sns:Publish", "sns:Publish");
        Map<String, String> subscribe = AwsStub.form(stub.requests("sns:Subscribe").get(0));
        assertThat(subscribe).containsEntry("TopicArn", TOPIC).containsEntry("Protocol", "email")
                .containsEntry("Endpoint", EMAIL);
        List<LoggedRequest> publishes = stub.requests("sns:Publish");
        assertThat(AwsStub.form(publishes.get(0)).get("TopicArn")).isEqualTo(SECOND);
        assertThat(AwsStub.form(publishes.get(1)).get("TopicArn")).isEqualTo(TOPIC);
        assertThat(AwsStub.form(publishes.get(0)).get("Message")).contains("subscribed email " + EMAIL + " again");
        assertThat(outcome.path("outcome").asText()).isEqualTo("SUBSCRIPTIONS_RESTORED");
        assertThat(outcome.path("messageId").asText()).isEqualTo("m-second");
    }

    @Test
    void filterPolicyThatDropsAlerts_shouldBeRemovedEvenWhenTheTopicRefusesTheAlert() throws IOException {
        // given: both subscriptions present, the e-mail one filtered to INFO; the topic itself refuses publishes
        stub.sns("ListSubscriptionsByTopic", formValue("TopicArn", TOPIC), "<Subscriptions><member><TopicArn>"
                + TOPIC + "</TopicArn><Protocol>email</Protocol><SubscriptionArn>" + TOPIC + ":mail-1"
                + "</SubscriptionArn><Owner>111122223333</Owner><Endpoint>" + EMAIL + "</Endpoint></member><member>"
                + "<TopicArn>" + TOPIC + "</TopicArn><Protocol>sqs</Protocol><SubscriptionArn>" + TOPIC + ":sqs-1"
                + "</SubscriptionArn><Owner>111122223333</Owner><Endpoint>" + QUEUE + "</Endpoint></member>"
                + "</Subscriptions>");
        stub.sns("GetSubscriptionAttributes", formValue("SubscriptionArn", TOPIC + ":mail-1"),
                "<Attributes><entry><key>FilterPolicy</key><value>{\"severity\":[\"INFO\"]}</value></entry>"
                        + "</Attributes>");
        stub.sns("GetSubscriptionAttributes", formValue("SubscriptionArn", TOPIC + ":sqs-1"),
                "<Attributes><entry><key>RawMessageDelivery</key><value>true</value></entry></Attributes>");
        stub.sns("SetSubscriptionAttributes", "Action=SetSubscriptionAttributes", "");
        stub.snsError("Publish", formValue("TopicArn", TOPIC), 400, "KMSDisabled", "key disabled");

        // when
        JsonNode outcome = invoke("guard/set-subscription-filter-policy.json");

        // then
        List<Map<String, String>> sets = stub.requests("sns:SetSubscriptionAttributes").stream()
                .map(AwsStub::form).toList();
        assertThat(sets).hasSize(2);
        assertThat(sets.get(0)).containsEntry("SubscriptionArn", TOPIC + ":mail-1")
                .containsEntry("AttributeName", "FilterPolicy").containsEntry("AttributeValue", "{}");
        assertThat(sets.get(1)).containsEntry("SubscriptionArn", TOPIC + ":sqs-1")
                .containsEntry("AttributeName", "RawMessageDelivery").containsEntry("AttributeValue", "false");
        assertThat(AwsStub.form(stub.requests("sns:Publish").get(0)).get("TopicArn")).isEqualTo(SECOND);
        assertThat(outcome.path("outcome").asText()).isEqualTo("SUBSCRIPTIONS_RESTORED");
        assertThat(outcome.path("messageId").asText()).isEqualTo("m-second");
    }

    @Test
    void disabledTopicKey_shouldBeEnabledAgainAndAlertThroughTheSecondChannel() throws IOException {
        // given: the key is disabled, so the topic refuses
        stub.snsError("Publish", formValue("TopicArn", TOPIC), 400, "KMSDisabled", "key disabled");
        stub.kms("EnableKey", "");

        // when
        JsonNode outcome = invoke("guard/disable-topic-key.json");

        // then: the key is enabled again (signed for KMS in the key's region), then both topics are told
        assertThat(stub.actions()).containsExactly("kms:EnableKey", "sns:Publish", "sns:Publish");
        var enable = stub.requests("kms:EnableKey").get(0);
        assertThat(AwsStub.json(enable).path("KeyId").asText()).isEqualTo(KEY);
        assertThat(AwsStub.signingService(enable)).isEqualTo("kms");
        assertThat(AwsStub.signingRegion(enable)).isEqualTo("us-east-1");
        Map<String, String> second = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(second.get("TopicArn")).isEqualTo(SECOND);
        assertThat(second.get("Subject")).isEqualTo(
                "[CRITICAL] TrailGuard: DisableKey on TrailGuard's KMS key of the notification topic");
        assertThat(second.get("Message")).contains("every notification, alarm and backstop alert fails", KEY,
                "Made the topic's key usable again: EnableKey");
        assertThat(outcome.path("outcome").asText()).isEqualTo("TOPIC_KEY_REPAIRED");
    }

    @Test
    void topicKeyRepairRefused_shouldSaySoAndWhatToDoByHand() throws IOException {
        // given
        stub.kmsError("EnableKey", 400, "AccessDeniedException", "explicit deny");

        // when
        JsonNode outcome = invoke("guard/disable-topic-key.json");

        // then
        assertThat(outcome.path("outcome").asText()).isEqualTo("TOPIC_KEY_NOT_REPAIRED");
        assertThat(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"))
                .contains("Could not make the topic's key usable again", "AccessDeniedException", "aws kms enable-key");
    }

    @Test
    void keyDeletionByArnAndDataProtectionPolicy_shouldBothGoThroughTheSecondChannel() throws IOException {
        // given
        stub.kms("CancelKeyDeletion", "{}");
        stub.kms("EnableKey", "");

        // when
        JsonNode deletion = invoke("guard/schedule-topic-key-deletion.json");
        JsonNode dataProtection = invoke("guard/put-data-protection-policy.json");

        // then
        assertThat(deletion.path("messageId").asText()).isEqualTo("m-second");
        assertThat(dataProtection.path("messageId").asText()).isEqualTo("m-second");
        assertThat(stub.requests("sns:Publish").stream().map(r -> AwsStub.form(r).get("TopicArn")).toList())
                .containsExactly(SECOND, TOPIC, SECOND, TOPIC);
        // the deletion cancelled, then the key (left disabled by the cancel) enabled
        assertThat(deletion.path("outcome").asText()).isEqualTo("TOPIC_KEY_REPAIRED");
        assertThat(stub.actions().stream().filter(a -> a.startsWith("kms:")).toList())
                .containsExactly("kms:CancelKeyDeletion", "kms:EnableKey");
    }

    @Test
    void denyAllAttachedToAFunctionRole_shouldBeReportedCritical() throws IOException {
        // when
        JsonNode outcome = invoke("guard/attach-role-policy-deny-all.json");

        // then: outside the notification path, the topic only
        assertThat(stub.actions()).containsExactly("sns:Publish");
        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(form.get("TopicArn")).isEqualTo(TOPIC);
        assertThat(form.get("Subject")).startsWith("[CRITICAL] TrailGuard: AttachRolePolicy on TrailGuard's IAM role");
        assertThat(outcome.path("outcome").asText()).isEqualTo("GUARD_TAMPERED");
    }
}
