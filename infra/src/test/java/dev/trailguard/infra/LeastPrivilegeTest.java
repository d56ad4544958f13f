package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.functionId;
import static dev.trailguard.infra.TestStacks.renderAll;
import static dev.trailguard.infra.TestStacks.roleIdOfFunction;
import static dev.trailguard.infra.TestStacks.statementsOfRole;
import static dev.trailguard.infra.TestStacks.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked both ways: the actions each function's code really calls (recorded on the wire by the
 * lambdas module's {@code ObservedActionsTest} into {@code lambdas/target/observed-actions.json}) against the
 * actions its role gets in the synthesized template. A call the role lacks is a production outage; a grant the
 * code never uses is excess privilege. The only grants that no code calls directly are listed below, each with
 * the reason AWS needs it.
 */
class LeastPrivilegeTest {

    static final File OBSERVED = new File("../lambdas/target/observed-actions.json");

    /** Permissions the platform needs on the function's behalf, with the call that implies each. */
    static final Map<String, String> IMPLIED = Map.of(
            "iam:PassRole", "ssm:StartAutomationExecution passes the automation role (AutomationAssumeRole)",
            "ssm:AddTagsToResource", "ssm:StartAutomationExecution with Tags authorizes tagging the execution",
            "kms:GenerateDataKey*", "sns:Publish to a topic encrypted with a customer-managed key",
            "kms:Decrypt", "sns:Publish to a topic encrypted with a customer-managed key",
            "logs:CreateLogStream", "the Lambda runtime writes the function's logs",
            "logs:PutLogEvents", "the Lambda runtime writes the function's logs",
            "sqs:SendMessage", "Lambda sends failed asynchronous invocations to the on-failure queue",
            "sqs:GetQueueAttributes", "granted by CDK with the SQS on-failure destination",
            "sqs:GetQueueUrl", "granted by CDK with the SQS on-failure destination");

    /** The calls that imply each platform permission; a grant is only excused if its implying call is made. */
    static final Map<String, String> IMPLIED_BY = Map.of(
            "iam:PassRole", "ssm:StartAutomationExecution",
            "ssm:AddTagsToResource", "ssm:StartAutomationExecution",
            "kms:GenerateDataKey*", "sns:Publish",
            "kms:Decrypt", "sns:Publish");

    /** Actions that may be granted on every resource, and why. */
    static final Map<String, String> WILDCARD_RESOURCE_REASONS = Map.of(
            "cloudtrail:DescribeTrails", "CloudTrail's DescribeTrails supports no resource-level permissions",
            "ssm:DescribeAutomationExecutions", "a list call: SSM supports no resource-level permissions for it",
            "config:GetResourceConfigHistory", "AWS Config supports no resource-level permissions for it",
            "config:StartConfigurationRecorder", "the recorder's ARN carries an id Config generates; the event names "
                    + "only the recorder");

    static JsonNode tree;
    static Map<String, Set<String>> observed;

    @BeforeAll
    static void load() throws Exception {
        assertThat(OBSERVED).as("run `mvn -B verify` from the repository root: the lambdas module's "
                + "ObservedActionsTest records the observed actions before the infra tests run").exists();
        JsonNode json = new ObjectMapper().readTree(OBSERVED);
        observed = new TreeMap<>();
        json.fields().forEachRemaining(e -> observed.put(e.getKey(), new TreeSet<>(strings(e.getValue()))));
        tree = TestStacks.tree(TestStacks.guardTemplate(Map.of()));
    }

    @Test
    void everyDeployedFunction_shouldHaveRecordedCalls() {
        // the four functions, and the fire drill's, which the default context deploys with the canary
        List<String> deployed = new java.util.ArrayList<>(
                GuardStack.FUNCTIONS.stream().map(GuardStack.FunctionSpec::name).toList());
        deployed.add(dev.trailguard.contract.Functions.FIRE_DRILL);
        assertThat(observed.keySet()).containsExactlyInAnyOrderElementsOf(deployed);
    }

    @Test
    void everyActionTheCodeCalls_shouldBeGrantedToItsRole() {
        observed.forEach((function, calls) -> {
            Set<String> granted = granted(function);
            assertThat(granted).as("%s calls these; its role must allow them", function).containsAll(calls);
        });
    }

    @Test
    void everyGrant_shouldBeCalledByTheCodeOrImpliedByACallItMakes() {
        observed.forEach((function, calls) -> {
            for (String action : granted(function)) {
                if (calls.contains(action)) {
                    continue;
                }
                assertThat(IMPLIED).as("%s is granted %s but never calls it", function, action).containsKey(action);
                String implying = IMPLIED_BY.get(action);
                if (implying != null) {
                    assertThat(calls).as("%s is granted %s (%s) but never calls %s", function, action,
                            IMPLIED.get(action), implying).contains(implying);
                }
            }
        });
    }

    @Test
    void everyWildcardResource_shouldCarryAReason() {
        for (String function : observed.keySet()) {
            for (JsonNode statement : statementsOf(function)) {
                if (renderAll(statement.path("Resource")).contains("*")) {
                    for (String action : strings(statement.path("Action"))) {
                        assertThat(WILDCARD_RESOURCE_REASONS).as("%s: %s on Resource *", function, action)
                                .containsKey(action);
                    }
                }
            }
        }
    }

    static final File OBSERVED_RESOURCES = new File("../lambdas/target/observed-resources.json");
    /** The fixtures' account: a resource of another account is an organization trail of the management account. */
    static final String ACCOUNT = TestStacks.ACCOUNT;

    @Test
    void everyResourceTheCodeTouches_shouldBeCoveredByItsRolesGrantForThatAction() throws Exception {
        // given the resource of every call each function made on the wire (ObservedActionsTest)
        JsonNode touched = new ObjectMapper().readTree(OBSERVED_RESOURCES);
        List<String> uncovered = new java.util.ArrayList<>();
        List<String> otherAccounts = new java.util.ArrayList<>();
        touched.fields().forEachRemaining(function -> function.getValue().fields().forEachRemaining(call -> {
            // the role's resources for that action, as deployed in us-east-1 of the fixtures' account
            List<String> granted = new java.util.ArrayList<>();
            for (JsonNode statement : statementsOf(function.getKey())) {
                if (strings(statement.path("Action")).contains(call.getKey())) {
                    renderAll(statement.path("Resource")).forEach(r -> granted.add(deployed(r)));
                }
            }
            for (String resource : strings(call.getValue())) {
                boolean covered = granted.stream().anyMatch(g -> g.equals("*")
                        || !resource.equals("*") && ScpEvaluator.arnLike(g, resource));
                if (!covered && !resource.equals("*") && !resource.contains(":" + ACCOUNT + ":")
                        && !resource.contains("::automation-definition/")) {
                    otherAccounts.add(function.getKey() + " " + call.getKey() + " " + resource);
                } else if (!covered) {
                    uncovered.add(function.getKey() + " " + call.getKey() + " " + resource + " not in " + granted);
                }
            }
        }));

        // then the grant covers it: a call outside its grant is AccessDenied in production
        assertThat(uncovered).isEmpty();
        // the one call outside this account: GetTrailStatus of an organization trail the management account owns
        // (the NOT_STARTABLE_HERE path); not granted, so in a member account that path ends in AccessDenied
        assertThat(otherAccounts).containsExactly(
                "TamperResponder cloudtrail:GetTrailStatus arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail");
    }

    /** A template resource as CloudFormation resolves it in us-east-1 of the fixtures' account. */
    private static String deployed(String rendered) {
        String resolved = TestStacks.pseudo(rendered);
        // the function's topic: TRAILGUARD_TOPIC_ARN is this Ref, CloudFormation names it after the stack
        // (and the second channel, TRAILGUARD_SECOND_CHANNEL_TOPIC_ARN)
        return resolved.matches("\\$\\{(Topic|SecondChannel)[A-Z0-9]+}") ? "arn:aws:sns:us-east-1:" + ACCOUNT + ":*"
                : resolved;
    }

    /** The automation role's grants that no step of TrailGuard's runbooks makes, and why each stays. */
    static final Map<String, String> AUTOMATION_EXCUSED = Map.of(
            "cloudtrail:StartLogging", "the one call of AWS-ConfigureCloudTrailLogging with StartLogging=True, which "
                    + "TrailGuard always passes (AWS's document, not in runbooks/)",
            "cloudtrail:DescribeTrails", "kept for AWS-ConfigureCloudTrailLogging, whose steps are AWS's and cannot be "
                    + "read here; supports no resource-level permissions",
            "iam:PassRole", "CreateTrail and UpdateTrail with a CloudWatch Logs role hand that role to CloudTrail");

    @Test
    void automationRole_shouldGetExactlyTheCallsItsRunbooksMake() throws Exception {
        // given every API call a step of TrailGuard's runbooks makes (aws:executeAwsApi, aws:assertAwsResourceProperty)
        Set<String> steps = new TreeSet<>();
        com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        for (String runbook : GuardStack.TRAILGUARD_RUNBOOKS) {
            for (JsonNode step : yaml.readTree(new File("../runbooks/" + runbook + ".yaml")).path("mainSteps")) {
                JsonNode inputs = step.path("inputs");
                if (inputs.has("Service") && inputs.has("Api")) {
                    steps.add(inputs.path("Service").asText() + ":" + inputs.path("Api").asText());
                }
            }
        }
        assertThat(steps).contains("cloudtrail:UpdateTrail", "cloudtrail:CreateTrail", "events:EnableRule");

        // and the automation role as deployed with CloudWatch Logs roles to pass
        JsonNode withLogsRoles = TestStacks.tree(TestStacks.guardTemplate(Map.of("trailCloudWatchLogsRoleArns",
                List.of("arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role"))));
        String automationRole = TestStacks.resources(withLogsRoles, "AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith(GuardStack.AUTOMATION_ROLE_ID)).findFirst().orElseThrow();
        List<JsonNode> statements = statementsOfRole(withLogsRoles, automationRole);
        Set<String> granted = new TreeSet<>();
        statements.forEach(s -> granted.addAll(strings(s.path("Action"))));

        // then both ways: every step's call is granted, and every grant is a step's call or excused
        assertThat(granted).as("the runbooks make these calls").containsAll(steps);
        for (String action : granted) {
            if (!steps.contains(action)) {
                assertThat(AUTOMATION_EXCUSED).as("the automation role is granted %s, which no runbook step calls",
                        action).containsKey(action);
            }
        }
        // and on their resources only: the guarded trails, TrailGuard's own rules, the declared logs roles
        for (JsonNode statement : statements) {
            List<String> resources = renderAll(statement.path("Resource"));
            for (String action : strings(statement.path("Action"))) {
                if (action.equals("cloudtrail:DescribeTrails")) {
                    assertThat(resources).containsExactly("*");
                } else if (action.startsWith("cloudtrail:")) {
                    assertThat(resources).as(action).allMatch(r -> r.contains(":cloudtrail:") && r.contains(":trail/"));
                } else if (action.startsWith("events:")) {
                    assertThat(resources).as(action).allMatch(r -> r.contains(":events:") && r.contains(":rule/TrailGuard"));
                } else if (action.equals("iam:PassRole")) {
                    assertThat(resources).containsExactly("arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role");
                }
            }
        }
    }

    private static List<JsonNode> statementsOf(String function) {
        return statementsOfRole(tree, roleIdOfFunction(tree,
                functionId(tree, "dev.trailguard.handler." + function + "::handleRequest")));
    }

    private static Set<String> granted(String function) {
        Set<String> actions = new TreeSet<>();
        statementsOf(function).forEach(s -> actions.addAll(strings(s.path("Action"))));
        return actions;
    }
}
