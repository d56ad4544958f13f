package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.render;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Functions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Issue 16, the stack side of the fire drill: a canary trail that records nothing into an encrypted, TLS-only bucket
 * with a short lifecycle; a drill role that may stop the canary and nothing else (besides publishing and logging); the
 * schedule and the "canary not restored" alarm wired to the topic; every function told the canary and the drill role;
 * and none of it when the context turns the drill off.
 */
class FireDrillStackTest {

    private static Template template;
    private static JsonNode tree;

    @BeforeAll
    static void synthesize() {
        template = TestStacks.guardTemplate(Map.of());
        tree = tree(template);
    }

    @Test
    void canaryTrail_shouldRecordNothing() {
        Map<String, JsonNode> trails = resources(tree, "AWS::CloudTrail::Trail");
        assertThat(trails).hasSize(1);
        JsonNode canary = trails.values().iterator().next().path("Properties");
        assertThat(canary.path("TrailName").asText()).isEqualTo(Environment.CANARY_TRAIL_NAME);
        assertThat(canary.path("IsLogging").asBoolean()).isTrue();
        assertThat(canary.path("IsMultiRegionTrail").asBoolean()).isFalse();
        assertThat(canary.path("IncludeGlobalServiceEvents").asBoolean()).isFalse();
        // no management events and no data events: one selector that selects nothing, no advanced selectors, no Insights
        JsonNode selectors = canary.path("EventSelectors");
        assertThat(selectors).hasSize(1);
        assertThat(selectors.get(0).path("IncludeManagementEvents").asBoolean(true)).isFalse();
        assertThat(selectors.get(0).path("DataResources")).isEmpty();
        assertThat(canary.has("AdvancedEventSelectors")).isFalse();
        assertThat(canary.has("InsightSelectors")).isFalse();
        assertThat(canary.has("CloudWatchLogsLogGroupArn")).isFalse();
    }

    @Test
    void canaryBucket_shouldBeEncryptedTlsOnlyPrivateAndShortLived() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Match.objectLike(Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "ExpirationInDays", FireDrills.LOG_EXPIRY_DAYS, "Status", "Enabled")))))));
        // a destroy must not fail on the digests still in it
        assertThat(resources(tree, "AWS::S3::Bucket").values().iterator().next().path("DeletionPolicy").asText())
                .isEqualTo("Retain");
        JsonNode policy = resources(tree, "AWS::S3::BucketPolicy").values().iterator().next();
        String document = render(policy.path("Properties").path("PolicyDocument"));
        // TLS only, and CloudTrail may write only for the canary
        assertThat(document).contains("\"aws:SecureTransport\":\"false\"").contains("cloudtrail.amazonaws.com")
                .contains("trail/TrailGuard-Canary");
    }

    @Test
    void drillRole_shouldStopOnlyTheCanary() {
        String functionId = TestStacks.functionId(tree, Functions.handler(Functions.FIRE_DRILL));
        String roleId = TestStacks.roleIdOfFunction(tree, functionId);
        List<String> cloudTrail = new ArrayList<>();
        for (JsonNode statement : TestStacks.statementsOfRole(tree, roleId)) {
            for (String action : TestStacks.strings(statement.path("Action"))) {
                assertThat(action).as("the drill role may only stop the canary, publish and log")
                        .matches("cloudtrail:StopLogging|sns:Publish|kms:Decrypt|kms:GenerateDataKey\\*"
                                + "|logs:CreateLogStream|logs:PutLogEvents|sqs:SendMessage|sqs:GetQueueAttributes"
                                + "|sqs:GetQueueUrl");
                if (action.startsWith("cloudtrail:")) {
                    cloudTrail.add(render(statement.path("Resource")));
                }
            }
        }
        // the one canary ARN of this account and region: no wildcard anywhere
        assertThat(cloudTrail).containsExactly("arn:${AWS::Partition}:cloudtrail:us-east-1:111122223333"
                + ":trail/TrailGuard-Canary");
        // trusted by Lambda only
        assertThat(render(tree.path("Resources").path(roleId).path("Properties").path("AssumeRolePolicyDocument")))
                .contains("lambda.amazonaws.com").doesNotContain("ssm.amazonaws.com");
    }

    @Test
    void drillRole_shouldNotBeOneOfTrailGuardsOwnRoles() {
        // the loop guard ignores calls by TrailGuard's own roles: the drill's StopLogging must reach the real path
        String drillRole = TestStacks.roleIdOfFunction(tree, TestStacks.functionId(tree,
                Functions.handler(Functions.FIRE_DRILL)));
        for (JsonNode function : resources(tree, "AWS::Lambda::Function").values()) {
            JsonNode variables = function.path("Properties").path("Environment").path("Variables");
            assertThat(render(variables.path(Environment.OWN_ROLE_ARNS))).doesNotContain(drillRole);
            assertThat(render(variables.path(Environment.FUNCTION_ROLE_ARNS))).doesNotContain(drillRole);
            assertThat(render(variables.path(Environment.DRILL_ROLE_ARN))).contains(drillRole);
            assertThat(render(variables.path(Environment.CANARY_TRAIL_ARN))).contains("trail/TrailGuard-Canary");
        }
    }

    @Test
    void scheduleAndAlarm_shouldBeWired() {
        String alias = resources(tree, "AWS::Lambda::Alias").entrySet().stream()
                .filter(e -> e.getKey().startsWith("FireDrill")).map(Map.Entry::getKey).findFirst().orElseThrow();
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", FireDrillProps.DEFAULT_SCHEDULE,
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", alias),
                        "DeadLetterConfig", Match.anyValue()))))));
        String topic = resources(tree, "AWS::SNS::Topic").keySet().iterator().next();
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", Environment.DRILL_METRIC_NAMESPACE,
                "MetricName", FireDrills.METRIC_CANARY_STOPPED,
                "Statistic", "Maximum",
                "Threshold", Environment.DEFAULT_DRILL_DEADLINE_MINUTES * 60,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "Dimensions", Match.arrayWith(List.of(Map.of("Name", "Account", "Value", Map.of("Ref", "AWS::AccountId")),
                        Map.of("Name", "Region", "Value", Map.of("Ref", "AWS::Region")))),
                "AlarmActions", List.of(Map.of("Ref", topic)))));
        // the reporter may read the drill's tags, the sweep may list the drill's executions
        String reporterRole = TestStacks.roleIdOfFunction(tree, TestStacks.functionId(tree,
                Functions.handler(Functions.REMEDIATION_REPORTER)));
        assertThat(TestStacks.statementsOfRole(tree, reporterRole)).anyMatch(s ->
                TestStacks.strings(s.path("Action")).contains("ssm:ListTagsForResource")
                        && render(s.path("Resource")).contains(":automation-execution/*"));
    }

    @Test
    void withTheDrillOff_shouldCreateNoneOfIt() {
        JsonNode off = tree(TestStacks.guardTemplate(Map.of("fireDrill", false)));
        assertThat(resources(off, "AWS::CloudTrail::Trail")).isEmpty();
        assertThat(resources(off, "AWS::S3::Bucket")).isEmpty();
        assertThat(resources(off, "AWS::Lambda::Function")).hasSize(4);
        assertThat(render(off)).doesNotContain("ssm:ListTagsForResource").doesNotContain(Environment.DRILL_ROLE_ARN);
    }

    @Test
    void customContext_shouldReachTheScheduleAlarmAndFunctions() {
        JsonNode custom = tree(TestStacks.guardTemplate(Map.of("fireDrillSchedule", "cron(0 9 ? * MON *)",
                "fireDrillDeadlineMinutes", 8, "fireDrillTargetSeconds", 120)));
        assertThat(render(custom)).contains("cron(0 9 ? * MON *)");
        assertThat(resources(custom, "AWS::CloudWatch::Alarm").values()).anyMatch(a ->
                a.path("Properties").path("Threshold").asInt() == 480
                        && FireDrills.METRIC_CANARY_STOPPED.equals(a.path("Properties").path("MetricName").asText()));
        assertThat(resources(custom, "AWS::Lambda::Function").values()).allMatch(f -> "120".equals(f.path("Properties")
                .path("Environment").path("Variables").path(Environment.DRILL_TARGET_SECONDS).asText()));
    }
}
