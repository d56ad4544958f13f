package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.render;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.tree;
import static dev.trailguard.infra.TestStacks.typeOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class GuardStackTest {

    private static Template template;
    private static JsonNode tree;

    @BeforeAll
    static void synthesize() {
        // The four functions' stack; the fire drill's fifth function, canary, schedule and alarm: FireDrillStackTest.
        template = TestStacks.guardTemplate(Map.of("notificationEmails", List.of("security@example.com"),
                "fireDrill", false));
        tree = tree(template);
    }

    @Test
    void everyFunction_shouldRunJava21OnArm64WithSnapStartAndItsHandler() {
        // given the stack, when synthesized, then
        template.resourceCountIs("AWS::Lambda::Function", GuardStack.FUNCTIONS.size());
        for (GuardStack.FunctionSpec spec : GuardStack.FUNCTIONS) {
            template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "Handler", spec.handler(),
                    "Runtime", "java21",
                    "Architectures", List.of("arm64"),
                    "MemorySize", GuardStack.MEMORY_MB,
                    "Timeout", 60,
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"))));
        }
        assertThat(GuardStack.FUNCTIONS).extracting(GuardStack.FunctionSpec::handler).containsExactlyInAnyOrder(
                "dev.trailguard.handler.TamperResponder::handleRequest",
                "dev.trailguard.handler.ComplianceResponder::handleRequest",
                "dev.trailguard.handler.RemediationReporter::handleRequest",
                "dev.trailguard.handler.TrailSweeper::handleRequest");
    }

    @Test
    void everyFunction_shouldGetTheContractEnvironmentAndNoReservedVariables() {
        for (JsonNode function : resources(tree, "AWS::Lambda::Function").values()) {
            JsonNode variables = function.path("Properties").path("Environment").path("Variables");
            List<String> names = new ArrayList<>();
            variables.fieldNames().forEachRemaining(names::add);
            // the optional Lake and Athena variables are left out without their context keys (defaults apply)
            assertThat(names).containsExactlyInAnyOrder("TRAILGUARD_TOPIC_ARN", "TRAILGUARD_AUTOMATION_ROLE_ARN",
                    "TRAILGUARD_OWN_ROLE_ARNS", "TRAILGUARD_FUNCTION_ROLE_ARNS", "TRAILGUARD_PASSABLE_LOGS_ROLE_ARNS",
                    "TRAILGUARD_GUARDED_TRAILS", "TRAILGUARD_CONFIG_RULES",
                    "TRAILGUARD_RESOURCE_PREFIX", "TRAILGUARD_AUTHORIZED_ROLE_ARNS",
                    "TRAILGUARD_BASELINE_PARAMETER_PREFIX", "TRAILGUARD_SECOND_CHANNEL_TOPIC_ARN",
                    "TRAILGUARD_TOPIC_KEY_ARN", "TRAILGUARD_SUBSCRIPTIONS", "JAVA_TOOL_OPTIONS");
            assertThat(variables.path("TRAILGUARD_RESOURCE_PREFIX").asText()).isEqualTo(TrailGuardApp.GUARD_STACK_NAME);
            assertThat(variables.path("TRAILGUARD_BASELINE_PARAMETER_PREFIX").asText()).isEqualTo("/trailguard/baseline/");
            assertThat(variables.path("JAVA_TOOL_OPTIONS").asText()).isEqualTo(GuardStack.JAVA_TOOL_OPTIONS);
            assertThat(variables.path("TRAILGUARD_CONFIG_RULES").asText())
                    .isEqualTo("trailguard-cloudtrail-enabled,trailguard-multi-region-cloudtrail-enabled");
            assertThat(variables.path("TRAILGUARD_GUARDED_TRAILS").asText()).isEmpty();
            assertThat(variables.path("TRAILGUARD_TOPIC_ARN").path("Ref").asText()).startsWith("Topic");
        }
    }

    @Test
    void ownRoleArns_shouldListEveryFunctionRoleAndTheAutomationRole() {
        // given the five roles TrailGuard acts as
        Set<String> expected = new HashSet<>();
        resources(tree, "AWS::Lambda::Function").values()
                .forEach(f -> expected.add(f.path("Properties").path("Role").path("Fn::GetAtt").get(0).asText()));
        JsonNode anyFunction = resources(tree, "AWS::Lambda::Function").values().iterator().next();
        JsonNode variables = anyFunction.path("Properties").path("Environment").path("Variables");
        String automationRole = variables.path("TRAILGUARD_AUTOMATION_ROLE_ARN").path("Fn::GetAtt").get(0).asText();
        expected.add(automationRole);

        // when the loop-guard variable is rendered
        String ownRoles = render(variables.path("TRAILGUARD_OWN_ROLE_ARNS"));

        // then it names exactly those roles' ARNs, comma-separated
        Set<String> named = new HashSet<>();
        for (String part : ownRoles.split(",")) {
            assertThat(part).matches("\\$\\{[A-Za-z0-9]+\\.Arn}");
            named.add(part.substring(2, part.indexOf('.')));
        }
        assertThat(named).isEqualTo(expected).hasSize(5);
        expected.forEach(id -> assertThat(typeOf(tree, id)).isEqualTo("AWS::IAM::Role"));
    }

    @Test
    void everyFunction_shouldLogToItsOwnLogGroupWithRetention() {
        Map<String, JsonNode> logGroups = resources(tree, "AWS::Logs::LogGroup");
        assertThat(logGroups).hasSize(GuardStack.FUNCTIONS.size());
        logGroups.values().forEach(group -> {
            assertThat(group.path("Properties").path("RetentionInDays").asInt()).isEqualTo(365);
            assertThat(group.path("DeletionPolicy").asText()).isEqualTo("Retain");
        });
        for (JsonNode function : resources(tree, "AWS::Lambda::Function").values()) {
            String group = function.path("Properties").path("LoggingConfig").path("LogGroup").path("Ref").asText();
            assertThat(logGroups).containsKey(group);
        }
    }

    @Test
    void everyFunction_shouldHaveAPublishedVersionBehindTheLiveAlias() {
        Map<String, JsonNode> aliases = resources(tree, "AWS::Lambda::Alias");
        assertThat(aliases).hasSize(GuardStack.FUNCTIONS.size());
        for (JsonNode alias : aliases.values()) {
            assertThat(alias.path("Properties").path("Name").asText()).isEqualTo(GuardStack.ALIAS_NAME);
            String version = alias.path("Properties").path("FunctionVersion").path("Fn::GetAtt").get(0).asText();
            assertThat(typeOf(tree, version)).isEqualTo("AWS::Lambda::Version");
        }
    }

    @Test
    void asyncInvokeConfig_shouldRetryTwiceOnTheAliasAndSendFailuresToAnSqsQueue() {
        Map<String, JsonNode> configs = resources(tree, "AWS::Lambda::EventInvokeConfig");
        assertThat(configs).hasSize(GuardStack.FUNCTIONS.size());
        for (JsonNode config : configs.values()) {
            JsonNode p = config.path("Properties");
            // The qualifier is the alias name, taken from the alias ARN (…:function:name:live).
            JsonNode select = p.path("Qualifier").path("Fn::Select");
            assertThat(select.get(0).asInt()).isEqualTo(7);
            String alias = select.get(1).path("Fn::Split").get(1).path("Ref").asText();
            assertThat(typeOf(tree, alias)).isEqualTo("AWS::Lambda::Alias");
            assertThat(tree.path("Resources").path(alias).path("Properties").path("Name").asText())
                    .isEqualTo(GuardStack.ALIAS_NAME);
            assertThat(p.path("MaximumRetryAttempts").asInt()).isEqualTo(2);
            String queue = p.path("DestinationConfig").path("OnFailure").path("Destination").path("Fn::GetAtt").get(0).asText();
            assertThat(typeOf(tree, queue)).isEqualTo("AWS::SQS::Queue");
        }
    }

    @Test
    void everyRuleTarget_shouldInvokeAnAliasWithRetriesAndADeadLetterQueue() {
        Map<String, JsonNode> rules = resources(tree, "AWS::Events::Rule");
        // 5 + one guard rule per service (IAM included: the test region is us-east-1, KMS for the topic's key) + the
        // backstop + the rule watch, the backstop watch and the notification path + delivery
        assertThat(rules).hasSize(5 + 7 + 1 + 3 + 1);
        int targets = 0;
        for (Map.Entry<String, JsonNode> rule : rules.entrySet()) {
            if (rule.getKey().startsWith("GuardBackstopRule") || rule.getKey().startsWith("GuardBackstopWatchRule")
                    || rule.getKey().startsWith("GuardNotificationPathRule")) {
                continue; // target a topic directly, see below and SelfGuardStackTest
            }
            for (JsonNode target : rule.getValue().path("Properties").path("Targets")) {
                targets++;
                // A bare function ARN (Fn::GetAtt Function.Arn) would run $LATEST, which has no SnapStart.
                assertThat(target.path("Arn").has("Fn::GetAtt")).as("target %s", target).isFalse();
                String ref = target.path("Arn").path("Ref").asText();
                assertThat(typeOf(tree, ref)).isIn("AWS::Lambda::Alias", "AWS::Lambda::Version");
                assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(GuardStack.TARGET_RETRIES);
                assertThat(target.path("RetryPolicy").path("MaximumEventAgeInSeconds").asInt()).isPositive();
                String dlq = target.path("DeadLetterConfig").path("Arn").path("Fn::GetAtt").get(0).asText();
                assertThat(typeOf(tree, dlq)).isEqualTo("AWS::SQS::Queue");
            }
        }
        assertThat(targets).isEqualTo(4 + 3 + 7 + 1 + 1);
    }

    @Test
    void backstopRule_shouldPublishToTheTopicDirectlyWithRetriesADeadLetterQueueAndANamedMessage() {
        // given the rule that still alerts when the TamperResponder itself is gone
        JsonNode backstop = rule("GuardBackstopRule");
        JsonNode target = backstop.path("Properties").path("Targets").get(0);

        // then it targets the topic, with the same retries and dead-letter queue as every other target
        assertThat(backstop.path("Properties").path("Targets")).hasSize(1);
        assertThat(target.path("Arn").path("Ref").asText()).startsWith("Topic");
        assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(GuardStack.TARGET_RETRIES);
        assertThat(typeOf(tree, target.path("DeadLetterConfig").path("Arn").path("Fn::GetAtt").get(0).asText()))
                .isEqualTo("AWS::SQS::Queue");
        // and the message names the call, the principal and the resource
        JsonNode transformer = target.path("InputTransformer");
        List<String> paths = new ArrayList<>();
        transformer.path("InputPathsMap").elements().forEachRemaining(p -> paths.add(p.asText()));
        assertThat(paths).contains("$.detail.eventName", "$.detail.userIdentity.arn",
                "$.detail.requestParameters.functionName", "$.detail.requestParameters.name",
                "$.detail.requestParameters.rule", "$.detail.requestParameters.roleName");
        transformer.path("InputPathsMap").fieldNames().forEachRemaining(variable ->
                assertThat(transformer.path("InputTemplate").asText()).contains("<" + variable + ">"));
    }

    @Test
    void backstopRule_shouldBeTheOnlyEventBridgePublisherAndMayUseTheTopicKey() {
        // given the topic policy, the delivery queue policy and the key policy
        String ruleArn = "${" + ruleId("GuardBackstopRule") + ".Arn}";
        String topicId = resources(tree, "AWS::SNS::Topic").keySet().stream().filter(id -> id.startsWith("Topic"))
                .findFirst().orElseThrow();
        JsonNode topicPolicy = resources(tree, "AWS::SNS::TopicPolicy").values().stream()
                .filter(p -> TestStacks.renderAll(p.path("Properties").path("Topics")).contains("${" + topicId + "}"))
                .findFirst().orElseThrow();
        JsonNode publish = statementWithService(topicPolicy.path("Properties").path("PolicyDocument"), "events.amazonaws.com");
        JsonNode key = resources(tree, "AWS::KMS::Key").values().iterator().next();
        JsonNode useKey = statementWithService(key.path("Properties").path("KeyPolicy"), "events.amazonaws.com");

        // then EventBridge may publish only on behalf of the backstop rule
        assertThat(TestStacks.strings(publish.path("Action"))).containsExactly("sns:Publish");
        assertThat(render(publish.path("Condition").path("ArnEquals").path("aws:SourceArn"))).isEqualTo(ruleArn);
        // and may use the key only for TrailGuard's topic
        assertThat(TestStacks.strings(useKey.path("Action"))).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey*");
        assertThat(render(useKey.path("Condition").path("StringLike").path("kms:EncryptionContext:aws:sns:topicArn")))
                .isEqualTo("arn:${AWS::Partition}:sns:us-east-1:111122223333:TrailGuard*");
        boolean deadLetters = false;
        for (JsonNode policy : resources(tree, "AWS::SQS::QueuePolicy").values()) {
            for (JsonNode s : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                deadLetters |= ruleArn.equals(render(s.path("Condition").path("ArnEquals").path("aws:SourceArn")));
            }
        }
        assertThat(deadLetters).as("the backstop rule may send to the delivery dead-letter queue").isTrue();
    }

    @Test
    void runbooks_shouldBeNamedAutomationDocumentsWithTheRepositorysYaml() throws Exception {
        Map<String, JsonNode> documents = resources(tree, "AWS::SSM::Document");
        assertThat(documents).hasSize(3);
        com.fasterxml.jackson.databind.ObjectMapper yaml =
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        for (String name : List.of("TrailGuard-RestoreTrail", "TrailGuard-RecreateTrail", "TrailGuard-EnableRule")) {
            // given the runbook file of the repository
            JsonNode file = yaml.readTree(new java.io.File("../runbooks/" + name + ".yaml"));

            // then its document carries exactly that content under exactly the name the functions start
            JsonNode document = documents.values().stream()
                    .filter(d -> name.equals(d.path("Properties").path("Name").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no document " + name));
            JsonNode p = document.path("Properties");
            assertThat(p.path("DocumentType").asText()).isEqualTo("Automation");
            assertThat(p.path("DocumentFormat").asText()).isEqualTo("YAML");
            assertThat(p.path("UpdateMethod").asText()).isEqualTo("NewVersion");
            assertThat(p.path("Content")).isEqualTo(file);
            assertThat(p.path("Content").path("assumeRole").asText()).isEqualTo("{{ AutomationAssumeRole }}");
        }
    }

    @Test
    void documentNames_shouldBeTheOnesTheFunctionsStart() {
        assertThat(GuardStack.RESTORE_RUNBOOK).isEqualTo(dev.trailguard.restore.TrailRestorer.RESTORE_RUNBOOK);
        assertThat(GuardStack.RECREATE_RUNBOOK).isEqualTo(dev.trailguard.restore.TrailRestorer.RECREATE_RUNBOOK);
        assertThat(GuardStack.ENABLE_RULE_RUNBOOK).isEqualTo(dev.trailguard.remediation.RuleReenabler.RUNBOOK);
    }

    @Test
    void remediationStatusRule_shouldFollowEveryRunbookTrailGuardStarts() {
        assertThat(TestStacks.strings(rule("RemediationStatusRule").path("Properties").path("EventPattern")
                .path("detail").path("Definition"))).containsExactlyInAnyOrder("AWS-ConfigureCloudTrailLogging",
                "TrailGuard-RestoreTrail", "TrailGuard-RecreateTrail", "TrailGuard-EnableRule");
    }

    @Test
    void withoutTrailBaselines_shouldDeclareNone() {
        // the only parameters are the rules' deployed definitions (SelfGuardStackTest)
        resources(tree, "AWS::SSM::Parameter").values().forEach(p -> assertThat(render(p.path("Properties")
                .path("Name"))).startsWith(GuardStack.RULE_DEFINITION_PREFIX));
    }

    @Test
    void ownResources_shouldLeaveTheirNamesToCloudFormationSoTheyStartWithTheStackName() {
        // CloudFormation names an unnamed resource "<stack name>-<logical id>-<suffix>": the prefix the guard rules,
        // the functions (TRAILGUARD_RESOURCE_PREFIX) and the SCP recognise TrailGuard's resources by.
        Map<String, String> nameProperty = Map.of("AWS::Lambda::Function", "FunctionName",
                "AWS::IAM::Role", "RoleName", "AWS::Events::Rule", "Name", "AWS::SNS::Topic", "TopicName");
        nameProperty.forEach((type, property) -> resources(tree, type).forEach((id, resource) ->
                assertThat(resource.path("Properties").has(property)).as("%s %s sets %s", type, id, property).isFalse()));
    }

    private static JsonNode rule(String logicalIdPrefix) {
        return tree.path("Resources").path(ruleId(logicalIdPrefix));
    }

    private static String ruleId(String logicalIdPrefix) {
        return resources(tree, "AWS::Events::Rule").keySet().stream().filter(id -> id.startsWith(logicalIdPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no rule " + logicalIdPrefix));
    }

    private static JsonNode statementWithService(JsonNode document, String service) {
        for (JsonNode s : document.path("Statement")) {
            if (TestStacks.strings(s.path("Principal").path("Service")).contains(service)) {
                return s;
            }
        }
        throw new AssertionError("no statement for " + service + " in " + document);
    }

    @Test
    void keepalive_shouldPingTheThreeEventDrivenAliasesDailyWithTheKeepaliveEvent() throws Exception {
        JsonNode keepalive = resources(tree, "AWS::Events::Rule").values().stream()
                .filter(r -> "rate(1 day)".equals(r.path("Properties").path("ScheduleExpression").asText()))
                .findFirst().orElseThrow();
        Set<String> aliasFunctions = new HashSet<>();
        for (JsonNode target : keepalive.path("Properties").path("Targets")) {
            JsonNode input = TestStacks.JSON.readTree(target.path("Input").asText());
            assertThat(input.path("source").asText()).isEqualTo("trailguard.keepalive");
            assertThat(input.path("detail-type").asText()).isEqualTo("TrailGuard Keepalive");
            String alias = target.path("Arn").path("Ref").asText();
            String function = tree.path("Resources").path(alias).path("Properties").path("FunctionName").path("Ref").asText();
            aliasFunctions.add(tree.path("Resources").path(function).path("Properties").path("Handler").asText());
        }
        assertThat(aliasFunctions).containsExactlyInAnyOrder(
                "dev.trailguard.handler.TamperResponder::handleRequest",
                "dev.trailguard.handler.ComplianceResponder::handleRequest",
                "dev.trailguard.handler.RemediationReporter::handleRequest");
    }

    @Test
    void sweep_shouldRunEveryFiveMinutesByDefault() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(5 minutes)")));
    }

    @Test
    void everyQueueAndTheTopic_shouldBeEncryptedAndTlsOnly() {
        Map<String, JsonNode> queues = resources(tree, "AWS::SQS::Queue");
        assertThat(queues).hasSize(GuardStack.FUNCTIONS.size() + 1);
        queues.values().forEach(q -> assertThat(
                q.path("Properties").path("SqsManagedSseEnabled").asBoolean()
                        || q.path("Properties").has("KmsMasterKeyId")).as("queue %s", q).isTrue());
        Map<String, JsonNode> topics = resources(tree, "AWS::SNS::Topic");
        // the topic, and the second channel, which must not depend on the topic's key (SelfGuardStackTest)
        assertThat(topics).hasSize(2);
        JsonNode topic = topics.entrySet().stream().filter(e -> e.getKey().startsWith("Topic")).findFirst()
                .orElseThrow().getValue();
        String key = topic.path("Properties").path("KmsMasterKeyId").path("Fn::GetAtt").get(0).asText();
        assertThat(typeOf(tree, key)).isEqualTo("AWS::KMS::Key");
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));

        // TLS: a deny on aws:SecureTransport=false in the topic policy and in every queue policy
        List<JsonNode> policies = new ArrayList<>(resources(tree, "AWS::SNS::TopicPolicy").values());
        policies.addAll(resources(tree, "AWS::SQS::QueuePolicy").values());
        Set<String> coveredQueues = new HashSet<>();
        for (JsonNode policy : policies) {
            boolean denies = false;
            for (JsonNode s : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                denies |= "Deny".equals(s.path("Effect").asText())
                        && "false".equals(s.path("Condition").path("Bool").path("aws:SecureTransport").asText());
            }
            assertThat(denies).as("policy %s", policy).isTrue();
            policy.path("Properties").path("Queues").forEach(q -> coveredQueues.add(q.path("Ref").asText()));
        }
        assertThat(coveredQueues).isEqualTo(queues.keySet());
    }

    @Test
    void topicKey_shouldLetCloudWatchAlarmsEncrypt() {
        JsonNode key = resources(tree, "AWS::KMS::Key").values().iterator().next();
        boolean cloudWatch = false;
        for (JsonNode s : key.path("Properties").path("KeyPolicy").path("Statement")) {
            if ("cloudwatch.amazonaws.com".equals(s.path("Principal").path("Service").asText())) {
                assertThat(TestStacks.strings(s.path("Action"))).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey*");
                cloudWatch = true;
            }
        }
        assertThat(cloudWatch).isTrue();
    }

    @Test
    void aDeadLetterQueueThatCannotBeWritten_shouldStillRaiseAnAlarm() {
        // every rule: EventBridge's InvocationsFailedToBeSentToDlq; every function: Lambda's DestinationDeliveryFailures
        Set<String> alarmedRules = new HashSet<>();
        Set<String> alarmedFunctions = new HashSet<>();
        for (JsonNode alarm : resources(tree, "AWS::CloudWatch::Alarm").values()) {
            JsonNode p = alarm.path("Properties");
            String metric = p.path("MetricName").asText();
            for (JsonNode d : p.path("Dimensions")) {
                if ("InvocationsFailedToBeSentToDlq".equals(metric) && "RuleName".equals(d.path("Name").asText())) {
                    assertThat(p.path("Namespace").asText()).isEqualTo("AWS/Events");
                    alarmedRules.add(d.path("Value").path("Ref").asText());
                }
                if ("DestinationDeliveryFailures".equals(metric) && "FunctionName".equals(d.path("Name").asText())) {
                    assertThat(p.path("Namespace").asText()).isEqualTo("AWS/Lambda");
                    alarmedFunctions.add(d.path("Value").path("Ref").asText());
                }
            }
            if (metric.equals("InvocationsFailedToBeSentToDlq") || metric.equals("DestinationDeliveryFailures")) {
                assertThat(p.path("Statistic").asText()).isEqualTo("Sum");
                assertThat(p.path("Threshold").asDouble()).isZero();
                // the topic's own delivery failures go to the second channel only (SelfGuardStackTest)
            assertThat(p.path("AlarmActions").get(0).path("Ref").asText()).startsWith(
                    p.path("MetricName").asText().equals("NumberOfNotificationsFailed") ? "SecondChannel" : "Topic");
            }
        }
        assertThat(alarmedRules).isNotEmpty().isEqualTo(resources(tree, "AWS::Events::Rule").keySet());
        assertThat(alarmedFunctions).isEqualTo(resources(tree, "AWS::Lambda::Function").keySet());
    }

    @Test
    void everyDeadLetterQueue_shouldHaveAnAlarmThatPublishesToTheTopic() {
        Map<String, JsonNode> alarms = resources(tree, "AWS::CloudWatch::Alarm");
        Set<String> alarmedQueues = new HashSet<>();
        Set<String> alarmedFunctions = new HashSet<>();
        for (JsonNode alarm : alarms.values()) {
            JsonNode p = alarm.path("Properties");
            // the topic's own delivery failures go to the second channel only (SelfGuardStackTest)
            assertThat(p.path("AlarmActions").get(0).path("Ref").asText()).startsWith(
                    p.path("MetricName").asText().equals("NumberOfNotificationsFailed") ? "SecondChannel" : "Topic");
            assertThat(p.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
            assertThat(p.path("Threshold").asDouble()).isZero();
            for (JsonNode d : p.path("Dimensions")) {
                if ("QueueName".equals(d.path("Name").asText())
                        && "ApproximateNumberOfMessagesVisible".equals(p.path("MetricName").asText())) {
                    alarmedQueues.add(d.path("Value").path("Fn::GetAtt").get(0).asText());
                }
                if ("FunctionName".equals(d.path("Name").asText()) && "Errors".equals(p.path("MetricName").asText())) {
                    alarmedFunctions.add(d.path("Value").path("Ref").asText());
                }
            }
        }
        assertThat(alarmedQueues).isEqualTo(resources(tree, "AWS::SQS::Queue").keySet());
        assertThat(alarmedFunctions).isEqualTo(resources(tree, "AWS::Lambda::Function").keySet());
    }

    @Test
    void configRules_shouldUseTheContractNamesAndNoRecorderByDefault() {
        template.hasResourceProperties("AWS::Config::ConfigRule", Match.objectLike(Map.of(
                "ConfigRuleName", "trailguard-cloudtrail-enabled",
                "Source", Map.of("Owner", "AWS", "SourceIdentifier", "CLOUD_TRAIL_ENABLED"))));
        template.hasResourceProperties("AWS::Config::ConfigRule", Match.objectLike(Map.of(
                "ConfigRuleName", "trailguard-multi-region-cloudtrail-enabled",
                "Source", Map.of("Owner", "AWS", "SourceIdentifier", "MULTI_REGION_CLOUD_TRAIL_ENABLED"))));
        template.resourceCountIs("AWS::Config::ConfigRule", 2);
        template.resourceCountIs("AWS::Config::ConfigurationRecorder", 0);
        template.resourceCountIs("AWS::Config::DeliveryChannel", 0);
    }

    @Test
    void emailContext_shouldSubscribeTheAddress() {
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike(Map.of(
                "Protocol", "email", "Endpoint", "security@example.com")));
        // on the topic and on the second channel
        template.resourceCountIs("AWS::SNS::Subscription", 2);
    }
}
