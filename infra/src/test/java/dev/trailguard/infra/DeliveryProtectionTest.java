package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.render;
import static dev.trailguard.infra.TestStacks.renderAll;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.contract.DeliveryCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Delivery sabotage (#14 items 5 and 6) in the templates: the TamperResponder may make exactly the repairs, scoped to
 * the keys and buckets the declared baselines name; the SCP denies the sabotage on the named log buckets, keys and
 * event data stores to all but deployment and break-glass roles (and lets the TamperResponder write back a declared
 * bucket policy or lifecycle).
 */
class DeliveryProtectionTest {

    static final String ACCOUNT = "111122223333";
    static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/2f8c1b6e-1d5a-4f0e-9b7a-5c3d2e1f0a9b";
    static final String BUCKET = "data-events-111122223333";
    static final String STORE = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/"
            + "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/AWSReservedSSO_AdministratorAccess_0123456789abcdef";
    static final String BREAK_GLASS = "arn:aws:iam::" + ACCOUNT + ":role/BreakGlass";
    static final String CDK_DEPLOYER = "arn:aws:iam::" + ACCOUNT + ":role/cdk-hnb659fds-cfn-exec-role-" + ACCOUNT
            + "-us-east-1";
    static final String RESPONDER = "arn:aws:iam::" + ACCOUNT + ":role/" + TrailGuardApp.GUARD_STACK_NAME
            + "-TamperResponderRoleA1B2C3D4-1A2B3C4D5E6F";

    static List<JsonNode> declared;
    static List<JsonNode> undeclared;
    static ScpEvaluator scp;

    @BeforeAll
    static void synthesize() {
        Map<String, Object> baseline = Map.of(
                "Trail", Map.of("S3BucketName", BUCKET, "KmsKeyId", KEY),
                "BucketPolicy", Map.of("Version", "2012-10-17", "Statement", List.of()),
                "BucketLifecycle", Map.of("Rules", List.of(Map.of("Status", "Enabled",
                        "Expiration", Map.of("Days", 365)))));
        declared = responderStatements(Map.of("trailBaselines", Map.of("data-events", baseline)));
        undeclared = responderStatements(Map.of());
        TrailGuardApp.Stacks stacks = TestStacks.stacks(TestStacks.app(Map.of(
                "organizationTargetIds", List.of("ou-ab12-34567890"),
                "breakGlassRoleArns", List.of("arn:aws:iam::*:role/BreakGlass"),
                "protectedLogBuckets", List.of(BUCKET),
                "protectedLogKeyArns", List.of(KEY),
                "protectedEventDataStoreArns", List.of("arn:*:cloudtrail:*:*:eventdatastore/*"))));
        JsonNode policy = resources(TestStacks.tree(Template.fromStack(stacks.guardrail())),
                "AWS::Organizations::Policy").values().iterator().next();
        scp = new ScpEvaluator(policy.path("Properties").path("Content"));
    }

    static List<JsonNode> responderStatements(Map<String, Object> context) {
        JsonNode tree = TestStacks.tree(TestStacks.guardTemplate(context));
        String function = TestStacks.functionId(tree, "dev.trailguard.handler.TamperResponder::handleRequest");
        return TestStacks.statementsOfRole(tree, TestStacks.roleIdOfFunction(tree, function));
    }

    static Optional<JsonNode> statement(List<JsonNode> statements, String sid) {
        return statements.stream().filter(s -> sid.equals(s.path("Sid").asText())).findFirst();
    }

    @Test
    void responder_shouldRepairKeysAndOnlyTheDeclaredBuckets() {
        assertThat(strings(statement(declared, "RepairTrailKeys").orElseThrow().path("Action")))
                .containsExactly("kms:CancelKeyDeletion", "kms:EnableKey");
        // only making a key usable again, on this account's keys (a trail's key is known at run time)
        assertThat(renderAll(statement(declared, "RepairTrailKeys").orElseThrow().path("Resource")))
                .containsExactly("arn:${AWS::Partition}:kms:*:111122223333:key/*");
        assertThat(strings(statement(declared, "RestoreDeclaredBucketPolicies").orElseThrow().path("Action")))
                .containsExactly("s3:PutBucketPolicy");
        assertThat(renderAll(statement(declared, "RestoreDeclaredBucketPolicies").orElseThrow().path("Resource")))
                .containsExactly("arn:${AWS::Partition}:s3:::" + BUCKET);
        assertThat(strings(statement(declared, "RestoreDeclaredBucketLifecycles").orElseThrow().path("Action")))
                .containsExactly("s3:PutLifecycleConfiguration");
    }

    @Test
    void responderWithoutDeclaredBaselines_shouldGetNoBucketWritesAndNoOtherKeyAction() {
        assertThat(undeclared).noneMatch(s -> strings(s.path("Action")).stream().anyMatch(a -> a.startsWith("s3:")));
        assertThat(undeclared.stream().flatMap(s -> strings(s.path("Action")).stream())
                .filter(a -> a.startsWith("kms:")).distinct().toList())
                .containsExactlyInAnyOrder("kms:CancelKeyDeletion", "kms:EnableKey", "kms:Decrypt",
                        "kms:GenerateDataKey*");
        // the Lake and recorder restarts and the trail lookup are there either way
        assertThat(strings(statement(undeclared, "RestartLakeIngestion").orElseThrow().path("Action")))
                .containsExactlyInAnyOrder("cloudtrail:StartEventDataStoreIngestion", "cloudtrail:RestoreEventDataStore");
        assertThat(render(statement(undeclared, "RestartLakeIngestion").orElseThrow().path("Resource")))
                .isEqualTo("arn:${AWS::Partition}:cloudtrail:*:111122223333:eventdatastore/*");
        assertThat(strings(statement(undeclared, "RestartConfigRecorder").orElseThrow().path("Action")))
                .containsExactly("config:StartConfigurationRecorder");
        // (the trail lookup is the GetTrail every remediating function has, to compare with the baseline)
        assertThat(strings(statement(undeclared, "CompareTrailsWithBaseline").orElseThrow().path("Action")))
                .contains("cloudtrail:GetTrail");
    }

    @Test
    void scp_shouldDenyTheSabotageOnTheNamedResourcesToAnAdministrator() {
        for (String action : DeliveryCalls.S3_ACTIONS) {
            assertThat(scp.denyingStatement(ADMIN, action, "arn:aws:s3:::" + BUCKET)).as(action).isNotNull();
            // another team's bucket is theirs
            assertThat(scp.allows(ADMIN, action, "arn:aws:s3:::marketing-assets")).as(action).isTrue();
        }
        for (String action : DeliveryCalls.KMS_ACTIONS) {
            assertThat(scp.denyingStatement(ADMIN, action, KEY)).as(action).isEqualTo("TrailGuardProtectTrailDelivery");
            assertThat(scp.allows(ADMIN, action, KEY.replace("2f8c1b6e", "99999999"))).as(action).isTrue();
        }
        for (String action : DeliveryCalls.LAKE_ACTIONS) {
            assertThat(scp.denyingStatement(ADMIN, action, STORE)).as(action).isEqualTo("TrailGuardProtectTrailDelivery");
        }
        assertThat(scp.denyingStatement(ADMIN, "config:PutConfigurationRecorder",
                "arn:aws:config:us-east-1:111122223333:configuration-recorder/default/abc"))
                .isEqualTo("TrailGuardProtectConfigRecorder");
        // the repairs themselves are never denied
        assertThat(scp.allows(ADMIN, "kms:CancelKeyDeletion", KEY)).isTrue();
        assertThat(scp.allows(ADMIN, "kms:EnableKey", KEY)).isTrue();
        assertThat(scp.allows(ADMIN, "cloudtrail:StartEventDataStoreIngestion", STORE)).isTrue();
    }

    @Test
    void scp_shouldLetBreakGlassAndDeploymentChangeThemAndTheResponderRestoreBucketSettings() {
        for (String action : DeliveryCalls.S3_ACTIONS) {
            assertThat(scp.allows(BREAK_GLASS, action, "arn:aws:s3:::" + BUCKET)).as(action).isTrue();
            assertThat(scp.allows(CDK_DEPLOYER, action, "arn:aws:s3:::" + BUCKET)).as(action).isTrue();
        }
        assertThat(scp.allows(BREAK_GLASS, "kms:ScheduleKeyDeletion", KEY)).isTrue();
        assertThat(scp.allows(RESPONDER, "s3:PutBucketPolicy", "arn:aws:s3:::" + BUCKET)).isTrue();
        assertThat(scp.allows(RESPONDER, "s3:PutLifecycleConfiguration", "arn:aws:s3:::" + BUCKET)).isTrue();
        // but the responder's exemption stops there
        assertThat(scp.denyingStatement(RESPONDER, "s3:DeleteBucket", "arn:aws:s3:::" + BUCKET)).isNotNull();
        assertThat(scp.denyingStatement(RESPONDER, "kms:ScheduleKeyDeletion", KEY)).isNotNull();
    }

    @Test
    void scpWithoutDeliveryContext_shouldHaveNoDeliveryStatementAndStayWithinTheLimit() {
        Map<String, Object> plain = GuardrailStack.policyContent(List.of(BREAK_GLASS), "TrailGuard",
                List.of(GuardrailStackProps.CDK_EXECUTION_ROLE_PATTERN));
        assertThat(plain.toString()).doesNotContain("TrailGuardProtectTrailDelivery");
        Map<String, Object> full = GuardrailStack.policyContent(List.of(BREAK_GLASS), "TrailGuard",
                List.of(GuardrailStackProps.CDK_EXECUTION_ROLE_PATTERN), true, new GuardrailStack.Delivery(
                        List.of(BUCKET, "org-trail-logs-*"), List.of(KEY), List.of(STORE)));
        int size = GuardrailStack.minifiedLength(full);
        System.out.printf("SCP in organization mode with delivery resources: %,d characters of %,d%n", size,
                GuardrailStack.SCP_MAX_CHARACTERS);
        assertThat(size).isLessThanOrEqualTo(GuardrailStack.SCP_MAX_CHARACTERS);
    }
}
