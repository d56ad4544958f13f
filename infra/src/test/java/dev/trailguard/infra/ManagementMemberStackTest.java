package dev.trailguard.infra;

import static dev.trailguard.infra.MemberRolesTest.actions;
import static dev.trailguard.infra.MemberRolesTest.resourcesOf;
import static dev.trailguard.infra.MemberRolesTest.role;
import static dev.trailguard.infra.OrganizationTestStacks.HUB_REGION;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.statementsOfRole;
import static dev.trailguard.infra.TestStacks.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The management account's member: the stack sets' content as one plain stack, plus the organization trail's needs. */
class ManagementMemberStackTest {

    private static JsonNode tree;
    private static JsonNode memberRoles;
    private static JsonNode memberForwarding;
    private static JsonNode memberCanary;

    @BeforeAll
    static void synthesize() throws Exception {
        App app = TestStacks.app(OrganizationTestStacks.context());
        TrailGuardApp.OrganizationStacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()))
                .organization();
        tree = TestStacks.tree(Template.fromStack(stacks.management()));
        memberRoles = TestStacks.JSON.readTree(stacks.members().rolesTemplate().body());
        memberForwarding = TestStacks.JSON.readTree(stacks.members().forwardingTemplate().body());
        memberCanary = TestStacks.JSON.readTree(stacks.members().canaryTemplate().body());
    }

    @Test
    void itShouldHoldWhatTheStackSetsGiveAMember() {
        // the same rules, documents, roles and canary, by type and count (the stack sets never deploy to this account)
        assertThat(types(tree)).isEqualTo(union(union(types(memberRoles), types(memberForwarding)),
                types(memberCanary)));
        assertThat(resources(tree, "AWS::Events::Rule").values())
                .extracting(r -> r.path("Properties").path("Name").asText())
                .containsExactlyInAnyOrderElementsOf(MemberForwarding.RULE_NAMES);
        for (JsonNode rule : resources(tree, "AWS::Events::Rule").values()) {
            String name = rule.path("Properties").path("Name").asText();
            JsonNode same = resources(memberForwarding, "AWS::Events::Rule").values().stream()
                    .filter(r -> r.path("Properties").path("Name").asText().equals(name)).findFirst().orElseThrow();
            // the stack's tags are in its template; a member's come from the stack set's tags
            com.fasterxml.jackson.databind.node.ObjectNode properties = rule.path("Properties").deepCopy();
            properties.remove("Tags");
            assertThat(properties).as(name).isEqualTo(same.path("Properties"));
        }
        // and its member role is a member's
        com.fasterxml.jackson.databind.node.ObjectNode role = tree.path("Resources").path(role(tree, "TrailGuard-Member"))
                .path("Properties").deepCopy();
        role.remove("Tags");
        assertThat(role).isEqualTo(memberRoles.path("Resources").path(role(memberRoles, "TrailGuard-Member"))
                .path("Properties"));
    }

    @Test
    void rolesAreGlobal_soTheyAreCreatedWhereItIsDeployedInTheHubRegionOnly() {
        assertThat(tree.path("Conditions").path(ManagementMemberStack.ROLES_REGION_CONDITION).toString())
                .isEqualTo("{\"Fn::Equals\":[{\"Ref\":\"AWS::Region\"},\"" + HUB_REGION + "\"]}");
        tree.path("Resources").fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            String condition = r.getValue().path("Condition").asText(null);
            // the fire drill's canary too: once per account, in the hub region (issue 16 item 5)
            if (type.startsWith("AWS::IAM::") || type.startsWith("AWS::CloudTrail::") || type.startsWith("AWS::S3::")) {
                assertThat(condition).as(r.getKey()).isEqualTo(ManagementMemberStack.ROLES_REGION_CONDITION);
            } else {
                assertThat(condition).as(r.getKey()).isNull();
            }
        });
        // nothing outside the condition refers to a conditional resource (it would fail in every other region)
        tree.path("Resources").fields().forEachRemaining(r -> {
            if (!r.getValue().has("Condition")) {
                assertThat(r.getValue().toString()).as(r.getKey()).doesNotContain("\"Ref\":\"Roles", "[\"Roles",
                        "\"Ref\":\"Canary", "[\"Canary");
            }
        });
    }

    @Test
    void automationRole_mayRecreateTheOrganizationTrail_andNothingMoreThanAMembers() {
        List<JsonNode> statements = statementsOfRole(tree, role(tree, "TrailGuard-Automation"));
        Set<String> extra = new TreeSet<>(actions(statements));
        extra.removeAll(actions(statementsOfRole(memberRoles, role(memberRoles, "TrailGuard-Automation"))));
        assertThat(extra).containsExactlyInAnyOrder("iam:CreateServiceLinkedRole", "iam:GetRole",
                "organizations:EnableAWSServiceAccess", "organizations:DescribeOrganization",
                "organizations:ListAWSServiceAccessForOrganization", "organizations:ListAccounts");
        String serviceLinkedRole = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/"
                + "cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail";
        assertThat(resourcesOf(statements, "iam:CreateServiceLinkedRole")).containsExactly(serviceLinkedRole);
        assertThat(condition(statements, "iam:CreateServiceLinkedRole"))
                .isEqualTo("{\"StringEquals\":{\"iam:AWSServiceName\":\"cloudtrail.amazonaws.com\"}}");
        assertThat(condition(statements, "organizations:EnableAWSServiceAccess"))
                .isEqualTo("{\"StringEquals\":{\"organizations:ServicePrincipal\":\"cloudtrail.amazonaws.com\"}}");
        // it still may not disable CloudTrail's trusted access
        assertThat(actions(statements)).doesNotContain("organizations:DisableAWSServiceAccess");
    }

    private static String condition(List<JsonNode> statements, String action) {
        return statements.stream().filter(s -> strings(s.path("Action")).contains(action)).findFirst().orElseThrow()
                .path("Condition").toString();
    }

    private static Set<String> types(JsonNode template) {
        Set<String> types = new TreeSet<>();
        template.path("Resources").forEach(r -> types.add(r.path("Type").asText()));
        types.remove("AWS::CDK::Metadata");
        return types;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
