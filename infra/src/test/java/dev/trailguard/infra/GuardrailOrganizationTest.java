package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The SCP in organization mode: one more statement, the same five before it, still within AWS's size limit. */
class GuardrailOrganizationTest {

    private static JsonNode content(Map<String, Object> context) {
        return TestStacks.resources(TestStacks.tree(Template.fromStack(TestStacks.stacks(TestStacks.app(context))
                .guardrail())), "AWS::Organizations::Policy").values().iterator().next().path("Properties")
                .path("Content");
    }

    @Test
    void organizationMode_shouldAddTheMemberResourcesStatement_andStayUnderTheLimit() {
        // given the documented guardrail context, with and without the organization id
        Map<String, Object> single = Map.of("organizationTargetIds", List.of("ou-ab12-34567890"),
                "breakGlassRoleArns", List.of("arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/AWSControlTowerExecution"));
        Map<String, Object> organization = new java.util.HashMap<>(single);
        organization.put("organizationId", OrganizationTestStacks.ORGANIZATION);
        JsonNode before = content(single);
        JsonNode after = content(organization);

        // then the same statements in the same order, and the new one last
        // (seven single-account statements since #14 items 8-10: TrailGuardProtectItsRules and TrailGuardProtectItsKey;
        // eight with the fire drill's TrailGuardDrillStopsOnlyTheCanary, #16)
        assertThat(after.path("Statement")).hasSize(9);
        for (int i = 0; i < 8; i++) {
            assertThat(after.path("Statement").get(i).path("Sid").asText())
                    .isEqualTo(before.path("Statement").get(i).path("Sid").asText());
        }
        JsonNode members = after.path("Statement").get(8);
        assertThat(members.path("Sid").asText()).isEqualTo("TrailGuardProtectMemberResources");
        assertThat(TestStacks.strings(members.path("Resource"))).containsExactly(
                "arn:*:events:*:*:rule/TrailGuard-*", "arn:*:iam::*:role/TrailGuard-*",
                "arn:*:ssm:*:*:document/TrailGuard-*");
        assertThat(TestStacks.strings(members.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly("arn:*:iam::*:role/stacksets-exec-*", "arn:aws:iam::*:role/BreakGlass",
                        "arn:aws:iam::*:role/AWSControlTowerExecution");
        int length = TestStacks.JSON.valueToTree(after).toString().length();
        System.out.printf("SCP in organization mode: %,d characters of %,d%n", length, GuardrailStack.SCP_MAX_CHARACTERS);
        assertThat(length).isLessThan(GuardrailStack.SCP_MAX_CHARACTERS);
    }
}
