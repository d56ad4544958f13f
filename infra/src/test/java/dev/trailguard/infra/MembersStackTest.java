package dev.trailguard.infra;

import static dev.trailguard.infra.OrganizationTestStacks.HUB_ACCOUNT;
import static dev.trailguard.infra.OrganizationTestStacks.HUB_REGION;
import static dev.trailguard.infra.OrganizationTestStacks.OUS;
import static dev.trailguard.infra.OrganizationTestStacks.REGIONS;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The two service-managed stack sets that guard every account of the OUs, including the ones that join later. */
class MembersStackTest {

    private static MembersStack stack;
    private static JsonNode tree;

    @BeforeAll
    static void synthesize() {
        App app = TestStacks.app(OrganizationTestStacks.context());
        stack = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode())).organization().members();
        tree = TestStacks.tree(Template.fromStack(stack));
    }

    private static JsonNode stackSet(String name) {
        return resources(tree, "AWS::CloudFormation::StackSet").values().stream()
                .filter(s -> s.path("Properties").path("StackSetName").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no stack set " + name));
    }

    @Test
    void stackSets_shouldBeServiceManagedWithAutomaticDeploymentFromTheDelegatedAdministrator() {
        // the third: the fire drill's canary (issue 16 item 5, on by default)
        assertThat(resources(tree, "AWS::CloudFormation::StackSet")).hasSize(3);
        for (String name : List.of("TrailGuardMembers", "TrailGuardMemberRoles", "TrailGuardMemberCanary")) {
            JsonNode p = stackSet(name).path("Properties");
            assertThat(p.path("PermissionModel").asText()).as(name).isEqualTo("SERVICE_MANAGED");
            assertThat(p.path("CallAs").asText()).as(name).isEqualTo("DELEGATED_ADMIN");
            assertThat(p.path("AutoDeployment").path("Enabled").asBoolean()).as(name).isTrue();
            assertThat(p.path("AutoDeployment").path("RetainStacksOnAccountRemoval").isBoolean()).isTrue();
            assertThat(p.path("AutoDeployment").path("RetainStacksOnAccountRemoval").asBoolean()).as(name).isFalse();
            assertThat(p.path("ManagedExecution").path("Active").asBoolean()).as(name).isTrue();
            JsonNode preferences = p.path("OperationPreferences");
            assertThat(preferences.path("RegionConcurrencyType").asText()).isEqualTo("PARALLEL");
            assertThat(preferences.path("MaxConcurrentPercentage").asInt()).isBetween(1, 100);
            assertThat(preferences.path("FailureTolerancePercentage").asInt())
                    .isLessThanOrEqualTo(preferences.path("MaxConcurrentPercentage").asInt());
            JsonNode instances = p.path("StackInstancesGroup");
            assertThat(instances).hasSize(1);
            assertThat(strings(instances.get(0).path("DeploymentTargets").path("OrganizationalUnitIds")))
                    .containsExactlyElementsOf(OUS);
            assertThat(instances.get(0).path("DeploymentTargets").has("Accounts")).isFalse();
        }
    }

    @Test
    void rolesStackSet_shouldDeployOnceperAccount_inTheHubRegionOnly() {
        JsonNode roles = stackSet("TrailGuardMemberRoles").path("Properties");
        assertThat(strings(roles.path("StackInstancesGroup").get(0).path("Regions"))).containsExactly(HUB_REGION);
        assertThat(strings(roles.path("Capabilities"))).containsExactly("CAPABILITY_NAMED_IAM");
        assertThat(roles.path("TemplateBody").asText()).isEqualTo(stack.rolesTemplate().body());
        // and the only stack set with IAM resources is that one
        assertThat(stack.forwardingTemplate().body()).doesNotContain("AWS::IAM::");
        assertThat(stack.canaryTemplate().body()).doesNotContain("AWS::IAM::");
    }

    @Test
    void membersStackSet_shouldDeployInEveryMemberRegion_afterTheRoles() {
        JsonNode members = stackSet("TrailGuardMembers");
        assertThat(strings(members.path("Properties").path("StackInstancesGroup").get(0).path("Regions")))
                .containsExactlyElementsOf(REGIONS);
        assertThat(members.path("Properties").path("TemplateBody").asText()).isEqualTo(stack.forwardingTemplate().body());
        assertThat(members.path("Properties").has("Capabilities")).isFalse();
        String rolesId = resources(tree, "AWS::CloudFormation::StackSet").entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("StackSetName").asText().equals("TrailGuardMemberRoles"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(strings(members.path("DependsOn"))).containsExactly(rolesId);
    }

    @Test
    void membersStack_shouldBeDeployedFromTheHubAccountAndRegion() {
        assertThat(stack.getStackName()).isEqualTo("TrailGuardMembers");
        assertThat(stack.getAccount()).isEqualTo(HUB_ACCOUNT);
        assertThat(stack.getRegion()).isEqualTo(HUB_REGION);
    }
}
