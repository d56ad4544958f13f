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
import dev.trailguard.contract.Functions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/** The roles every member account holds: who may use them, and for what. */
class MemberRolesTest {

    private static final String ANY_TRAIL = "arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*";
    private static final String EXECUTIONS = "arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:automation-execution/*";

    private static JsonNode roles;
    private static JsonNode hub;

    @BeforeAll
    static void synthesize() throws Exception {
        App app = TestStacks.app(OrganizationTestStacks.context());
        TrailGuardApp.OrganizationStacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()))
                .organization();
        roles = TestStacks.JSON.readTree(stacks.members().rolesTemplate().body());
        hub = TestStacks.tree(Template.fromStack(stacks.hub()));
    }

    /** The logical id of the role with this name. */
    static String role(JsonNode template, String name) {
        return resources(template, "AWS::IAM::Role").entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("RoleName").asText().equals(name))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no role " + name));
    }

    @Test
    void memberRole_shouldTrustExactlyTheHubsFunctionRoles_fromWithinTheOrganization() {
        // given the role the hub's functions assume
        JsonNode trust = roles.path("Resources").path(role(roles, "TrailGuard-Member")).path("Properties")
                .path("AssumeRolePolicyDocument").path("Statement");
        assertThat(trust).hasSize(1);
        JsonNode statement = trust.get(0);

        // then the hub account may assume it, but only as one of the four function roles, and only inside the organization
        assertThat(strings(statement.path("Action"))).containsExactly("sts:AssumeRole");
        assertThat(render(statement.path("Principal").path("AWS")))
                .isEqualTo("arn:${AWS::Partition}:iam::" + HUB_ACCOUNT + ":root");
        assertThat(statement.path("Condition").size()).isEqualTo(2);
        List<String> trusted = renderAll(statement.path("Condition").path("ArnEquals").path("aws:PrincipalArn"));
        assertThat(trusted).containsExactly(Functions.ALL.stream()
                .map(f -> "arn:${AWS::Partition}:iam::" + HUB_ACCOUNT + ":role/TrailGuardHub-" + f).toArray(String[]::new));
        assertThat(statement.path("Condition").path("StringEquals").path("aws:PrincipalOrgID").asText())
                .isEqualTo(ORGANIZATION);

        // and those are the names the hub gives its function roles
        List<String> hubRoles = new ArrayList<>();
        for (String function : Functions.ALL) {
            String roleId = TestStacks.roleIdOfFunction(hub, TestStacks.functionId(hub, Functions.handler(function)));
            hubRoles.add("arn:${AWS::Partition}:iam::" + HUB_ACCOUNT + ":role/"
                    + hub.path("Resources").path(roleId).path("Properties").path("RoleName").asText());
        }
        assertThat(trusted).containsExactlyElementsOf(hubRoles);
    }

    @Test
    void memberRole_shouldBeAllowedOnlyTheCallsTheHubMakesInAMember() {
        List<JsonNode> statements = statementsOfRole(roles, role(roles, "TrailGuard-Member"));
        assertThat(actions(statements)).containsExactlyInAnyOrder(
                "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetTrail",
                "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:StartLogging",
                "ssm:StartAutomationExecution", "ssm:AddTagsToResource", "ssm:GetAutomationExecution",
                "ssm:DescribeAutomationExecutions", "ssm:GetParameter", "config:GetResourceConfigHistory",
                "events:DescribeRule", "events:ListTargetsByRule", "iam:PassRole",
                // the delivery response's repairs (#14 items 5 and 6; bucket writes only with protectedLogBuckets)
                "kms:CancelKeyDeletion", "kms:EnableKey", "cloudtrail:StartEventDataStoreIngestion",
                "cloudtrail:RestoreEventDataStore", "config:StartConfigurationRecorder",
                // the fire drill's tags, which the hub's reporter reads (issue 16 item 5)
                "ssm:ListTagsForResource");
        assertThat(resourcesOf(statements, "ssm:ListTagsForResource")).containsExactly(EXECUTIONS);
        assertThat(resourcesOf(statements, "cloudtrail:GetTrailStatus")).containsExactly(ANY_TRAIL);
        // only when SSM refuses the runbook for capacity (issue 14, item 7)
        assertThat(resourcesOf(statements, "cloudtrail:StartLogging")).containsExactly(ANY_TRAIL);
        assertThat(resourcesOf(statements, "ssm:StartAutomationExecution")).containsExactlyInAnyOrder(
                "arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:automation-definition/TrailGuard-RestoreTrail:*",
                "arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:automation-definition/TrailGuard-RecreateTrail:*",
                "arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:automation-definition/TrailGuard-EnableRule:*",
                "arn:${AWS::Partition}:ssm:*::automation-definition/AWS-ConfigureCloudTrailLogging:*",
                "arn:${AWS::Partition}:ssm:*::document/AWS-ConfigureCloudTrailLogging", EXECUTIONS);
        assertThat(resourcesOf(statements, "ssm:GetAutomationExecution")).containsExactly(EXECUTIONS);
        assertThat(resourcesOf(statements, "ssm:GetParameter"))
                .containsExactly("arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:parameter/trailguard/baseline/*");
        assertThat(resourcesOf(statements, "events:DescribeRule"))
                .containsExactly("arn:${AWS::Partition}:events:*:${AWS::AccountId}:rule/TrailGuard-*");
        // the one role it may pass is the member automation role, and only to Systems Manager
        JsonNode pass = statements.stream().filter(s -> strings(s.path("Action")).contains("iam:PassRole"))
                .findFirst().orElseThrow();
        assertThat(renderAll(pass.path("Resource"))).containsExactly("${" + role(roles, "TrailGuard-Automation") + ".Arn}");
        assertThat(pass.path("Condition").toString())
                .isEqualTo("{\"StringEquals\":{\"iam:PassedToService\":\"ssm.amazonaws.com\"}}");
    }

    /** What the hub's functions called as TrailGuard-Member (lambdas' ObservedActionsTest records it). */
    static final java.io.File OBSERVED_IN_A_MEMBER = new java.io.File("../lambdas/target/observed-member-actions.json");

    @Test
    void memberRole_shouldGrantExactlyWhatTheHubCallsInAMember_bothWays() throws Exception {
        // given the calls the hub's functions made in a member account over every sample, signed as the member role
        assertThat(OBSERVED_IN_A_MEMBER).as("run the lambdas module's ObservedActionsTest first").exists();
        Set<String> observed = new TreeSet<>(strings(TestStacks.JSON.readTree(OBSERVED_IN_A_MEMBER)
                .path("TrailGuard-Member")));
        // and the member role as deployed where the guardrail protects log buckets (else bucket writes are reported)
        Map<String, Object> context = new java.util.HashMap<>(OrganizationTestStacks.context());
        context.put("protectedLogBuckets", List.of("data-events-*"));
        App app = TestStacks.app(context);
        JsonNode withBuckets = TestStacks.JSON.readTree(TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()))
                .organization().members().rolesTemplate().body());
        Set<String> granted = actions(statementsOfRole(withBuckets, role(withBuckets, "TrailGuard-Member")));

        // then every call is granted (a missing one is AccessDenied in a member) ...
        assertThat(granted).as("the member role must allow what the hub calls in a member").containsAll(observed);
        // ... and every grant is called, or implied by a call that is made
        for (String action : granted) {
            if (!observed.contains(action)) {
                assertThat(LeastPrivilegeTest.IMPLIED).as("TrailGuard-Member is granted %s but the hub never calls it",
                        action).containsKey(action);
                assertThat(observed).as(action).contains(LeastPrivilegeTest.IMPLIED_BY.get(action));
            }
        }
    }

    @Test
    void automationRoleTrust_shouldBeIdenticalToTheSingleAccountStacks() {
        // given the single-account stack as synthesized for any account (as the member template is)
        App app = new App(AppProps.builder().context(DocumentedCommandsTest.cdkJsonContext()).build());
        JsonNode single = TestStacks.tree(Template.fromStack(TestStacks.stacks(app,
                TrailGuardApp.environment(app.getNode())).guard()));
        String singleRole = resources(single, "AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith(GuardStack.AUTOMATION_ROLE_ID)).findFirst().orElseThrow();

        // then the member automation role's trust is the same document: ssm.amazonaws.com, this account's executions
        JsonNode member = roles.path("Resources").path(role(roles, "TrailGuard-Automation")).path("Properties");
        assertThat(member.path("AssumeRolePolicyDocument"))
                .isEqualTo(single.path("Resources").path(singleRole).path("Properties").path("AssumeRolePolicyDocument"));
        assertThat(member.path("AssumeRolePolicyDocument").toString()).contains("ssm.amazonaws.com",
                "aws:SourceAccount", "aws:SourceArn").doesNotContain("config.amazonaws.com");
        // and its grants are the single-account role's, on this account's trails and TrailGuard's forwarding rules
        List<JsonNode> statements = statementsOfRole(roles, role(roles, "TrailGuard-Automation"));
        assertThat(actions(statements)).isEqualTo(actions(statementsOfRole(single, singleRole)));
        for (String action : GuardStack.TRAIL_RESTORE_ACTIONS) {
            assertThat(resourcesOf(statements, action)).as(action).containsExactly(ANY_TRAIL);
        }
        assertThat(resourcesOf(statements, "events:EnableRule"))
                .containsExactly("arn:${AWS::Partition}:events:*:${AWS::AccountId}:rule/TrailGuard-*");
    }

    @Test
    void forwarderRole_shouldOnlyPutEventsOnTheHubBus() {
        String forwarder = role(roles, "TrailGuard-Forwarder");
        assertThat(strings(roles.path("Resources").path(forwarder).path("Properties").path("AssumeRolePolicyDocument")
                .path("Statement").get(0).path("Principal").path("Service"))).containsExactly("events.amazonaws.com");
        List<JsonNode> statements = statementsOfRole(roles, forwarder);
        assertThat(actions(statements)).containsExactly("events:PutEvents");
        assertThat(resourcesOf(statements, "events:PutEvents")).containsExactly(
                "arn:${AWS::Partition}:events:" + HUB_REGION + ":" + HUB_ACCOUNT + ":event-bus/TrailGuardHub");
    }

    @Test
    void noMemberRole_shouldUseAManagedPolicy() {
        resources(roles, "AWS::IAM::Role").values()
                .forEach(r -> assertThat(r.path("Properties").has("ManagedPolicyArns")).isFalse());
        // the member, automation and forwarder roles, and the fire drill's TrailGuard-MemberDrill
        assertThat(resources(roles, "AWS::IAM::Role")).hasSize(4);
    }

    static Set<String> actions(List<JsonNode> statements) {
        Set<String> actions = new TreeSet<>();
        statements.forEach(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            actions.addAll(strings(s.path("Action")));
        });
        return actions;
    }

    static List<String> resourcesOf(List<JsonNode> statements, String action) {
        List<String> found = new ArrayList<>();
        statements.stream().filter(s -> strings(s.path("Action")).contains(action))
                .forEach(s -> found.addAll(renderAll(s.path("Resource"))));
        return found;
    }
}
