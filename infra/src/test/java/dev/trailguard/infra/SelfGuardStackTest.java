package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.render;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Functions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * #14 items 8-10 in the template: the second channel, the rules that watch the watchers and the notification path, the
 * deployed rule definitions the TamperResponder puts rules back from, and what the TamperResponder is given for it.
 */
class SelfGuardStackTest {

    private static JsonNode tree;

    @BeforeAll
    static void synthesize() {
        Template template = TestStacks.guardTemplate(Map.of("notificationEmails", List.of("security@example.com"),
                "jsonSubscriberQueueArn", "arn:aws:sqs:us-east-1:444455556666:siem-intake"));
        tree = tree(template);
    }

    private static String idOf(String type, String prefix) {
        return resources(tree, type).keySet().stream().filter(id -> id.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + prefix));
    }

    private static JsonNode resource(String type, String prefix) {
        return tree.path("Resources").path(idOf(type, prefix));
    }

    @Test
    void secondChannel_shouldBeATopicWithoutTrailGuardsKeyTlsOnlyWithTheSameSubscribers() {
        // given the second channel and the topic
        String second = idOf("AWS::SNS::Topic", "SecondChannel");
        String topic = idOf("AWS::SNS::Topic", "Topic");

        // then it has no KMS key at all (the topic's key is what it must survive), the topic has one
        assertThat(tree.path("Resources").path(second).path("Properties").has("KmsMasterKeyId")).isFalse();
        assertThat(tree.path("Resources").path(topic).path("Properties").has("KmsMasterKeyId")).isTrue();
        // and TLS only
        boolean tlsOnly = false;
        for (JsonNode policy : resources(tree, "AWS::SNS::TopicPolicy").values()) {
            if (TestStacks.renderAll(policy.path("Properties").path("Topics")).contains("${" + second + "}")) {
                for (JsonNode s : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                    tlsOnly |= "Deny".equals(s.path("Effect").asText())
                            && "false".equals(s.path("Condition").path("Bool").path("aws:SecureTransport").asText());
                }
            }
        }
        assertThat(tlsOnly).isTrue();
        // and the same e-mail and queue subscribers as the topic
        List<String> onSecond = new ArrayList<>();
        List<String> onTopic = new ArrayList<>();
        resources(tree, "AWS::SNS::Subscription").values().forEach(s -> {
            JsonNode p = s.path("Properties");
            String subscriber = p.path("Protocol").asText() + " " + p.path("Endpoint").asText();
            (render(p.path("TopicArn")).equals("${" + second + "}") ? onSecond : onTopic).add(subscriber);
        });
        assertThat(onSecond).containsExactlyInAnyOrder("email security@example.com",
                "sqs arn:aws:sqs:us-east-1:444455556666:siem-intake");
        assertThat(onTopic).containsExactlyInAnyOrderElementsOf(onSecond);
    }

    @Test
    void notificationPathRule_shouldSendKeyTopicAndSubscriptionCallsStraightToTheSecondChannel() {
        // given the rule
        String ruleId = idOf("AWS::Events::Rule", "GuardNotificationPathRule");
        JsonNode rule = tree.path("Resources").path(ruleId).path("Properties");
        JsonNode pattern = rule.path("EventPattern");

        // then it watches SNS and KMS, the topic key by ARN, and targets only the second channel
        assertThat(TestStacks.strings(pattern.path("source"))).containsExactlyInAnyOrder("aws.sns", "aws.kms");
        assertThat(pattern.toString()).contains("PutDataProtectionPolicy", "Unsubscribe", "SetSubscriptionAttributes",
                "DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy");
        assertThat(pattern.toString()).contains("\"Fn::GetAtt\":[\"" + idOf("AWS::KMS::Key", "TopicKey") + "\",\"Arn\"]");
        assertThat(rule.path("Targets")).hasSize(1);
        assertThat(render(rule.path("Targets").get(0).path("Arn")))
                .isEqualTo("${" + idOf("AWS::SNS::Topic", "SecondChannel") + "}");
        assertThat(rule.path("Targets").get(0).path("DeadLetterConfig").isObject()).isTrue();
        // and the second channel lets EventBridge publish for this rule
        assertThat(publishersOf(idOf("AWS::SNS::Topic", "SecondChannel")))
                .contains("${" + ruleId + ".Arn}", "${" + idOf("AWS::Events::Rule", "GuardBackstopWatchRule") + ".Arn}");
    }

    /** The rules EventBridge may publish to the topic for (aws:SourceArn of its events.amazonaws.com statements). */
    private static List<String> publishersOf(String topicId) {
        List<String> rules = new ArrayList<>();
        for (JsonNode policy : resources(tree, "AWS::SNS::TopicPolicy").values()) {
            if (!TestStacks.renderAll(policy.path("Properties").path("Topics")).contains("${" + topicId + "}")) {
                continue;
            }
            for (JsonNode s : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                if (TestStacks.strings(s.path("Principal").path("Service")).contains("events.amazonaws.com")) {
                    rules.add(render(s.path("Condition").path("ArnEquals").path("aws:SourceArn")));
                }
            }
        }
        return rules;
    }

    @Test
    void watchRules_shouldEachWatchTheRuleThatCannotSeeItsOwnChange() {
        String guardRule = idOf("AWS::Events::Rule", "GuardEventBridgeRule");
        String backstop = idOf("AWS::Events::Rule", "GuardBackstopRule");
        JsonNode ruleWatch = resource("AWS::Events::Rule", "GuardRuleWatchRule").path("Properties");
        JsonNode backstopWatch = resource("AWS::Events::Rule", "GuardBackstopWatchRule").path("Properties");

        // then the rule watch names the EventBridge guard rule and goes to the TamperResponder's alias
        assertThat(ruleWatch.path("EventPattern").toString()).contains("{\"Ref\":\"" + guardRule + "\"}")
                .contains("PutRule", "PutTargets", "RemoveTargets", "DisableRule", "DeleteRule");
        assertThat(render(ruleWatch.path("Targets").get(0).path("Arn"))).startsWith("${TamperResponderAlias");
        // and the backstop watch names the backstop rule and goes to the second channel
        assertThat(backstopWatch.path("EventPattern").toString()).contains("{\"Ref\":\"" + backstop + "\"}")
                .contains("PutRule", "PutTargets");
        assertThat(render(backstopWatch.path("Targets").get(0).path("Arn")))
                .isEqualTo("${" + idOf("AWS::SNS::Topic", "SecondChannel") + "}");
        // and the backstop itself now covers every call that changes or disables a rule
        assertThat(resource("AWS::Events::Rule", "GuardBackstopRule").path("Properties").path("EventPattern")
                .toString()).contains("\"PutRule\"", "\"PutTargets\"", "\"RemoveTargets\"", "\"AttachRolePolicy\"");
    }

    @Test
    void deployedRules_shouldHoldEveryRulesPatternAndTargetsUnderItsName() throws Exception {
        // given every rule and every definition parameter
        Map<String, JsonNode> rules = resources(tree, "AWS::Events::Rule");
        Map<String, JsonNode> definitions = TestStacks.ruleDefinitions(tree);

        // then each rule has exactly one, named after it
        assertThat(definitions).hasSize(rules.size());
        for (Map.Entry<String, JsonNode> rule : rules.entrySet()) {
            JsonNode parameter = definitions.get("${" + rule.getKey() + "}");
            assertThat(parameter).as(rule.getKey()).isNotNull();
            assertThat(parameter.path("Properties").path("Tier").asText()).isEqualTo("Intelligent-Tiering");
            // holding what CloudFormation deploys: the same pattern (or schedule) and the same targets
            JsonNode definition = TestStacks.JSON.readTree(render(parameter.path("Properties").path("Value")));
            JsonNode deployed = rule.getValue().path("Properties");
            if (deployed.has("EventPattern")) {
                assertThat(definition.path("eventPattern").toString()).as(rule.getKey())
                        .isEqualTo(TestStacks.JSON.readTree(rendered(deployed.path("EventPattern"))).toString());
            } else {
                assertThat(definition.path("scheduleExpression").asText())
                        .isEqualTo(deployed.path("ScheduleExpression").asText());
            }
            assertThat(definition.path("state").asText()).isEqualTo("ENABLED");
            assertThat(definition.path("targets")).hasSize(deployed.path("Targets").size());
            for (int i = 0; i < deployed.path("Targets").size(); i++) {
                JsonNode target = deployed.path("Targets").get(i);
                JsonNode written = definition.path("targets").get(i);
                assertThat(written.path("id").asText()).isEqualTo(target.path("Id").asText());
                assertThat(written.path("arn").asText()).isEqualTo(render(target.path("Arn")));
                assertThat(written.path("deadLetterConfig").path("arn").asText())
                        .isEqualTo(render(target.path("DeadLetterConfig").path("Arn")));
                assertThat(written.path("retryPolicy").path("maximumRetryAttempts").asInt())
                        .isEqualTo(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt());
            }
            // and a standard-tier parameter's 4 KB (no charge) leave room for the ARNs CloudFormation fills in
            assertThat(render(parameter.path("Properties").path("Value")).length()).as(rule.getKey()).isLessThan(3500);
        }
    }

    /** The pattern as JSON text with its Refs and GetAtts rendered like the definition's. */
    private static String rendered(JsonNode node) throws Exception {
        if (node.isObject() && (node.has("Ref") || node.has("Fn::GetAtt") || node.has("Fn::Join"))) {
            return TestStacks.JSON.writeValueAsString(render(node));
        }
        if (node.isObject()) {
            StringBuilder out = new StringBuilder("{");
            var fields = node.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                out.append(TestStacks.JSON.writeValueAsString(e.getKey())).append(':').append(rendered(e.getValue()));
                if (fields.hasNext()) {
                    out.append(',');
                }
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                items.add(rendered(item));
            }
            return "[" + String.join(",", items) + "]";
        }
        return node.toString();
    }

    @Test
    void tamperResponder_shouldKnowTheSecondChannelTheKeyAndTheConfiguredSubscriptions() throws Exception {
        JsonNode variables = tree.path("Resources").path(TestStacks.functionId(tree,
                Functions.handler(Functions.TAMPER_RESPONDER))).path("Properties").path("Environment")
                .path("Variables");
        assertThat(render(variables.path(Environment.SECOND_CHANNEL_TOPIC_ARN)))
                .isEqualTo("${" + idOf("AWS::SNS::Topic", "SecondChannel") + "}");
        assertThat(render(variables.path(Environment.TOPIC_KEY_ARN)))
                .isEqualTo("${" + idOf("AWS::KMS::Key", "TopicKey") + ".Arn}");
        JsonNode subscriptions = TestStacks.JSON.readTree(variables.path(Environment.SUBSCRIPTIONS).asText());
        assertThat(subscriptions.toString()).isEqualTo("[{\"protocol\":\"email\",\"endpoint\":\"security@example.com\"},"
                + "{\"protocol\":\"sqs\",\"endpoint\":\"arn:aws:sqs:us-east-1:444455556666:siem-intake\"}]");
    }

    @Test
    void onlyTheTamperResponder_mayPutRulesAndSubscriptionsBack_onTrailGuardsOwnOnly() {
        for (GuardStack.FunctionSpec spec : GuardStack.FUNCTIONS) {
            String role = TestStacks.roleIdOfFunction(tree, TestStacks.functionId(tree, spec.handler()));
            List<JsonNode> statements = TestStacks.statementsOfRole(tree, role);
            JsonNode rules = statements.stream().filter(s -> "PutTrailGuardRulesBack".equals(s.path("Sid").asText()))
                    .findFirst().orElse(null);
            JsonNode subscriptions = statements.stream()
                    .filter(s -> "PutSubscriptionsBack".equals(s.path("Sid").asText())).findFirst().orElse(null);
            if (!spec.name().equals(Functions.TAMPER_RESPONDER)) {
                assertThat(rules).as(spec.name()).isNull();
                assertThat(subscriptions).as(spec.name()).isNull();
                continue;
            }
            assertThat(TestStacks.strings(rules.path("Action"))).containsExactlyInAnyOrder("events:DescribeRule",
                    "events:ListTargetsByRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets");
            assertThat(TestStacks.renderAll(rules.path("Resource")))
                    .containsExactly("arn:${AWS::Partition}:events:us-east-1:111122223333:rule/TrailGuard*");
            assertThat(TestStacks.renderAll(subscriptions.path("Resource"))).containsExactlyInAnyOrder(
                    "${" + idOf("AWS::SNS::Topic", "Topic") + "}",
                    "${" + idOf("AWS::SNS::Topic", "SecondChannel") + "}");
            JsonNode definitions = statements.stream()
                    .filter(s -> "ReadDeployedRuleDefinitions".equals(s.path("Sid").asText())).findFirst().orElseThrow();
            assertThat(TestStacks.renderAll(definitions.path("Resource"))).containsExactly(
                    "arn:${AWS::Partition}:ssm:us-east-1:111122223333:parameter/trailguard/rules/TrailGuard*");
        }
    }

    @Test
    void topicKey_shouldCarryTheTagTheScpRecognisesItBy() {
        JsonNode tags = resource("AWS::KMS::Key", "TopicKey").path("Properties").path("Tags");
        boolean tagged = false;
        for (JsonNode tag : tags) {
            tagged |= Notifications.PROTECTED_TAG.equals(tag.path("Key").asText())
                    && "true".equals(tag.path("Value").asText());
        }
        assertThat(tagged).isTrue();
    }

    @Test
    void theTopicsOwnDeliveryFailuresAndTheDeadLetters_shouldAlsoReachTheSecondChannel() {
        String second = "${" + idOf("AWS::SNS::Topic", "SecondChannel") + "}";
        JsonNode delivery = resource("AWS::CloudWatch::Alarm", "TopicDeliveryFailuresAlarm").path("Properties");
        assertThat(delivery.path("MetricName").asText()).isEqualTo("NumberOfNotificationsFailed");
        assertThat(TestStacks.renderAll(delivery.path("AlarmActions"))).containsExactly(second);
        JsonNode dlq = resource("AWS::CloudWatch::Alarm", "EventDeliveryDlqAlarm").path("Properties");
        assertThat(TestStacks.renderAll(dlq.path("AlarmActions")))
                .containsExactly("${" + idOf("AWS::SNS::Topic", "Topic") + "}", second);
    }
}
