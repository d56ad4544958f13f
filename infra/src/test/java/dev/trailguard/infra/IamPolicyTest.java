package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.renderAll;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.statementsOfRole;
import static dev.trailguard.infra.TestStacks.strings;
import static dev.trailguard.infra.TestStacks.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class IamPolicyTest {

    private static final String ANY_TRAIL = "arn:${AWS::Partition}:cloudtrail:*:111122223333:trail/*";
    private static final String EXECUTIONS_ANY_REGION = "arn:${AWS::Partition}:ssm:*:111122223333:automation-execution/*";
    private static final String OWN_RULES = "arn:${AWS::Partition}:events:us-east-1:111122223333:rule/TrailGuard*";
    private static final String HERE = "arn:${AWS::Partition}:ssm:us-east-1:111122223333:";

    private static JsonNode tree;
    private static String automationRoleId;

    @BeforeAll
    static void synthesize() {
        Template template = TestStacks.guardTemplate(Map.of());
        tree = tree(template);
        JsonNode anyFunction = resources(tree, "AWS::Lambda::Function").values().iterator().next();
        automationRoleId = anyFunction.path("Properties").path("Environment").path("Variables")
                .path("TRAILGUARD_AUTOMATION_ROLE_ARN").path("Fn::GetAtt").get(0).asText();
    }

    @Test
    void automationRoleTrust_shouldBeExactlySsmWithConfusedDeputyConditions() {
        // given the role the functions pass to the runbook
        JsonNode trust = tree.path("Resources").path(automationRoleId).path("Properties")
                .path("AssumeRolePolicyDocument").path("Statement");

        // then only Systems Manager may assume it (config.amazonaws.com is the classic mistake)
        assertThat(trust).hasSize(1);
        JsonNode statement = trust.get(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(strings(statement.path("Action"))).containsExactly("sts:AssumeRole");
        assertThat(statement.path("Principal").size()).isEqualTo(1);
        assertThat(strings(statement.path("Principal").path("Service"))).containsExactly("ssm.amazonaws.com");
        assertThat(statement.path("Condition").path("StringEquals").path("aws:SourceAccount").asText())
                .isEqualTo(TestStacks.ACCOUNT);
        assertThat(TestStacks.render(statement.path("Condition").path("ArnLike").path("aws:SourceArn")))
                .isEqualTo(EXECUTIONS_ANY_REGION);
        assertThat(statement.path("Condition").size()).isEqualTo(2);
    }

    @Test
    void automationRole_shouldOnlyRestoreAndReadTrailsAndEnableTrailGuardsRules() {
        // given the role all runbooks run as
        List<JsonNode> statements = statementsOfRole(tree, automationRoleId);

        // then it may restore, recreate and restart the guarded trails, and enable TrailGuard's own rules: nothing else
        assertThat(actions(statements)).containsExactlyInAnyOrder(
                "cloudtrail:UpdateTrail", "cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors",
                "cloudtrail:PutInsightSelectors", "cloudtrail:StartLogging", "cloudtrail:GetTrail",
                "cloudtrail:GetTrailStatus", "cloudtrail:DescribeTrails", "events:EnableRule", "events:DescribeRule");
        for (String action : GuardStack.TRAIL_RESTORE_ACTIONS) {
            assertThat(resourcesOf(statements, action)).as(action).containsExactly(ANY_TRAIL);
        }
        assertThat(resourcesOf(statements, "cloudtrail:DescribeTrails")).containsExactly("*");
        assertThat(resourcesOf(statements, "events:EnableRule")).containsExactly(OWN_RULES);
        assertThat(resourcesOf(statements, "events:DescribeRule")).containsExactly(OWN_RULES);
        // and without trailCloudWatchLogsRoleArns it passes no role at all
        assertThat(actions(statements)).doesNotContain("iam:PassRole");
        assertThat(tree.path("Resources").path(automationRoleId).path("Properties").has("ManagedPolicyArns")).isFalse();
    }

    @Test
    void trailCloudWatchLogsRoles_shouldBePassableToCloudTrailOnly() {
        // given the guarded trail's CloudWatch Logs delivery role in context
        String logsRole = "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role";
        JsonNode withLogs = tree(TestStacks.guardTemplate(Map.of("trailCloudWatchLogsRoleArns", List.of(logsRole))));
        String role = automationRoleOf(withLogs);

        // when the automation role's statements are read
        JsonNode passRole = statementsOfRole(withLogs, role).stream()
                .filter(s -> strings(s.path("Action")).contains("iam:PassRole")).findFirst().orElseThrow();

        // then it may pass exactly that role, and only to CloudTrail
        assertThat(renderAll(passRole.path("Resource"))).containsExactly(logsRole);
        assertThat(passRole.path("Condition").path("StringEquals").path("iam:PassedToService").asText())
                .isEqualTo("cloudtrail.amazonaws.com");
    }

    @Test
    void remediatingFunctions_shouldGetExactlyTheContractActions() {
        for (String handler : List.of("TamperResponder", "ComplianceResponder", "TrailSweeper")) {
            List<JsonNode> statements = statementsOf(handler);

            List<String> expected = new ArrayList<>(List.of(
                    "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    // only when SSM refuses the runbook for capacity (issue 14, item 7)
                    "cloudtrail:StartLogging",
                    "ssm:StartAutomationExecution", "ssm:AddTagsToResource", "iam:PassRole",
                    "sns:Publish", "kms:Decrypt", "kms:GenerateDataKey*",
                    "logs:CreateLogStream", "logs:PutLogEvents",
                    "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"));
            List<String> runbooks = new ArrayList<>(List.of(
                    "arn:${AWS::Partition}:ssm:*::automation-definition/AWS-ConfigureCloudTrailLogging:*",
                    "arn:${AWS::Partition}:ssm:*::document/AWS-ConfigureCloudTrailLogging",
                    EXECUTIONS_ANY_REGION));
            if (handler.equals("TamperResponder")) {
                // only the event path escalates repeated StopLogging by one actor
                expected.add("ssm:DescribeAutomationExecutions");
                // and checks that a call by the automation role came from an execution TrailGuard started itself
                expected.add("ssm:GetAutomationExecution");
                assertThat(resourcesOf(statements, "ssm:GetAutomationExecution")).containsExactly(EXECUTIONS_ANY_REGION);
                // and only it re-enables rules
                runbooks.add(HERE + "automation-definition/TrailGuard-EnableRule:*");
                // and only it answers delivery sabotage: restarts Lake and the recorder, makes a trail's key usable
                // again (key and bucket writes only with declared baselines: DeliveryProtectionTest); it finds the
                // trails' buckets and keys with the GetTrail every remediating function has
                expected.addAll(List.of("cloudtrail:StartEventDataStoreIngestion",
                        "cloudtrail:RestoreEventDataStore", "config:StartConfigurationRecorder",
                        "kms:CancelKeyDeletion", "kms:EnableKey"));
                // it puts TrailGuard's rules and subscriptions back (#14 items 8 and 10; SelfGuardStackTest)
                expected.addAll(List.of("events:DescribeRule", "events:ListTargetsByRule", "events:PutRule",
                        "events:PutTargets", "events:RemoveTargets", "sns:ListSubscriptionsByTopic", "sns:Subscribe",
                        "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"));
            }
            // every remediating function reconciles a restart with the trail's baseline (two sources) and restores
            // or recreates a trail that differs or is gone
            expected.addAll(List.of("ssm:GetParameter", "config:GetResourceConfigHistory", "cloudtrail:GetTrail",
                    "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors"));
            runbooks.addAll(List.of(HERE + "automation-definition/TrailGuard-RestoreTrail:*",
                    HERE + "automation-definition/TrailGuard-RecreateTrail:*"));
            // (the TamperResponder also reads the deployed definitions it puts TrailGuard's own rules back from)
            assertThat(resourcesOf(statements, "ssm:GetParameter")).as(handler).containsExactlyInAnyOrderElementsOf(
                    handler.equals("TamperResponder") ? List.of(HERE + "parameter/trailguard/baseline/*",
                            HERE + "parameter/trailguard/rules/TrailGuard*")
                            : List.of(HERE + "parameter/trailguard/baseline/*"));
            // GetResourceConfigHistory supports no resource-level permissions
            assertThat(resourcesOf(statements, "config:GetResourceConfigHistory")).containsExactly("*");
            assertThat(resourcesOf(statements, "cloudtrail:GetTrail")).containsExactly(ANY_TRAIL);
            if (handler.equals("TrailSweeper")) {
                // at the fire drill's deadline: was a runbook started for the drill at all (issue 16)
                expected.add("ssm:DescribeAutomationExecutions");
                assertThat(resourcesOf(statements, "ssm:DescribeAutomationExecutions")).containsExactly("*");
            }
            assertThat(actions(statements)).as(handler).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(resourcesOf(statements, "cloudtrail:GetTrailStatus")).containsExactly(ANY_TRAIL);
            assertThat(resourcesOf(statements, "cloudtrail:StartLogging")).as(handler).containsExactly(ANY_TRAIL);
            assertThat(resourcesOf(statements, "ssm:StartAutomationExecution")).as(handler)
                    .containsExactlyInAnyOrderElementsOf(runbooks);
            assertThat(resourcesOf(statements, "ssm:AddTagsToResource")).containsExactly(EXECUTIONS_ANY_REGION);
            assertThat(resourcesOf(statements, "iam:PassRole")).containsExactly("${" + automationRoleId + ".Arn}");
            if (handler.equals("TamperResponder")) {
                // and the second channel, for alerts about the notification path (#14 item 9)
                assertThat(resourcesOf(statements, "sns:Publish")).hasSize(2)
                        .anyMatch(r -> r.startsWith("${Topic")).anyMatch(r -> r.startsWith("${SecondChannel"));
            } else {
                assertThat(resourcesOf(statements, "sns:Publish")).singleElement().asString().startsWith("${Topic");
            }
            assertThat(resourcesOf(statements, "kms:GenerateDataKey*")).singleElement().asString().startsWith("${TopicKey");
            assertThat(resourcesOf(statements, "logs:PutLogEvents")).singleElement().asString()
                    .startsWith("${" + handler + "Logs");
        }
    }

    @Test
    void passRole_shouldBeConditionedOnSystemsManager() {
        for (String handler : List.of("TamperResponder", "ComplianceResponder", "TrailSweeper")) {
            JsonNode passRole = statementsOf(handler).stream()
                    .filter(s -> strings(s.path("Action")).contains("iam:PassRole")).findFirst().orElseThrow();
            assertThat(passRole.path("Condition").path("StringEquals").path("iam:PassedToService").asText())
                    .isEqualTo("ssm.amazonaws.com");
        }
    }

    @Test
    void remediationReporter_shouldReadExecutionsButNeverStartOrPass() {
        List<JsonNode> statements = statementsOf("RemediationReporter");
        assertThat(actions(statements)).containsExactlyInAnyOrder(
                "ssm:GetAutomationExecution", "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                // "restored" only once the trail matches its baseline (declared parameter or Config's record)
                "cloudtrail:GetTrail", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors",
                "ssm:GetParameter", "config:GetResourceConfigHistory",
                // the fire drill's stage times, from the tags of the canary's execution (issue 16)
                "ssm:ListTagsForResource",
                "sns:Publish", "kms:Decrypt", "kms:GenerateDataKey*",
                "logs:CreateLogStream", "logs:PutLogEvents",
                "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");
        assertThat(resourcesOf(statements, "ssm:GetAutomationExecution"))
                .containsExactly("arn:${AWS::Partition}:ssm:us-east-1:111122223333:automation-execution/*");
        assertThat(resourcesOf(statements, "ssm:ListTagsForResource"))
                .containsExactly("arn:${AWS::Partition}:ssm:us-east-1:111122223333:automation-execution/*");
        assertThat(resourcesOf(statements, "cloudtrail:GetTrail")).containsExactly(ANY_TRAIL);
        assertThat(resourcesOf(statements, "cloudtrail:GetEventSelectors")).containsExactly(ANY_TRAIL);
        assertThat(resourcesOf(statements, "ssm:GetParameter")).containsExactly(HERE + "parameter/trailguard/baseline/*");
    }

    @Test
    void functionRoles_shouldNotUseManagedPolicies() {
        for (String handler : List.of("TamperResponder", "ComplianceResponder", "RemediationReporter", "TrailSweeper")) {
            String role = TestStacks.roleIdOfFunction(tree, functionId(handler));
            assertThat(tree.path("Resources").path(role).path("Properties").has("ManagedPolicyArns")).as(handler).isFalse();
            assertThat(strings(tree.path("Resources").path(role).path("Properties")
                    .path("AssumeRolePolicyDocument").path("Statement").get(0).path("Principal").path("Service")))
                    .containsExactly("lambda.amazonaws.com");
        }
    }

    @Test
    void guardedTrails_shouldScopeTrailPermissionsToThoseTrails() {
        // given two guarded trails, one by name and one by ARN
        String orgTrail = "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail";
        JsonNode scoped = tree(TestStacks.guardTemplate(Map.of("guardedTrails", List.of("main", orgTrail))));
        String automationRole = automationRoleOf(scoped);

        // then every restore action and GetTrailStatus name exactly them, and the fire drill's canary (guarded too)
        List<String> expected = List.of("arn:${AWS::Partition}:cloudtrail:*:111122223333:trail/main", orgTrail,
                "arn:${AWS::Partition}:cloudtrail:*:111122223333:trail/TrailGuard-Canary");
        for (String action : GuardStack.TRAIL_RESTORE_ACTIONS) {
            assertThat(resourcesOf(statementsOfRole(scoped, automationRole), action)).as(action)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        String tamperRole = TestStacks.roleIdOfFunction(scoped,
                TestStacks.functionId(scoped, "dev.trailguard.handler.TamperResponder::handleRequest"));
        assertThat(resourcesOf(statementsOfRole(scoped, tamperRole), "cloudtrail:GetTrailStatus"))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(resourcesOf(statementsOfRole(scoped, tamperRole), "cloudtrail:StartLogging"))
                .containsExactlyInAnyOrderElementsOf(expected);
        // and the functions learn them from the environment
        resources(scoped, "AWS::Lambda::Function").values().forEach(f -> assertThat(f.path("Properties")
                .path("Environment").path("Variables").path("TRAILGUARD_GUARDED_TRAILS").asText())
                .isEqualTo("main," + orgTrail + ",TrailGuard-Canary"));
    }

    private static String automationRoleOf(JsonNode template) {
        return resources(template, "AWS::Lambda::Function").values().iterator().next()
                .path("Properties").path("Environment").path("Variables")
                .path("TRAILGUARD_AUTOMATION_ROLE_ARN").path("Fn::GetAtt").get(0).asText();
    }

    private static String functionId(String name) {
        return TestStacks.functionId(tree, "dev.trailguard.handler." + name + "::handleRequest");
    }

    private static List<JsonNode> statementsOf(String name) {
        return statementsOfRole(tree, TestStacks.roleIdOfFunction(tree, functionId(name)));
    }

    private static Set<String> actions(List<JsonNode> statements) {
        Set<String> actions = new TreeSet<>();
        statements.forEach(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            actions.addAll(strings(s.path("Action")));
        });
        return actions;
    }

    private static List<String> resourcesOf(List<JsonNode> statements, String action) {
        List<String> found = new ArrayList<>();
        statements.stream().filter(s -> strings(s.path("Action")).contains(action))
                .forEach(s -> found.addAll(renderAll(s.path("Resource"))));
        return found;
    }
}
