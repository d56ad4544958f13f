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
    private static final String CDK_DEPLOYMENT = "arn:*:iam::*:role/cdk-hnb659fds-cfn-exec-role-*";

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
    void scp_shouldDenyStoppingAndDeletingTrailsToAllButBreakGlassRoles() {
        JsonNode p = policy.path("Properties");
        assertThat(p.path("Type").asText()).isEqualTo("SERVICE_CONTROL_POLICY");
        assertThat(TestStacks.strings(p.path("TargetIds"))).containsExactly("r-ab12", "ou-ab12-34567890");
        // Content is a JSON object, not a string with escaped quotes.
        assertThat(p.path("Content").isObject()).isTrue();
        JsonNode statements = p.path("Content").path("Statement");
        // seven, and the fire drill's (its role stops the canary only; DeleteTrail is in the weakening statement)
        assertThat(statements).hasSize(8);
        JsonNode deny = statement("TrailGuardDenyCloudTrailTampering");
        assertThat(deny.path("Effect").asText()).isEqualTo("Deny");
        assertThat(TestStacks.strings(deny.path("Action"))).containsExactlyInAnyOrder(
                "cloudtrail:StopLogging", "cloudtrail:DeleteTrail");
        assertThat(deny.path("Resource").asText()).isEqualTo("*");
        assertThat(deny.path("Condition").size()).isEqualTo(1);
        assertThat(TestStacks.strings(deny.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly(BREAK_GLASS, AUTOMATION, "arn:*:iam::*:role/TrailGuard-FireDrillRole*");
        // the drill role's exemption holds only for StopLogging of the canary (ScpEvaluationTest evaluates it)
        JsonNode drill = statement("TrailGuardDrillStopsOnlyTheCanary");
        assertThat(drill.path("NotResource").asText()).isEqualTo("arn:*:cloudtrail:*:*:trail/TrailGuard-Canary");
        assertThat(TestStacks.strings(drill.path("Condition").path("ArnLike").path("aws:PrincipalARN")))
                .containsExactly("arn:*:iam::*:role/TrailGuard-FireDrillRole*");
    }

    @Test
    void scp_shouldLetOnlyTheAutomationRoleAndBreakGlassPutATrailBack() {
        JsonNode weakening = statement("TrailGuardDenyCloudTrailWeakening");
        // (and DeleteTrail, denied to everyone but break-glass by the first statement already: the drill role too)
        assertThat(TestStacks.strings(weakening.path("Action"))).containsExactlyInAnyOrder(
                "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
                "cloudtrail:DeleteTrail");
        assertThat(TestStacks.strings(weakening.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly("arn:*:iam::*:role/TrailGuard-AutomationRole*", BREAK_GLASS, AUTOMATION);
    }

    @Test
    void scp_shouldLetOnlyTheStartingFunctionsDeploymentAndBreakGlassPassTrailGuardsRolesOrStartItsRunbooks() {
        JsonNode borrowing = statement("TrailGuardDenyBorrowingItsRoles");
        assertThat(TestStacks.strings(borrowing.path("Action")))
                .containsExactly("iam:PassRole", "ssm:StartAutomationExecution");
        assertThat(TestStacks.strings(borrowing.path("Resource"))).containsExactly(
                "arn:*:iam::*:role/TrailGuard*",
                "arn:*:ssm:*:*:automation-definition/TrailGuard-*",
                "arn:*:ssm:*:*:document/TrailGuard-*");
        assertThat(TestStacks.strings(borrowing.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly("arn:*:iam::*:role/TrailGuard-TamperResponderRole*",
                        "arn:*:iam::*:role/TrailGuard-ComplianceResponderRole*",
                        "arn:*:iam::*:role/TrailGuard-TrailSweeperRole*", CDK_DEPLOYMENT, BREAK_GLASS, AUTOMATION);
    }

    @Test
    void scp_shouldDenyChangingTrailGuardItselfByNameToAllButDeploymentAndBreakGlassRoles() {
        // given the statement that protects TrailGuard's own resources
        JsonNode itself = statement("TrailGuardProtectItself");

        // then it denies every call the guard rules watch (and their close relatives) on TrailGuard's names only
        assertThat(itself.path("Effect").asText()).isEqualTo("Deny");
        assertThat(TestStacks.strings(itself.path("Action"))).hasSize(29).contains(
                "iam:CreateRole", "events:DisableRule", "events:DeleteRule", "lambda:DeleteFunction", "lambda:PutFunctionConcurrency",
                "iam:DeleteRole", "iam:AttachRolePolicy", "sns:DeleteTopic", "sns:Unsubscribe", "sns:PutDataProtectionPolicy",
                "ssm:UpdateDocument", "ssm:PutParameter", "ssm:DeleteParameters");
        assertThat(TestStacks.strings(itself.path("Resource"))).containsExactlyInAnyOrder(
                "arn:*:events:*:*:rule/TrailGuard*",
                "arn:*:lambda:*:*:function:TrailGuard*",
                "arn:*:iam::*:role/TrailGuard*",
                "arn:*:sns:*:*:TrailGuard*",
                "arn:*:ssm:*:*:document/TrailGuard-*",
                "arn:*:ssm:*:*:parameter/trailguard/baseline/*",
                "arn:*:ssm:*:*:parameter/trailguard/rules/*");
        // and the CDK deployment role stays able to deploy, the break-glass roles to repair
        assertThat(TestStacks.strings(itself.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly(CDK_DEPLOYMENT, BREAK_GLASS, AUTOMATION);
    }

    @Test
    void scp_shouldDenyStoppingTheConfigRecorderToAllButDeploymentAndBreakGlassRoles() {
        JsonNode recorder = statement("TrailGuardProtectConfigRecorder");
        assertThat(recorder.path("Effect").asText()).isEqualTo("Deny");
        assertThat(TestStacks.strings(recorder.path("Action"))).containsExactlyInAnyOrder(
                "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
                "config:PutConfigurationRecorder");
        // the recorder's ARN has no name to scope by
        assertThat(recorder.path("Resource").asText()).isEqualTo("*");
        assertThat(TestStacks.strings(recorder.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly(CDK_DEPLOYMENT, BREAK_GLASS, AUTOMATION);
    }

    @Test
    void scp_shouldLetOnlyTheTamperResponderDeploymentAndBreakGlassRedefineTrailGuardsRules() {
        JsonNode rules = statement("TrailGuardProtectItsRules");
        assertThat(TestStacks.strings(rules.path("Action"))).containsExactlyInAnyOrder(
                "events:PutRule", "events:PutTargets", "events:RemoveTargets", "sns:SetSubscriptionAttributes");
        assertThat(TestStacks.strings(rules.path("Resource"))).containsExactly(
                "arn:*:events:*:*:rule/TrailGuard*", "arn:*:sns:*:*:TrailGuard*");
        assertThat(TestStacks.strings(rules.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly("arn:*:iam::*:role/TrailGuard-TamperResponderRole*", CDK_DEPLOYMENT, BREAK_GLASS,
                        AUTOMATION);
    }

    @Test
    void scp_shouldDenyDisablingTheTopicsKeyByItsTag() {
        JsonNode key = statement("TrailGuardProtectItsKey");
        assertThat(TestStacks.strings(key.path("Action"))).containsExactlyInAnyOrder("kms:DisableKey",
                "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:TagResource", "kms:UntagResource");
        assertThat(key.path("Resource").asText()).isEqualTo("*");
        assertThat(key.path("Condition").path("StringEquals").path("aws:ResourceTag/TrailGuardProtected").asText())
                .isEqualTo("true");
        assertThat(TestStacks.strings(key.path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly(CDK_DEPLOYMENT, BREAK_GLASS, AUTOMATION);
    }

    @Test
    void scpActions_shouldCoverEveryCallTheGuardRecognises() {
        // given the calls the TamperResponder classifies as tampering with TrailGuard (lambdas' GuardClassifier)
        List<String> denied = new java.util.ArrayList<>(GuardrailStack.SELF_PROTECTED_ACTIONS);
        denied.addAll(GuardrailStack.SELF_REPAIRED_ACTIONS);
        denied.addAll(GuardrailStack.TOPIC_KEY_ACTIONS);
        dev.trailguard.guard.GuardClassifier.CALLS.forEach((source, calls) -> {
            String service = source.substring(0, source.indexOf('.'));
            if (service.equals("config")) {
                return; // the recorder calls are denied in their own statement; Config rules by detection only
            }
            // then each one is denied by the SCP
            calls.forEach(call -> assertThat(denied).contains(service + ":" + call));
        });
        assertThat(GuardrailStack.CONFIG_RECORDER_ACTIONS).allMatch(a -> dev.trailguard.guard.GuardClassifier.CALLS
                .get("config.amazonaws.com").contains(a.substring("config:".length())));
    }

    @Test
    void deploymentRoleContext_shouldReplaceTheCdkDefault() {
        // given an organization that deploys with its own pipeline role
        String pipeline = "arn:aws:iam::*:role/OrgPipelineDeployer";
        Template custom = Template.fromStack(TestStacks.stacks(TestStacks.app(Map.of(
                "organizationTargetIds", List.of("r-ab12"),
                "deploymentRoleArns", List.of(pipeline)))).guardrail());
        JsonNode statements = TestStacks.resources(TestStacks.tree(custom), "AWS::Organizations::Policy").values()
                .iterator().next().path("Properties").path("Content").path("Statement");

        // then only that role is exempt from the self-protection, and nobody from stopping or deleting trails
        assertThat(TestStacks.strings(statements.get(3).path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly(pipeline);
        assertThat(TestStacks.strings(statements.get(0).path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly(GuardrailStack.drillRolePattern("TrailGuard"));
        // while the automation role still puts trails back
        assertThat(TestStacks.strings(statements.get(1).path("Condition").path("ArnNotLike").path("aws:PrincipalARN")))
                .containsExactly("arn:*:iam::*:role/TrailGuard-AutomationRole*");
    }

    @Test
    void scp_shouldStayUnderAwsSizeLimitWhenMinified() throws Exception {
        // given the content as deployed, serialized the way AWS counts it
        String minified = TestStacks.JSON.writeValueAsString(policy.path("Properties").path("Content"));

        // then
        assertThat(minified.length()).isLessThanOrEqualTo(GuardrailStack.SCP_MAX_CHARACTERS);
        assertThat(minified).doesNotContain("\n", "  ");
        assertThat(GuardrailStack.minifiedLength(GuardrailStack.policyContent(List.of(BREAK_GLASS, AUTOMATION),
                TrailGuardApp.GUARD_STACK_NAME, List.of(CDK_DEPLOYMENT)))).isEqualTo(minified.length());
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
        Map<String, Object> content = GuardrailStack.policyContent(List.of(), "TrailGuard", List.of(CDK_DEPLOYMENT));
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = ((List<Map<String, Object>>) content.get("Statement")).get(0);
        // everyone but the fire drill's role, which the drill statements hold to stopping the canary
        assertThat(statement).containsEntry("Effect", "Deny").containsEntry("Condition", Map.of("ArnNotLike",
                Map.of("aws:PrincipalARN", List.of(GuardrailStack.drillRolePattern("TrailGuard")))));
    }

    private static JsonNode statement(String sid) {
        for (JsonNode statement : policy.path("Properties").path("Content").path("Statement")) {
            if (sid.equals(statement.path("Sid").asText())) {
                return statement;
            }
        }
        throw new AssertionError("no statement " + sid);
    }

    @Test
    void withoutOrganizationTargets_shouldNotCreateTheGuardrailStack() {
        assertThat(TestStacks.stacks(TestStacks.app(Map.of())).guardrail()).isNull();
    }
}
