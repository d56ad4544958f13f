package dev.trailguard.infra;

import static dev.trailguard.infra.OrganizationTestStacks.HUB_ACCOUNT;
import static dev.trailguard.infra.OrganizationTestStacks.HUB_REGION;
import static dev.trailguard.infra.OrganizationTestStacks.ORGANIZATION;
import static dev.trailguard.infra.TestStacks.render;
import static dev.trailguard.infra.TestStacks.renderAll;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.statementsOfRole;
import static dev.trailguard.infra.TestStacks.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Forwarding;
import dev.trailguard.contract.Functions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The hub: a bus only the organization may put events on, the four functions behind it, and how they reach members. */
class HubStackTest {

    private static HubStack hub;
    private static JsonNode tree;
    private static JsonNode single;

    @BeforeAll
    static void synthesize() {
        App app = TestStacks.app(OrganizationTestStacks.context());
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()));
        hub = stacks.organization().hub();
        tree = TestStacks.tree(Template.fromStack(hub));
        single = TestStacks.tree(Template.fromStack(stacks.guard()));
    }

    @Test
    void hub_shouldBePinnedToTheHubAccountAndRegion() {
        assertThat(hub.getStackName()).isEqualTo("TrailGuardHub");
        assertThat(hub.getAccount()).isEqualTo(HUB_ACCOUNT);
        assertThat(hub.getRegion()).isEqualTo(HUB_REGION);
    }

    @Test
    void busPolicy_shouldAdmitOnlyTheOrganization() {
        // given the hub's bus and its resource policy
        JsonNode bus = resources(tree, "AWS::Events::EventBus").values().iterator().next();
        assertThat(bus.path("Properties").path("Name").asText()).isEqualTo("TrailGuardHub");
        List<JsonNode> policies = new ArrayList<>(resources(tree, "AWS::Events::EventBusPolicy").values());
        assertThat(policies).hasSize(1);
        JsonNode statement = policies.get(0).path("Properties").path("Statement");

        // then anyone may put events only if their principal belongs to the organization, and only on this bus
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.path("Principal").toString()).isEqualTo("{\"AWS\":\"*\"}");
        assertThat(strings(statement.path("Action"))).containsExactly("events:PutEvents");
        assertThat(render(statement.path("Resource"))).startsWith("${Bus").endsWith(".Arn}");
        assertThat(statement.path("Condition").size()).isEqualTo(1);
        assertThat(statement.path("Condition").path("StringEquals").size()).isEqualTo(1);
        assertThat(statement.path("Condition").path("StringEquals").path("aws:PrincipalOrgID").asText())
                .isEqualTo(ORGANIZATION);
    }

    @Test
    void eventRules_shouldListenOnTheHubBusWithTheSingleAccountPatterns() {
        // given the single-account stack's rules and the hub's
        Map<String, String> pairs = Map.of("RoutingTamperRule", "TamperRule",
                "RoutingRemediationStatusRule", "RemediationStatusRule");
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            JsonNode onBus = rule(tree, pair.getKey());
            // then each listens on the hub bus, with the pattern the single-account stack uses on its default bus
            assertThat(onBus.path("Properties").path("EventBusName").path("Ref").asText()).startsWith("Bus");
            assertThat(onBus.path("Properties").path("EventPattern"))
                    .isEqualTo(rule(single, pair.getValue()).path("Properties").path("EventPattern"));
        }
        // the Config rule names are the organization rules' as Config deploys them into each account
        JsonNode compliance = rule(tree, "RoutingComplianceRule").path("Properties");
        assertThat(compliance.path("EventBusName").path("Ref").asText()).startsWith("Bus");
        assertThat(compliance.path("EventPattern").path("detail").path("configRuleName").toString()).isEqualTo(
                "[{\"prefix\":\"OrgConfigRule-trailguard-cloudtrail-enabled-\"},"
                        + "{\"prefix\":\"OrgConfigRule-trailguard-multi-region-cloudtrail-enabled-\"}]");
        assertThat(rule(tree, "RoutingMemberResourceCallsRule").path("Properties").path("EventBusName").path("Ref")
                .asText()).startsWith("Bus");
        assertThat(rule(tree, "RoutingDeliveryRule").path("Properties").path("EventBusName").path("Ref")
                .asText()).startsWith("Bus");
    }

    @Test
    void functions_shouldBeToldTheMemberRoleNames() {
        for (JsonNode function : resources(tree, "AWS::Lambda::Function").values()) {
            JsonNode variables = function.path("Properties").path("Environment").path("Variables");
            assertThat(variables.path(Environment.MEMBER_ROLE_NAME).asText()).isEqualTo("TrailGuard-Member");
            assertThat(variables.path(Environment.MEMBER_AUTOMATION_ROLE_NAME).asText())
                    .isEqualTo("TrailGuard-Automation");
            // in its own account the hub passes the member automation role its account holds as a member
            assertThat(render(variables.path(Environment.AUTOMATION_ROLE_ARN)))
                    .isEqualTo("arn:${AWS::Partition}:iam::" + HUB_ACCOUNT + ":role/TrailGuard-Automation");
            assertThat(variables.path(Environment.RESOURCE_PREFIX).asText()).isEqualTo("TrailGuard");
            // the bus the members' forwarding rules target (the sweep compares their targets with it)
            assertThat(render(variables.path(Forwarding.HUB_BUS_ARN_VARIABLE))).startsWith("${Bus").endsWith(".Arn}");
            assertThat(variables.path(Environment.CONFIG_RULES).asText())
                    .isEqualTo("trailguard-cloudtrail-enabled,trailguard-multi-region-cloudtrail-enabled");
        }
    }

    @Test
    void logsRolesAndBaselinesOfTheSingleAccountContext_shouldNotReachTheHub() {
        // given a cdk.json that also configures the single-account stack's CloudWatch Logs roles and baselines
        Map<String, Object> context = new java.util.HashMap<>(OrganizationTestStacks.context());
        context.put("trailCloudWatchLogsRoleArns", List.of("arn:aws:iam::444455556666:role/CloudTrail_CloudWatchLogs_Role"));
        context.put("trailBaselines", Map.of("management-events", Map.of("Trail", Map.of("S3BucketName", "org-trail-logs",
                "CloudWatchLogsRoleArn", "arn:aws:iam::444455556666:role/CloudTrail_CloudWatchLogs_Role"))));
        App app = TestStacks.app(context);
        JsonNode withThem = TestStacks.tree(Template.fromStack(TestStacks.stacks(app,
                TrailGuardApp.environment(app.getNode())).organization().hub()));

        // then the hub's functions are not told they could pass a logs role (the member automation role passes none)
        for (JsonNode function : resources(withThem, "AWS::Lambda::Function").values()) {
            assertThat(function.path("Properties").path("Environment").path("Variables")
                    .path(Environment.PASSABLE_LOGS_ROLE_ARNS).asText()).isEmpty();
        }
        // and no declared baseline parameter (the hub's only parameters are its rules' deployed definitions)
        assertThat(resources(withThem, "AWS::SSM::Parameter").values()).isNotEmpty().allSatisfy(p ->
                assertThat(render(p.path("Properties").path("Name"))).startsWith(GuardStack.RULE_DEFINITION_PREFIX));
    }

    @Test
    void functionRoles_shouldHaveTheNamesTheMembersTrust_andAssumeOnlyTheMemberRoleInTheOrganization() {
        for (String function : Functions.ALL) {
            String roleId = TestStacks.roleIdOfFunction(tree,
                    TestStacks.functionId(tree, Functions.handler(function)));
            assertThat(tree.path("Resources").path(roleId).path("Properties").path("RoleName").asText())
                    .isEqualTo("TrailGuardHub-" + function);
            List<JsonNode> statements = statementsOfRole(tree, roleId);
            List<JsonNode> assume = statements.stream()
                    .filter(s -> strings(s.path("Action")).stream().anyMatch(a -> a.startsWith("sts:"))).toList();
            assertThat(assume).as(function).hasSize(1);
            assertThat(strings(assume.get(0).path("Action"))).containsExactly("sts:AssumeRole");
            assertThat(renderAll(assume.get(0).path("Resource")))
                    .containsExactly("arn:${AWS::Partition}:iam::*:role/TrailGuard-Member");
            assertThat(assume.get(0).path("Condition").toString())
                    .isEqualTo("{\"StringEquals\":{\"aws:ResourceOrgID\":\"" + ORGANIZATION + "\"}}");
            JsonNode describe = statements.stream()
                    .filter(s -> strings(s.path("Action")).contains("organizations:DescribeAccount")).findFirst()
                    .orElseThrow();
            assertThat(renderAll(describe.path("Resource")))
                    .containsExactly("arn:${AWS::Partition}:organizations::*:account/" + ORGANIZATION + "/*");
            assertThat(strings(describe.path("Action"))).as(function)
                    .containsExactlyInAnyOrder("organizations:DescribeAccount", "organizations:ListParents");
        }
    }

    @Test
    void backstop_shouldBeConfigOrganizationRulesInsteadOfPerAccountRules() {
        assertThat(resources(tree, "AWS::Config::ConfigRule")).isEmpty();
        List<JsonNode> rules = new ArrayList<>(resources(tree, "AWS::Config::OrganizationConfigRule").values());
        assertThat(rules).extracting(r -> r.path("Properties").path("OrganizationConfigRuleName").asText())
                .containsExactly("trailguard-cloudtrail-enabled", "trailguard-multi-region-cloudtrail-enabled");
        assertThat(rules).extracting(r -> r.path("Properties").path("OrganizationManagedRuleMetadata")
                .path("RuleIdentifier").asText()).containsExactly("CLOUD_TRAIL_ENABLED", "MULTI_REGION_CLOUD_TRAIL_ENABLED");
        assertThat(rules).allMatch(r -> r.path("Properties").path("OrganizationManagedRuleMetadata")
                .path("MaximumExecutionFrequency").asText().equals("One_Hour"));
    }

    @Test
    void everyRule_shouldHaveItsDeliveryFailureAlarm_withTheBusDimensionOnTheHubBus() {
        // given every rule and every alarm on InvocationsFailedToBeSentToDlq
        Map<String, JsonNode> rules = resources(tree, "AWS::Events::Rule");
        List<JsonNode> alarms = resources(tree, "AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> a.path("Properties").path("MetricName").asText().equals("InvocationsFailedToBeSentToDlq"))
                .toList();

        // then one alarm per rule, and the hub bus's rules are measured on the hub bus (else they would never fire)
        assertThat(alarms).hasSize(rules.size());
        long onBus = rules.values().stream().filter(r -> r.path("Properties").has("EventBusName")).count();
        // tamper calls, compliance, runbook results, member resource calls and (#14 items 5 and 6) delivery calls
        assertThat(onBus).isEqualTo(5);
        assertThat(alarms.stream().filter(a -> a.path("Properties").path("Dimensions").toString()
                .contains("\"Name\":\"EventBusName\"")).count()).isEqualTo(onBus);
        // and every alarm notifies the topic, but the topic's own delivery failures the second channel (#14 item 9)
        resources(tree, "AWS::CloudWatch::Alarm").values().forEach(a ->
                assertThat(a.path("Properties").path("AlarmActions").get(0).path("Ref").asText())
                        .startsWith(a.path("Properties").path("MetricName").asText()
                                .equals("NumberOfNotificationsFailed") ? "NotificationsSecondChannel"
                                : "NotificationsTopic"));
    }

    @Test
    void theHubsOwnResources_shouldBeGuarded_withoutRepeatingWhatItsMemberForwardingReports() {
        // the hub's functions, rules and topic as in the single-account stack
        for (String guard : List.of("GuardTheGuardGuardEventBridgeRule", "GuardTheGuardGuardLambdaRule",
                "GuardTheGuardGuardSnsRule", "GuardTheGuardGuardBackstopRule")) {
            assertThat(rule(tree, guard).path("Properties").path("EventPattern").toString()).as(guard)
                    .contains("TrailGuardHub");
        }
        // the recorder, runbook and baseline calls in the hub account come through its member forwarding rule once
        assertThat(resources(tree, "AWS::Events::Rule").keySet())
                .noneMatch(id -> id.startsWith("GuardTheGuardGuardSsmRule") || id.startsWith("GuardTheGuardGuardConfigRule"));
        assertThat(rule(tree, "RoutingMemberResourceCallsRule").path("Properties").path("EventPattern").toString())
                .contains("StopConfigurationRecorder", "DeleteDocument", "/trailguard/baseline/");
    }

    @Test
    void everyHubRule_onEitherBus_shouldHaveItsDeployedDefinition_andTheResponderMayPutItBack() throws Exception {
        // given every rule and every definition parameter of the hub
        Map<String, JsonNode> rules = resources(tree, "AWS::Events::Rule");
        Map<String, JsonNode> definitions = TestStacks.ruleDefinitions(tree);

        // then each rule has one, and a rule on the hub bus says so (the restore puts it back there)
        assertThat(definitions).hasSize(rules.size());
        int onHubBus = 0;
        for (Map.Entry<String, JsonNode> rule : rules.entrySet()) {
            JsonNode parameter = definitions.get("${" + rule.getKey() + "}");
            assertThat(parameter).as(rule.getKey()).isNotNull();
            JsonNode definition = TestStacks.JSON.readTree(render(parameter.path("Properties").path("Value")));
            JsonNode bus = rule.getValue().path("Properties").path("EventBusName");
            if (bus.isMissingNode()) {
                assertThat(definition.has("eventBusName")).as(rule.getKey()).isFalse();
            } else {
                onHubBus++;
                assertThat(definition.path("eventBusName").asText()).as(rule.getKey()).isEqualTo(render(bus));
            }
            assertThat(definition.path("targets")).hasSize(rule.getValue().path("Properties").path("Targets").size());
        }
        assertThat(onHubBus).isEqualTo(5);

        // and the hub's TamperResponder reads the hub's definitions and may put its rules back, on both buses
        List<JsonNode> statements = statementsOfRole(tree, TestStacks.roleIdOfFunction(tree,
                TestStacks.functionId(tree, dev.trailguard.contract.Functions.handler(
                        dev.trailguard.contract.Functions.TAMPER_RESPONDER))));
        JsonNode read = statements.stream().filter(s -> "ReadDeployedRuleDefinitions".equals(s.path("Sid").asText()))
                .findFirst().orElseThrow();
        assertThat(renderAll(read.path("Resource"))).containsExactly("arn:${AWS::Partition}:ssm:" + HUB_REGION + ":"
                + HUB_ACCOUNT + ":parameter/trailguard/rules/TrailGuardHub*");
        JsonNode put = statements.stream().filter(s -> "PutTrailGuardRulesBack".equals(s.path("Sid").asText()))
                .findFirst().orElseThrow();
        // rule/TrailGuardHub* covers rule/TrailGuardHub-... (default bus) and rule/TrailGuardHub/... (hub bus)
        assertThat(renderAll(put.path("Resource"))).containsExactly("arn:${AWS::Partition}:events:" + HUB_REGION + ":"
                + HUB_ACCOUNT + ":rule/TrailGuardHub*");
        // a change to a definition in the hub account reaches the TamperResponder through its member forwarding
        assertThat(rule(tree, "RoutingMemberResourceCallsRule").path("Properties").path("EventPattern").toString())
                .contains(GuardStack.RULE_DEFINITION_PREFIX);
    }

    @Test
    void theHubBus_shouldBeGuardedStraightToTheTopic() {
        JsonNode rule = rule(tree, "BusGuardHubBusRule").path("Properties");
        assertThat(rule.path("EventPattern").path("detail").toString()).contains("DeleteEventBus", "PutPermission",
                "RemovePermission", "\"TrailGuardHub\"");
        assertThat(rule.path("Targets").get(0).path("Arn").path("Ref").asText()).startsWith("NotificationsTopic");
    }

    @Test
    void withoutTheHubKeys_noOrganizationStackIsSynthesized() {
        // given today's default context, or the organization id alone (what the guardrail needs)
        for (Map<String, Object> context : List.<Map<String, Object>>of(Map.of(),
                Map.of("organizationId", ORGANIZATION))) {
            TrailGuardApp.Stacks stacks = TestStacks.stacks(TestStacks.app(context), (software.amazon.awscdk.Environment) null);
            // then the app is today's
            assertThat(stacks.organization()).as(context.toString()).isNull();
            assertThat(stacks.all()).extracting(s -> s.getStackName()).containsExactly("TrailGuard");
        }
    }

    static JsonNode rule(JsonNode template, String logicalIdPrefix) {
        List<JsonNode> found = resources(template, "AWS::Events::Rule").entrySet().stream()
                .filter(e -> e.getKey().startsWith(logicalIdPrefix) && e.getKey().length() == logicalIdPrefix.length() + 8)
                .map(Map.Entry::getValue).toList();
        assertThat(found).as(logicalIdPrefix).hasSize(1);
        return found.get(0);
    }
}
