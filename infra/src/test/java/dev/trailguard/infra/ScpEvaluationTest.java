package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.contract.Functions;
import dev.trailguard.contract.Runbooks;
import dev.trailguard.contract.TamperCalls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * The synthesized SCP evaluated for the principals of a member account, with TrailGuard's roles named the way
 * CloudFormation names them ({@code <stack>-<logical id>-<12 random characters>}), taken from the synthesized
 * TrailGuard stack: an ordinary administrator is denied every tamper call and cannot borrow TrailGuard's roles or
 * runbooks; the automation role may make every call its runbooks make; the functions may start them.
 */
class ScpEvaluationTest {

    private static final String ACCOUNT = "111122223333";
    private static final String TRAIL = "arn:aws:cloudtrail:eu-west-1:" + ACCOUNT + ":trail/management-events";
    private static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/AWSReservedSSO_AdministratorAccess_0123456789abcdef";
    private static final String BREAK_GLASS = "arn:aws:iam::" + ACCOUNT + ":role/BreakGlass";
    private static final String CDK_DEPLOYER = "arn:aws:iam::" + ACCOUNT + ":role/cdk-hnb659fds-cfn-exec-role-" + ACCOUNT
            + "-eu-west-1";

    private static ScpEvaluator scp;
    private static JsonNode guardTree;

    @BeforeAll
    static void synthesize() {
        TrailGuardApp.Stacks stacks = TestStacks.stacks(TestStacks.app(Map.of(
                "organizationTargetIds", List.of("ou-ab12-34567890"),
                "breakGlassRoleArns", List.of("arn:aws:iam::*:role/BreakGlass"))));
        JsonNode policy = TestStacks.resources(TestStacks.tree(Template.fromStack(stacks.guardrail())),
                "AWS::Organizations::Policy").values().iterator().next();
        scp = new ScpEvaluator(policy.path("Properties").path("Content"));
        guardTree = TestStacks.tree(Template.fromStack(stacks.guard()));
    }

    /** The ARN CloudFormation gives a role of the TrailGuard stack, in the given partition. */
    private static String deployedRole(String partition, String logicalIdPrefix) {
        String logicalId = TestStacks.resources(guardTree, "AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith(logicalIdPrefix) && id.length() == logicalIdPrefix.length() + 8)
                .findFirst().orElseThrow(() -> new AssertionError("no role " + logicalIdPrefix));
        return "arn:" + partition + ":iam::" + ACCOUNT + ":role/" + TrailGuardApp.GUARD_STACK_NAME + "-" + logicalId
                + "-1A2B3C4D5E6F";
    }

    private static String automationRole() {
        return deployedRole("aws", GuardStack.AUTOMATION_ROLE_ID);
    }

    private static String runbook(String name) {
        return "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":automation-definition/" + name + ":$DEFAULT";
    }

    @ParameterizedTest
    @ValueSource(strings = {"StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"})
    void anAdministrator_isDeniedEveryTamperCall(String call) {
        assertThat(TamperCalls.ALL).contains(call);
        assertThat(scp.denyingStatement(ADMIN, "cloudtrail:" + call, TRAIL)).isNotNull();
        // in aws-cn and aws-us-gov too
        assertThat(scp.denyingStatement(ADMIN.replace("arn:aws:", "arn:aws-cn:"), "cloudtrail:" + call,
                TRAIL.replace("arn:aws:", "arn:aws-cn:").replace("eu-west-1", "cn-north-1"))).isNotNull();
    }

    @Test
    void aLookAlikeTrail_needsTheDeleteTrailThatIsDeniedWhileCreateTrailStaysAllowed() {
        // A look-alike of a guarded trail needs its name freed first: DeleteTrail is denied to administrators ...
        assertThat(scp.denyingStatement(ADMIN, "cloudtrail:DeleteTrail", TRAIL)).isNotNull();
        // ... and creating a trail is no tampering: the SCP leaves it to the TamperResponder (CreateTrail watched)
        assertThat(scp.allows(ADMIN, "cloudtrail:CreateTrail", TRAIL)).isTrue();
        // while the recreate runbook's role and break-glass may free and take the name
        assertThat(scp.allows(BREAK_GLASS, "cloudtrail:DeleteTrail", TRAIL)).isTrue();
        assertThat(scp.allows(automationRole(), "cloudtrail:CreateTrail", TRAIL)).isTrue();
    }

    @Test
    void anAdministrator_cannotBorrowTheAutomationRoleOrStartTrailGuardsRunbooks() {
        assertThat(scp.denyingStatement(ADMIN, "iam:PassRole", automationRole()))
                .isEqualTo("TrailGuardDenyBorrowingItsRoles");
        assertThat(scp.denyingStatement(ADMIN.replace("arn:aws:", "arn:aws-us-gov:"), "iam:PassRole",
                deployedRole("aws-us-gov", GuardStack.AUTOMATION_ROLE_ID))).isNotNull();
        for (String document : Runbooks.TRAILGUARD) {
            assertThat(scp.denyingStatement(ADMIN, "ssm:StartAutomationExecution", runbook(document)))
                    .as(document).isEqualTo("TrailGuardDenyBorrowingItsRoles");
        }
        // nor make a role of its own that the exemptions would match
        assertThat(scp.denyingStatement(ADMIN, "iam:CreateRole",
                "arn:aws:iam::" + ACCOUNT + ":role/TrailGuard-AutomationRoleForMe")).isEqualTo("TrailGuardProtectItself");
        // while ordinary work goes on
        assertThat(scp.allows(ADMIN, "cloudtrail:StartLogging", TRAIL)).isTrue();
        assertThat(scp.allows(ADMIN, "iam:PassRole", "arn:aws:iam::" + ACCOUNT + ":role/AppRole")).isTrue();
        assertThat(scp.allows(ADMIN, "ssm:StartAutomationExecution", runbook("AWS-RestartEC2Instance"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloudtrail:StartLogging", "cloudtrail:CreateTrail", "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"})
    void theAutomationRole_mayMakeEveryCallItsRunbooksMake(String call) {
        assertThat(scp.denyingStatement(automationRole(), call, TRAIL)).isNull();
    }

    @Test
    void theAutomationRole_mayEnableTrailGuardsRulesButNeverStopOrDeleteATrail() {
        assertThat(scp.allows(automationRole(), "events:EnableRule",
                "arn:aws:events:eu-west-1:" + ACCOUNT + ":rule/TrailGuard-TamperRule12345678-ABCDEFGHIJKL")).isTrue();
        assertThat(scp.denyingStatement(automationRole(), "cloudtrail:StopLogging", TRAIL))
                .isEqualTo("TrailGuardDenyCloudTrailTampering");
        assertThat(scp.denyingStatement(automationRole(), "cloudtrail:DeleteTrail", TRAIL))
                .isEqualTo("TrailGuardDenyCloudTrailTampering");
    }

    @Test
    void theFunctionsThatStartRunbooks_mayPassTheAutomationRoleAndStartThem() {
        for (String function : List.of(Functions.TAMPER_RESPONDER, Functions.COMPLIANCE_RESPONDER,
                Functions.TRAIL_SWEEPER)) {
            String role = deployedRole("aws", function + "Role");
            assertThat(scp.allows(role, "iam:PassRole", automationRole())).as(function).isTrue();
            Runbooks.TRAILGUARD.forEach(document -> assertThat(
                    scp.allows(role, "ssm:StartAutomationExecution", runbook(document))).as(function).isTrue());
            assertThat(scp.denyingStatement(role, "cloudtrail:UpdateTrail", TRAIL)).as(function).isNotNull();
        }
        // the reporter only reads: it gets no exemption
        assertThat(scp.denyingStatement(deployedRole("aws", Functions.REMEDIATION_REPORTER + "Role"), "iam:PassRole",
                automationRole())).isNotNull();
    }

    @Test
    void theDeploymentRole_mayDeployTrailGuardButNotTamper() {
        assertThat(scp.allows(CDK_DEPLOYER, "iam:PassRole", deployedRole("aws", Functions.TAMPER_RESPONDER + "Role")))
                .isTrue();
        assertThat(scp.allows(CDK_DEPLOYER, "iam:CreateRole", automationRole())).isTrue();
        assertThat(scp.allows(CDK_DEPLOYER, "ssm:UpdateDocument",
                "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":document/TrailGuard-RestoreTrail")).isTrue();
        assertThat(scp.denyingStatement(CDK_DEPLOYER, "cloudtrail:StopLogging", TRAIL)).isNotNull();
    }

    @Test
    void breakGlass_mayDoEverything() {
        for (String call : TamperCalls.ALL) {
            assertThat(scp.allows(BREAK_GLASS, "cloudtrail:" + call, TRAIL)).as(call).isTrue();
        }
        assertThat(scp.allows(BREAK_GLASS, "iam:PassRole", automationRole())).isTrue();
    }

    // --- #14 items 8-10: TrailGuard's rules, roles, topic and key ---------------------------------------------

    private static final String GUARD_RULE = "arn:aws:events:eu-west-1:" + ACCOUNT
            + ":rule/TrailGuard-GuardEventBridgeRuleA7D73FA5-1A2B3C4D5E6F";
    private static final String TOPIC = "arn:aws:sns:eu-west-1:" + ACCOUNT + ":TrailGuard-TopicBFC7AF6E-1A2B3C4D5E6F";
    private static final String SUBSCRIPTION = TOPIC + ":5c2f6e8a-1b3d-4f5a-9c7e-2d4b6f8a0c1e";
    private static final String KEY = "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final Map<String, String> PROTECTED = Map.of(Notifications.PROTECTED_TAG, "true");

    @ParameterizedTest
    @ValueSource(strings = {"events:PutRule", "events:PutTargets", "events:RemoveTargets", "events:DisableRule",
            "events:DeleteRule"})
    void anAdministrator_cannotChangeOrDisableTrailGuardsRules(String call) {
        assertThat(scp.denyingStatement(ADMIN, call, GUARD_RULE)).as(call).isNotNull();
        assertThat(scp.allows(ADMIN, call, "arn:aws:events:eu-west-1:" + ACCOUNT + ":rule/nightly-report")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:DetachRolePolicy",
            "iam:UpdateAssumeRolePolicy"})
    void anAdministrator_cannotWeakenTrailGuardsRoles(String call) {
        assertThat(scp.denyingStatement(ADMIN, call, deployedRole("aws", Functions.TAMPER_RESPONDER + "Role")))
                .isEqualTo("TrailGuardProtectItself");
        assertThat(scp.denyingStatement(ADMIN, call, automationRole())).isEqualTo("TrailGuardProtectItself");
    }

    @Test
    void anAdministrator_cannotMuteTheTopicOrItsSubscriptions() {
        assertThat(scp.denyingStatement(ADMIN, "sns:PutDataProtectionPolicy", TOPIC)).isNotNull();
        assertThat(scp.denyingStatement(ADMIN, "sns:Unsubscribe", SUBSCRIPTION)).isNotNull();
        assertThat(scp.denyingStatement(ADMIN, "sns:SetSubscriptionAttributes", SUBSCRIPTION))
                .isEqualTo("TrailGuardProtectItsRules");
        assertThat(scp.denyingStatement(ADMIN, "ssm:PutParameter", "arn:aws:ssm:eu-west-1:" + ACCOUNT
                + ":parameter/trailguard/rules/TrailGuard-GuardEventBridgeRuleA7D73FA5-1A2B3C4D5E6F")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:UntagResource",
            "kms:TagResource"})
    void anAdministrator_cannotDisableTheTopicsKey_butOtherKeysAreTheirs(String call) {
        assertThat(scp.denyingStatement(ADMIN, call, KEY, PROTECTED)).isEqualTo("TrailGuardProtectItsKey");
        assertThat(scp.allows(ADMIN, call, KEY, Map.of())).isTrue();
        assertThat(scp.allows(CDK_DEPLOYER, call, KEY, PROTECTED)).isTrue();
        assertThat(scp.allows(BREAK_GLASS, call, KEY, PROTECTED)).isTrue();
    }

    @Test
    void theTamperResponder_mayPutTrailGuardsRulesAndSubscriptionsBack_butNotDeleteThem() {
        String responder = deployedRole("aws", Functions.TAMPER_RESPONDER + "Role");
        for (String call : GuardrailStack.SELF_REPAIRED_ACTIONS) {
            String resource = call.startsWith("sns:") ? SUBSCRIPTION : GUARD_RULE;
            assertThat(scp.allows(responder, call, resource)).as(call).isTrue();
            assertThat(scp.denyingStatement(deployedRole("aws", Functions.TRAIL_SWEEPER + "Role"), call, resource))
                    .as(call).isNotNull();
        }
        assertThat(scp.denyingStatement(responder, "events:DeleteRule", GUARD_RULE)).isNotNull();
        assertThat(scp.denyingStatement(responder, "kms:DisableKey", KEY, PROTECTED)).isNotNull();
    }

    // --- organization mode -----------------------------------------------------------------------------------

    private static final String MEMBER_ADMIN = "arn:aws:iam::" + ACCOUNT
            + ":role/AWSReservedSSO_AdministratorAccess_0123456789abcdef";
    private static final String STACKSET_EXEC = "arn:aws:iam::" + ACCOUNT + ":role/stacksets-exec-0123456789abcdef0123456789abcdef";
    private static final String MEMBER_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/TrailGuard-Member";
    private static final String MEMBER_AUTOMATION = "arn:aws:iam::" + ACCOUNT + ":role/TrailGuard-Automation";

    /** The SCP synthesized with the organization id, as the management account deploys it in organization mode. */
    private static ScpEvaluator organizationScp() {
        TrailGuardApp.Stacks stacks = TestStacks.stacks(TestStacks.app(Map.of(
                "organizationTargetIds", List.of("ou-ab12-34567890"),
                "breakGlassRoleArns", List.of("arn:aws:iam::*:role/BreakGlass"),
                "organizationId", OrganizationTestStacks.ORGANIZATION)));
        return new ScpEvaluator(allParts(stacks));
    }

    /**
     * Every part's statements as one document: a Deny in any SCP attached to a target applies, so the parts together
     * deny exactly what one document with all their statements would.
     */
    private static JsonNode allParts(TrailGuardApp.Stacks stacks) {
        com.fasterxml.jackson.databind.node.ObjectNode document = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode statements = document.put("Version", "2012-10-17")
                .putArray("Statement");
        TestStacks.resources(TestStacks.tree(Template.fromStack(stacks.guardrail())), "AWS::Organizations::Policy")
                .values().forEach(policy -> statements.addAll((com.fasterxml.jackson.databind.node.ArrayNode)
                        policy.path("Properties").path("Content").path("Statement")));
        return document;
    }

    @Test
    void organizationMode_theHubsTamperResponder_mayPutTheHubsRulesAndSubscriptionsBack_butNotDeleteThem() {
        ScpEvaluator organization = organizationScp();
        String hubResponder = "arn:aws:iam::" + ACCOUNT + ":role/TrailGuardHub-TamperResponder";
        String hubBusRule = "arn:aws:events:eu-west-1:" + ACCOUNT
                + ":rule/TrailGuardHub/TrailGuardHub-RoutingTamperRule1A2B3C4D-5E6F7G8H9I0J";
        String hubRule = "arn:aws:events:eu-west-1:" + ACCOUNT
                + ":rule/TrailGuardHub-GuardTheGuardGuardEventBridgeRuleA7D73FA5-5E6F7G8H9I0J";
        String hubSubscription = "arn:aws:sns:eu-west-1:" + ACCOUNT
                + ":TrailGuardHub-NotificationsTopic1A2B3C4D-5E6F7G8H9I0J:5c2f6e8a-1b3d-4f5a-9c7e-2d4b6f8a0c1e";
        for (String call : GuardrailStack.SELF_REPAIRED_ACTIONS) {
            for (String resource : call.startsWith("sns:") ? List.of(hubSubscription) : List.of(hubBusRule, hubRule)) {
                assertThat(organization.allows(hubResponder, call, resource)).as(call + " " + resource).isTrue();
                // an administrator of the hub account still may not
                assertThat(organization.denyingStatement(MEMBER_ADMIN, call, resource)).as(call).isNotNull();
                // nor the hub's other functions
                assertThat(organization.denyingStatement("arn:aws:iam::" + ACCOUNT
                        + ":role/TrailGuardHub-TrailSweeper", call, resource)).as(call).isNotNull();
            }
        }
        assertThat(organization.denyingStatement(hubResponder, "events:DeleteRule", hubBusRule)).isNotNull();
        assertThat(organization.denyingStatement(hubResponder, "events:DisableRule", hubRule)).isNotNull();
        // the member accounts' forwarding rules stay the stack sets' only
        assertThat(organization.denyingStatement(hubResponder, "events:PutRule",
                "arn:aws:events:eu-west-1:" + ACCOUNT + ":rule/TrailGuard-ForwardTamperCalls"))
                .isEqualTo("TrailGuardProtectMemberResources");
        // and without the organization id there is no hub and no exemption
        assertThat(scp.denyingStatement(hubResponder, "events:PutRule", hubBusRule)).isNotNull();
    }

    @Test
    void organizationMode_theHubsRemediatingFunctions_mayStartTheRunbooksInTheHubAccount_andNoOtherHubRole() {
        // in its own account the hub passes the member automation role and starts TrailGuard's runbooks with its own
        // function roles (the hub account is a member, in a guarded OU)
        ScpEvaluator organization = organizationScp();
        for (String function : List.of(Functions.TAMPER_RESPONDER, Functions.COMPLIANCE_RESPONDER,
                Functions.TRAIL_SWEEPER)) {
            String role = "arn:aws:iam::" + ACCOUNT + ":role/TrailGuardHub-" + function;
            assertThat(organization.allows(role, "iam:PassRole", MEMBER_AUTOMATION)).as(function).isTrue();
            for (String document : Runbooks.TRAILGUARD) {
                assertThat(organization.allows(role, "ssm:StartAutomationExecution", runbook(document)))
                        .as(function + " " + document).isTrue();
            }
            // and still no tampering
            assertThat(organization.denyingStatement(role, "cloudtrail:StopLogging", TRAIL)).isNotNull();
            assertThat(organization.denyingStatement(role, "cloudtrail:UpdateTrail", TRAIL)).isNotNull();
        }
        // the reporter and the fire drill start nothing, and a look-alike outside the prefix is no hub function
        for (String role : List.of("arn:aws:iam::" + ACCOUNT + ":role/TrailGuardHub-RemediationReporter",
                "arn:aws:iam::" + ACCOUNT + ":role/TrailGuardHub-FireDrill",
                "arn:aws:iam::" + ACCOUNT + ":role/Other-TamperResponder")) {
            assertThat(organization.denyingStatement(role, "iam:PassRole", MEMBER_AUTOMATION)).as(role)
                    .isEqualTo("TrailGuardDenyBorrowingItsRoles");
        }
        // without the organization id: the single-account roles only, as before
        assertThat(scp.denyingStatement("arn:aws:iam::" + ACCOUNT + ":role/TrailGuardHub-TamperResponder",
                "iam:PassRole", automationRole())).isEqualTo("TrailGuardDenyBorrowingItsRoles");
        assertThat(scp.allows(deployedRole("aws", Functions.TAMPER_RESPONDER + "Role"), "iam:PassRole",
                automationRole())).isTrue();
    }

    /** A call against a member resource, with the resource the call names. */
    private record MemberCall(String action, String resource) { }

    private static List<MemberCall> memberResourceCalls() {
        String rule = "arn:aws:events:eu-west-1:" + ACCOUNT + ":rule/TrailGuard-ForwardTamperCalls";
        String document = "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":document/TrailGuard-RestoreTrail";
        List<MemberCall> calls = new java.util.ArrayList<>();
        for (String action : List.of("DeleteRule", "DisableRule", "PutRule", "PutTargets", "RemoveTargets")) {
            calls.add(new MemberCall("events:" + action, rule));
        }
        for (String action : List.of("DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy", "PutRolePolicy",
                "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy")) {
            calls.add(new MemberCall("iam:" + action, MEMBER_ROLE));
            calls.add(new MemberCall("iam:" + action, MEMBER_AUTOMATION));
        }
        calls.add(new MemberCall("ssm:DeleteDocument", document));
        calls.add(new MemberCall("ssm:UpdateDocument", document));
        return calls;
    }

    @Test
    void organizationMode_aMemberAdministrator_isDeniedEveryChangeToTheMemberResources() {
        ScpEvaluator organization = organizationScp();
        for (MemberCall call : memberResourceCalls()) {
            assertThat(organization.denyingStatement(MEMBER_ADMIN, call.action(), call.resource())).as(call.toString())
                    .isNotNull();
        }
        // even the CDK's deployment role: a member's TrailGuard comes from the stack sets only
        assertThat(organization.denyingStatement(CDK_DEPLOYER, "events:DeleteRule",
                "arn:aws:events:eu-west-1:" + ACCOUNT + ":rule/TrailGuard-ForwardTamperCalls"))
                .isEqualTo("TrailGuardProtectMemberResources");
        // and the tamper calls stay denied
        assertThat(organization.denyingStatement(MEMBER_ADMIN, "cloudtrail:StopLogging", TRAIL)).isNotNull();
    }

    @Test
    void organizationMode_theStackSetExecutionRole_mayDeployTheMemberResources_butNotTamper() {
        ScpEvaluator organization = organizationScp();
        for (MemberCall call : memberResourceCalls()) {
            assertThat(organization.allows(STACKSET_EXEC, call.action(), call.resource())).as(call.toString()).isTrue();
        }
        assertThat(organization.allows(STACKSET_EXEC, "iam:CreateRole", MEMBER_ROLE)).isTrue();
        // the forwarding rules' targets hand EventBridge the forwarder role
        assertThat(organization.allows(STACKSET_EXEC, "iam:PassRole",
                "arn:aws:iam::" + ACCOUNT + ":role/TrailGuard-Forwarder")).isTrue();
        assertThat(organization.denyingStatement(STACKSET_EXEC, "cloudtrail:StopLogging", TRAIL)).isNotNull();
        // and the single-account mode's SCP, without the organization id, would have denied it
        assertThat(scp.denyingStatement(STACKSET_EXEC, "events:DeleteRule",
                "arn:aws:events:eu-west-1:" + ACCOUNT + ":rule/TrailGuard-ForwardTamperCalls")).isNotNull();
    }

    @Test
    void organizationMode_theMemberRoles_mayDoWhatTheHubAsksOfThem() {
        ScpEvaluator organization = organizationScp();
        // the member role passes the member automation role and starts TrailGuard's runbooks
        assertThat(organization.allows(MEMBER_ROLE, "iam:PassRole", MEMBER_AUTOMATION)).isTrue();
        for (String document : Runbooks.TRAILGUARD) {
            assertThat(organization.allows(MEMBER_ROLE, "ssm:StartAutomationExecution", runbook(document))).isTrue();
        }
        // the member automation role puts trails back and re-enables the forwarding rules
        for (String call : TamperCalls.RESTORING) {
            assertThat(organization.allows(MEMBER_AUTOMATION, "cloudtrail:" + call, TRAIL)).as(call).isTrue();
        }
        assertThat(organization.allows(MEMBER_AUTOMATION, "events:EnableRule",
                "arn:aws:events:eu-west-1:" + ACCOUNT + ":rule/TrailGuard-ForwardTamperCalls")).isTrue();
        assertThat(organization.denyingStatement(MEMBER_AUTOMATION, "cloudtrail:StopLogging", TRAIL)).isNotNull();
        // nobody else may borrow them
        assertThat(organization.denyingStatement(MEMBER_ADMIN, "iam:PassRole", MEMBER_AUTOMATION))
                .isEqualTo("TrailGuardDenyBorrowingItsRoles");
        // break-glass still may
        assertThat(organization.allows(BREAK_GLASS, "iam:DeleteRole", MEMBER_ROLE)).isTrue();
    }

    @Test
    void theFireDrill_mayStopTheCanaryOnly_andNothingElse() {
        String drill = deployedRole("aws", "FireDrillRole");
        String canary = "arn:aws:cloudtrail:eu-west-1:" + ACCOUNT + ":trail/TrailGuard-Canary";
        // the drill's one call
        assertThat(scp.allows(drill, "cloudtrail:StopLogging", canary)).isTrue();
        assertThat(scp.allows(drill.replace("arn:aws:", "arn:aws-us-gov:"), "cloudtrail:StopLogging",
                canary.replace("arn:aws:", "arn:aws-us-gov:").replace("eu-west-1", "us-gov-west-1"))).isTrue();
        // never a user's trail, never a delete, never a weakening
        assertThat(scp.denyingStatement(drill, "cloudtrail:StopLogging", TRAIL))
                .isEqualTo("TrailGuardDrillStopsOnlyTheCanary");
        assertThat(scp.denyingStatement(drill, "cloudtrail:DeleteTrail", canary))
                .isEqualTo("TrailGuardDenyCloudTrailWeakening");
        assertThat(scp.denyingStatement(drill, "cloudtrail:DeleteTrail", TRAIL)).isNotNull();
        assertThat(scp.denyingStatement(drill, "cloudtrail:UpdateTrail", canary)).isNotNull();
        assertThat(scp.denyingStatement(drill, "cloudtrail:PutEventSelectors", canary)).isNotNull();
        // the exemption is the drill role's only: an administrator may not stop (or delete) the canary
        assertThat(scp.denyingStatement(ADMIN, "cloudtrail:StopLogging", canary))
                .isEqualTo("TrailGuardDenyCloudTrailTampering");
        assertThat(scp.denyingStatement(ADMIN, "cloudtrail:DeleteTrail", canary)).isNotNull();
        // nor another TrailGuard role, nor a look-alike outside TrailGuard's prefix
        assertThat(scp.denyingStatement(automationRole(), "cloudtrail:StopLogging", canary)).isNotNull();
        assertThat(scp.denyingStatement("arn:aws:iam::" + ACCOUNT + ":role/Other-FireDrillRole",
                "cloudtrail:StopLogging", canary)).isNotNull();
        // a trail named like the canary's prefix is not the canary
        assertThat(scp.denyingStatement(drill, "cloudtrail:StopLogging", canary + "-2")).isNotNull();
    }

    @Test
    void organizationMode_theMemberDrillRole_mayStopItsCanaryOnly_andNothingElse() {
        // given the organization's SCP and a member account's drill role (issue 16 item 5)
        ScpEvaluator organization = organizationScp();
        String drill = "arn:aws:iam::" + ACCOUNT + ":role/TrailGuard-MemberDrill";
        String canary = "arn:aws:cloudtrail:eu-west-1:" + ACCOUNT + ":trail/TrailGuard-Canary";

        // then the drill's one call
        assertThat(organization.allows(drill, "cloudtrail:StopLogging", canary)).isTrue();
        // never a user's trail, never a delete, never a weakening
        assertThat(organization.denyingStatement(drill, "cloudtrail:StopLogging", TRAIL))
                .isEqualTo("TrailGuardDrillStopsOnlyTheCanary");
        assertThat(organization.denyingStatement(drill, "cloudtrail:StopLogging", canary + "-2")).isNotNull();
        assertThat(organization.denyingStatement(drill, "cloudtrail:DeleteTrail", canary))
                .isEqualTo("TrailGuardDenyCloudTrailWeakening");
        assertThat(organization.denyingStatement(drill, "cloudtrail:UpdateTrail", canary)).isNotNull();
        assertThat(organization.denyingStatement(drill, "cloudtrail:PutEventSelectors", canary)).isNotNull();
        // nor may it be changed, or its trust widened, by a member administrator
        assertThat(organization.denyingStatement(MEMBER_ADMIN, "iam:UpdateAssumeRolePolicy", drill)).isNotNull();
        assertThat(organization.denyingStatement(MEMBER_ADMIN, "iam:PutRolePolicy", drill)).isNotNull();
        // the exemption is that role's only: the member's administrator, the member role and a look-alike may not
        assertThat(organization.denyingStatement(MEMBER_ADMIN, "cloudtrail:StopLogging", canary))
                .isEqualTo("TrailGuardDenyCloudTrailTampering");
        assertThat(organization.denyingStatement(MEMBER_ROLE, "cloudtrail:StopLogging", canary)).isNotNull();
        assertThat(organization.denyingStatement("arn:aws:iam::" + ACCOUNT + ":role/TrailGuard-MemberDrill2",
                "cloudtrail:StopLogging", canary)).isNotNull();
        assertThat(organization.denyingStatement("arn:aws:iam::" + ACCOUNT + ":role/Other-MemberDrill",
                "cloudtrail:StopLogging", canary)).isNotNull();
        // and nobody but the stack sets (and break-glass) may create a role of that name
        assertThat(organization.denyingStatement(MEMBER_ADMIN, "iam:CreateRole", drill)).isNotNull();
        assertThat(organization.allows(STACKSET_EXEC, "iam:CreateRole", drill)).isTrue();
    }

    @Test
    void singleAccountMode_hasNoMemberDrillRoleExemption() {
        assertThat(scp.denyingStatement("arn:aws:iam::" + ACCOUNT + ":role/TrailGuard-MemberDrill",
                "cloudtrail:StopLogging", "arn:aws:cloudtrail:eu-west-1:" + ACCOUNT + ":trail/TrailGuard-Canary"))
                .isEqualTo("TrailGuardDenyCloudTrailTampering");
    }

    @Test
    void theEvaluator_honoursNotResource() {
        ScpEvaluator notResource = new ScpEvaluator(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(
                Map.of("Statement", List.of(Map.of("Sid", "S", "Effect", "Deny", "Action", "cloudtrail:StopLogging",
                        "NotResource", "arn:*:cloudtrail:*:*:trail/Keep")))));
        assertThat(notResource.allows(ADMIN, "cloudtrail:StopLogging", "arn:aws:cloudtrail:eu-west-1:1:trail/Keep"))
                .isTrue();
        assertThat(notResource.allows(ADMIN, "cloudtrail:StopLogging", "arn:aws:cloudtrail:eu-west-1:1:trail/Other"))
                .isFalse();
    }

    @Test
    void theEvaluator_matchesArnsPartByPart() {
        assertThat(ScpEvaluator.arnLike("arn:*:iam::*:role/TrailGuard-AutomationRole*",
                "arn:aws:iam::111122223333:role/TrailGuard-AutomationRoleC58D7324-X")).isTrue();
        assertThat(ScpEvaluator.arnLike("arn:*:iam::*:role/TrailGuard-AutomationRole*",
                "arn:aws:iam::111122223333:role/Other-TrailGuard-AutomationRole")).isFalse();
        assertThat(ScpEvaluator.arnLike("arn:aws:iam::*:role/X", "arn:aws-cn:iam::111122223333:role/X")).isFalse();
    }
}
