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
import dev.trailguard.contract.Functions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Issue 16 item 5, the stacks: every member account's canary trail (its own stack set, hub region only) and drill
 * role (roles stack set), the management account's too, and the hub's FireDrill with its daily schedule and alarm.
 */
class OrganizationFireDrillTest {

    private static final String HUB_DRILL_ROLE = "arn:${AWS::Partition}:iam::" + HUB_ACCOUNT
            + ":role/TrailGuardHub-FireDrill";
    private static final String MEMBER_CANARY = "arn:${AWS::Partition}:cloudtrail:" + HUB_REGION
            + ":${AWS::AccountId}:trail/TrailGuard-Canary";

    private static TrailGuardApp.OrganizationStacks stacks;
    private static JsonNode canary;
    private static JsonNode roles;
    private static JsonNode hub;
    private static JsonNode management;
    private static JsonNode members;

    @BeforeAll
    static void synthesize() throws Exception {
        stacks = OrganizationTestStacks.stacks();
        canary = TestStacks.JSON.readTree(stacks.members().canaryTemplate().body());
        roles = TestStacks.JSON.readTree(stacks.members().rolesTemplate().body());
        hub = TestStacks.tree(Template.fromStack(stacks.hub()));
        management = TestStacks.tree(Template.fromStack(stacks.management()));
        members = TestStacks.tree(Template.fromStack(stacks.members()));
    }

    @Test
    void memberCanary_shouldRecordNothing_intoAnEncryptedTlsOnlyBucketWithAShortLifecycle() {
        JsonNode trail = resources(canary, "AWS::CloudTrail::Trail").values().iterator().next().path("Properties");
        assertThat(trail.path("TrailName").asText()).isEqualTo("TrailGuard-Canary");
        assertThat(trail.path("IsLogging").asBoolean()).isTrue();
        assertThat(trail.path("IsMultiRegionTrail").asBoolean()).isFalse();
        assertThat(trail.path("IncludeGlobalServiceEvents").asBoolean()).isFalse();
        assertThat(trail.path("EventSelectors")).hasSize(1);
        assertThat(trail.path("EventSelectors").get(0).path("IncludeManagementEvents").asBoolean(true)).isFalse();
        assertThat(trail.path("EventSelectors").get(0).path("DataResources")).isEmpty();
        assertThat(trail.has("InsightSelectors")).isFalse();

        JsonNode bucket = resources(canary, "AWS::S3::Bucket").values().iterator().next();
        assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
        JsonNode props = bucket.path("Properties");
        assertThat(props.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isEqualTo("AES256");
        assertThat(props.path("PublicAccessBlockConfiguration").path("RestrictPublicBuckets").asBoolean()).isTrue();
        assertThat(props.path("LifecycleConfiguration").path("Rules").get(0).path("ExpirationInDays").asInt())
                .isEqualTo(FireDrills.LOG_EXPIRY_DAYS);
        List<JsonNode> policy = List.copyOf(resources(canary, "AWS::S3::BucketPolicy").values());
        assertThat(policy).hasSize(1);
        JsonNode statements = policy.get(0).path("Properties").path("PolicyDocument").path("Statement");
        assertThat(statements.toString()).contains("\"aws:SecureTransport\":\"false\"");
        // CloudTrail may write only for the canary
        for (JsonNode statement : statements) {
            if (statement.path("Effect").asText().equals("Allow")) {
                assertThat(render(statement.path("Condition").path("StringEquals").path("aws:SourceArn")))
                        .isEqualTo("arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/"
                                + "TrailGuard-Canary");
            }
        }
        // and nothing else: no role, no function, no code
        assertThat(resources(canary, "AWS::IAM::Role")).isEmpty();
        assertThat(resources(canary, "AWS::Lambda::Function")).isEmpty();
    }

    @Test
    void canaryStackSet_shouldDeployOncePerAccount_inTheHubRegion_toTheGuardedOus() {
        JsonNode set = resources(members, "AWS::CloudFormation::StackSet").values().stream()
                .filter(s -> s.path("Properties").path("StackSetName").asText().equals(MembersStack.CANARY_STACK_SET))
                .findFirst().orElseThrow().path("Properties");
        assertThat(strings(set.path("StackInstancesGroup").get(0).path("Regions"))).containsExactly(HUB_REGION);
        assertThat(strings(set.path("StackInstancesGroup").get(0).path("DeploymentTargets")
                .path("OrganizationalUnitIds"))).containsExactlyElementsOf(OrganizationTestStacks.OUS);
        assertThat(set.path("PermissionModel").asText()).isEqualTo("SERVICE_MANAGED");
        assertThat(set.path("AutoDeployment").path("Enabled").asBoolean()).isTrue();
    }

    @Test
    void memberDrillRole_shouldBeTrustedOnlyByTheHubsFireDrill_andStopOnlyTheCanary() {
        JsonNode role = roles.path("Resources").path(MemberRolesTest.role(roles, "TrailGuard-MemberDrill"))
                .path("Properties");
        JsonNode trust = role.path("AssumeRolePolicyDocument").path("Statement");
        assertThat(trust).hasSize(1);
        assertThat(strings(trust.get(0).path("Action"))).containsExactly("sts:AssumeRole");
        assertThat(render(trust.get(0).path("Principal").path("AWS")))
                .isEqualTo("arn:${AWS::Partition}:iam::" + HUB_ACCOUNT + ":root");
        assertThat(renderAll(trust.get(0).path("Condition").path("ArnEquals").path("aws:PrincipalArn")))
                .containsExactly(HUB_DRILL_ROLE);
        assertThat(trust.get(0).path("Condition").path("StringEquals").path("aws:PrincipalOrgID").asText())
                .isEqualTo(ORGANIZATION);
        List<JsonNode> statements = statementsOfRole(roles, MemberRolesTest.role(roles, "TrailGuard-MemberDrill"));
        assertThat(statements).hasSize(1);
        assertThat(strings(statements.get(0).path("Action"))).containsExactly("cloudtrail:StopLogging");
        assertThat(renderAll(statements.get(0).path("Resource"))).containsExactly(MEMBER_CANARY);
        assertThat(role.has("ManagedPolicyArns")).isFalse();
    }

    @Test
    void memberRole_shouldNotTrustTheFireDrill_butMayReadTheDrillsTags() {
        JsonNode trust = roles.path("Resources").path(MemberRolesTest.role(roles, "TrailGuard-Member"))
                .path("Properties").path("AssumeRolePolicyDocument");
        assertThat(renderAll(trust.path("Statement").get(0).path("Condition").path("ArnEquals")
                .path("aws:PrincipalArn"))).doesNotContain(HUB_DRILL_ROLE).hasSize(Functions.ALL.size());
        JsonNode tags = statementsOfRole(roles, MemberRolesTest.role(roles, "TrailGuard-Member")).stream()
                .filter(s -> strings(s.path("Action")).contains("ssm:ListTagsForResource")).findFirst().orElseThrow();
        assertThat(strings(tags.path("Action"))).containsExactly("ssm:ListTagsForResource");
        assertThat(renderAll(tags.path("Resource")))
                .containsExactly("arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:automation-execution/*");
    }

    @Test
    void managementAccount_shouldHaveTheCanaryAndTheDrillRole_inTheHubRegionOnly() {
        for (String type : List.of("AWS::CloudTrail::Trail", "AWS::S3::Bucket", "AWS::S3::BucketPolicy")) {
            assertThat(resources(management, type)).as(type).hasSize(1).allSatisfy((id, r) ->
                    assertThat(r.path("Condition").asText()).isEqualTo(ManagementMemberStack.ROLES_REGION_CONDITION));
        }
        JsonNode drill = management.path("Resources").path(MemberRolesTest.role(management, "TrailGuard-MemberDrill"));
        assertThat(drill.path("Condition").asText()).isEqualTo(ManagementMemberStack.ROLES_REGION_CONDITION);
    }

    @Test
    void hubFireDrill_shouldAssumeOnlyTheMemberDrillRoles_andListTheGuardedAccounts() {
        String function = TestStacks.functionId(hub, Functions.handler(Functions.FIRE_DRILL));
        String roleId = TestStacks.roleIdOfFunction(hub, function);
        assertThat(hub.path("Resources").path(roleId).path("Properties").path("RoleName").asText())
                .isEqualTo("TrailGuardHub-FireDrill");
        List<JsonNode> statements = statementsOfRole(hub, roleId);
        JsonNode assume = statements.stream().filter(s -> strings(s.path("Action")).contains("sts:AssumeRole"))
                .findFirst().orElseThrow();
        assertThat(renderAll(assume.path("Resource")))
                .containsExactly("arn:${AWS::Partition}:iam::*:role/TrailGuard-MemberDrill");
        assertThat(assume.path("Condition").toString())
                .isEqualTo("{\"StringEquals\":{\"aws:ResourceOrgID\":\"" + ORGANIZATION + "\"}}");
        // every action it may take: assume the drill roles, list and name accounts, publish, log, dead-letter a failed
        // invocation
        assertThat(statements.stream().flatMap(s -> strings(s.path("Action")).stream()).distinct().sorted())
                .containsExactly("kms:Decrypt", "kms:GenerateDataKey*", "logs:CreateLogStream", "logs:PutLogEvents",
                        "organizations:DescribeAccount",
                        "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent",
                        "organizations:ListParents", "sns:Publish", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                        "sqs:SendMessage", "sts:AssumeRole");
        // no CloudTrail call of its own in the hub account
        assertThat(statements.toString()).doesNotContain("cloudtrail:");
        JsonNode env = hub.path("Resources").path(function).path("Properties").path("Environment")
                .path("Variables");
        assertThat(env.path(Environment.MEMBER_DRILL_ROLE_NAME).asText()).isEqualTo("TrailGuard-MemberDrill");
        assertThat(env.path(Environment.MEMBER_CANARY_REGION).asText()).isEqualTo(HUB_REGION);
        assertThat(env.path(Environment.DRILL_PARENT_IDS).asText())
                .isEqualTo(String.join(",", OrganizationTestStacks.OUS));
        assertThat(env.path(Environment.DRILL_ACCOUNTS_PER_DAY).asText()).isEqualTo("3");
    }

    @Test
    void everyHubFunction_shouldKnowTheMemberDrills_toRecogniseAndMeasureThem() {
        for (String name : Functions.ALL) {
            JsonNode env = hub.path("Resources").path(TestStacks.functionId(hub, Functions.handler(name)))
                    .path("Properties").path("Environment").path("Variables");
            assertThat(env.path(Environment.MEMBER_DRILL_ROLE_NAME).asText()).as(name)
                    .isEqualTo("TrailGuard-MemberDrill");
            assertThat(env.path(Environment.MEMBER_CANARY_REGION).asText()).as(name).isEqualTo(HUB_REGION);
            assertThat(env.has(Environment.CANARY_TRAIL_ARN)).as(name).isFalse();
        }
    }

    @Test
    void hubSchedule_shouldRunTheDrillDaily_andTheAlarmGoToTheHubTopic() {
        String alias = resources(hub, "AWS::Lambda::Alias").entrySet().stream()
                .filter(e -> e.getKey().startsWith("FireDrill")).map(Map.Entry::getKey).findFirst().orElseThrow();
        JsonNode schedule = resources(hub, "AWS::Events::Rule").values().stream()
                .filter(r -> "rate(1 day)".equals(r.path("Properties").path("ScheduleExpression").asText()))
                .findFirst().orElseThrow().path("Properties");
        assertThat(schedule.path("Targets")).hasSize(1);
        assertThat(schedule.path("Targets").get(0).path("Arn").path("Ref").asText()).isEqualTo(alias);
        assertThat(schedule.path("Targets").get(0).has("DeadLetterConfig")).isTrue();

        JsonNode alarm = resources(hub, "AWS::CloudWatch::Alarm").entrySet().stream()
                .filter(e -> e.getKey().contains("CanaryNotRestored")).findFirst().orElseThrow().getValue()
                .path("Properties");
        assertThat(alarm.path("Namespace").asText()).isEqualTo("TrailGuard/FireDrill");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("CanaryStoppedSeconds");
        // the organization-wide series: no dimensions
        assertThat(alarm.has("Dimensions")).isFalse();
        assertThat(alarm.path("Statistic").asText()).isEqualTo("Maximum");
        assertThat(alarm.path("Threshold").asInt()).isEqualTo(600);
        String topic = resources(hub, "AWS::SNS::Topic").entrySet().stream()
                .filter(e -> !e.getKey().contains("SecondChannel")).map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(alarm.path("AlarmActions").get(0).path("Ref").asText()).isEqualTo(topic);
    }

    @Test
    void withOrganizationFireDrillOff_nothingOfTheDrillIsCreated() throws Exception {
        TrailGuardApp.OrganizationStacks off = OrganizationTestStacks.stacks(Map.of("organizationFireDrill", false));
        assertThat(off.members().canaryTemplate()).isNull();
        JsonNode offRoles = TestStacks.JSON.readTree(off.members().rolesTemplate().body());
        assertThat(offRoles.toString()).doesNotContain("TrailGuard-MemberDrill").doesNotContain("ListTagsForResource");
        JsonNode offHub = TestStacks.tree(Template.fromStack(off.hub()));
        assertThat(offHub.toString()).doesNotContain("FireDrill").doesNotContain(Environment.MEMBER_DRILL_ROLE_NAME);
        JsonNode offManagement = TestStacks.tree(Template.fromStack(off.management()));
        assertThat(resources(offManagement, "AWS::CloudTrail::Trail")).isEmpty();
    }
}
