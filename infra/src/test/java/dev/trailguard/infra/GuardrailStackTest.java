package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class GuardrailStackTest {

    private static final String BREAK_GLASS = "arn:aws:iam::*:role/BreakGlass";
    private static final String AUTOMATION = "arn:aws:iam::*:role/AWSControlTowerExecution";

    private static Template template;
    private static JsonNode policy;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(TestStacks.stacks(TestStacks.app(Map.of(
                "organizationTargetIds", List.of("r-ab12", "ou-ab12-34567890"),
                "breakGlassRoleArns", List.of(BREAK_GLASS, AUTOMATION)))).guardrail());
        policy = TestStacks.resources(TestStacks.tree(template), "AWS::Organizations::Policy").values().iterator().next();
    }

    @Test
    void scp_shouldDenyTheTamperCallsToAllButBreakGlassRoles() {
        JsonNode p = policy.path("Properties");
        assertThat(p.path("Type").asText()).isEqualTo("SERVICE_CONTROL_POLICY");
        assertThat(TestStacks.strings(p.path("TargetIds"))).containsExactly("r-ab12", "ou-ab12-34567890");
        // Content is a JSON object, not a string with escaped quotes.
        assertThat(p.path("Content").isObject()).isTrue();
        JsonNode statements = p.path("Content").path("Statement");
        assertThat(statements).hasSize(1);
        JsonNode deny = statements.get(0);
        assertThat(deny.path("Effect").asText()).isEqualTo("Deny");
        assertThat(TestStacks.strings(deny.path("Action"))).containsExactlyInAnyOrder(
                "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail",
                "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors");
        assertThat(deny.path("Resource").asText()).isEqualTo("*");
        assertThat(deny.path("Condition").size()).isEqualTo(1);
        assertThat(TestStacks.strings(deny.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly(BREAK_GLASS, AUTOMATION);
    }

    @Test
    void scp_shouldStayUnderAwsSizeLimitWhenMinified() throws Exception {
        // given the content as deployed, serialized the way AWS counts it
        String minified = TestStacks.JSON.writeValueAsString(policy.path("Properties").path("Content"));

        // then
        assertThat(minified.length()).isLessThanOrEqualTo(GuardrailStack.SCP_MAX_CHARACTERS);
        assertThat(minified).doesNotContain("\n", "  ");
        assertThat(GuardrailStack.minifiedLength(GuardrailStack.policyContent(List.of(BREAK_GLASS, AUTOMATION))))
                .isEqualTo(minified.length());
    }

    @Test
    void scpWithTooManyBreakGlassRoles_shouldFailAtSynth() {
        // given break-glass ARNs that push the document past 5,120 characters
        List<String> many = new ArrayList<>();
        IntStream.range(0, 100).forEach(i -> many.add("arn:aws:iam::123456789012:role/break-glass-role-number-" + i));

        // then the stack refuses to synthesize
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of(
                "organizationTargetIds", List.of("r-ab12"), "breakGlassRoleArns", many))))
                .hasMessageContaining("5120");
    }

    @Test
    void withoutBreakGlassRoles_shouldDenyEveryone() {
        Map<String, Object> content = GuardrailStack.policyContent(List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = ((List<Map<String, Object>>) content.get("Statement")).get(0);
        assertThat(statement).doesNotContainKey("Condition").containsEntry("Effect", "Deny");
    }

    @Test
    void withoutOrganizationTargets_shouldNotCreateTheGuardrailStack() {
        assertThat(TestStacks.stacks(TestStacks.app(Map.of())).guardrail()).isNull();
    }
}
