package dev.trailguard.infra;

import static dev.trailguard.infra.OrganizationTestStacks.HUB_ACCOUNT;
import static dev.trailguard.infra.OrganizationTestStacks.HUB_REGION;
import static dev.trailguard.infra.TestStacks.event;
import static dev.trailguard.infra.TestStacks.render;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.statementsOfRole;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.contract.DeliveryCalls;
import dev.trailguard.contract.Forwarding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;
import software.amazon.event.ruler.Machine;

/**
 * Delivery sabotage in organization mode (#14 items 5 and 6, hub variant): every member forwards it with a fifth rule,
 * {@code TrailGuard-ForwardDeliveryCalls}; the hub's DeliveryRule on its bus sends it to the TamperResponder, leaving
 * out the hub's own topic key (GuardTheGuard's, on the hub's default bus); {@code TrailGuard-Member} may make exactly
 * the repairs the single-account TamperResponder makes; the SCP lets it write back a declared bucket policy or
 * lifecycle on the protected log buckets, and nothing else there.
 */
class HubDeliveryTest {

    static final String MEMBER = "777788889999";
    /** The hub topic key's ARN, as the samples would carry it. */
    static final String HUB_TOPIC_KEY = "arn:aws:kms:" + HUB_REGION + ":" + HUB_ACCOUNT
            + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String MEMBER_ROLE = "arn:aws:iam::" + MEMBER + ":role/TrailGuard-Member";
    static final String MEMBER_ADMIN = "arn:aws:iam::" + MEMBER + ":role/AWSReservedSSO_AdministratorAccess_01234";
    static final String LOG_BUCKET = "org-trail-logs-" + MEMBER;
    static final List<String> DELIVERY_SAMPLES = List.of("delete-bucket-policy", "delete-bucket",
            "delete-event-data-store", "disable-key", "put-bucket-lifecycle-one-day",
            "put-bucket-policy-denying-cloudtrail", "put-bucket-versioning-suspended",
            "put-configuration-recorder-without-trails", "put-key-policy-without-cloudtrail", "schedule-key-deletion",
            "stop-event-data-store-ingestion", "update-event-data-store-retention-cut");

    static JsonNode forwarding;
    static JsonNode roles;
    static JsonNode hub;
    static JsonNode single;
    static Machine memberRules;
    static Machine hubBusRules;
    static Machine hubDefaultBusRules;

    @BeforeAll
    static void synthesize() throws Exception {
        App app = TestStacks.app(OrganizationTestStacks.context());
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()));
        forwarding = TestStacks.JSON.readTree(stacks.organization().members().forwardingTemplate().body());
        roles = TestStacks.JSON.readTree(stacks.organization().members().rolesTemplate().body());
        hub = TestStacks.tree(Template.fromStack(stacks.organization().hub()));
        single = TestStacks.tree(Template.fromStack(stacks.guard()));
        memberRules = new Machine();
        for (JsonNode rule : resources(forwarding, "AWS::Events::Rule").values()) {
            memberRules.addRule(rule.path("Properties").path("Name").asText(),
                    TestStacks.JSON.writeValueAsString(rule.path("Properties").path("EventPattern")));
        }
        hubBusRules = new Machine();
        hubDefaultBusRules = new Machine();
        for (Map.Entry<String, JsonNode> rule : resources(hub, "AWS::Events::Rule").entrySet()) {
            JsonNode properties = rule.getValue().path("Properties");
            if (properties.path("EventPattern").isMissingNode()) {
                continue; // schedules
            }
            String pattern = TestStacks.JSON.writeValueAsString(deployed(properties.path("EventPattern")));
            (properties.has("EventBusName") ? hubBusRules : hubDefaultBusRules).addRule(rule.getKey(), pattern);
        }
    }

    /** A pattern as CloudFormation deploys it in the hub: the topic key's ARN for its {@code Fn::GetAtt}. */
    static JsonNode deployed(JsonNode node) {
        if (node.isObject() && node.has("Fn::GetAtt")) {
            assertThat(hub.path("Resources").path(node.path("Fn::GetAtt").get(0).asText()).path("Type").asText())
                    .isEqualTo("AWS::KMS::Key");
            return TestStacks.JSON.getNodeFactory().textNode(HUB_TOPIC_KEY);
        }
        if (node.isObject() && node.has("Ref")) {
            return TestStacks.JSON.getNodeFactory().textNode("TrailGuardHub-" + node.path("Ref").asText());
        }
        if (node.isObject()) {
            ObjectNode copy = TestStacks.JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), deployed(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = TestStacks.JSON.createArrayNode();
            node.forEach(v -> copy.add(deployed(v)));
            return copy;
        }
        return node;
    }

    /** A pattern with its topic key's {@code Fn::GetAtt} (a different logical id in each stack) as one string. */
    static String withoutKey(JsonNode pattern) {
        return pattern.toString().replaceAll("\\{\"Fn::GetAtt\":\\[\"[A-Za-z0-9]+\",\"Arn\"]}", "\"TOPIC_KEY\"");
    }

    /** A sample as {@code account} emits it: every id of the samples' account is that account's. */
    static String from(String account, String sample) {
        return event(sample).replace("111122223333", account);
    }

    static List<String> matches(Machine machine, String event) throws Exception {
        return machine.rulesForJSONEvent(event).stream().map(Object::toString).sorted().toList();
    }

    static JsonNode forwardingRule(String name) {
        return resources(forwarding, "AWS::Events::Rule").values().stream()
                .filter(r -> r.path("Properties").path("Name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no forwarding rule " + name));
    }

    @Test
    void memberTemplate_shouldForwardDeliveryCallsWithTheSingleAccountPatternButEveryKey() {
        // given the fifth forwarding rule
        JsonNode rule = forwardingRule(Forwarding.DELIVERY_CALLS).path("Properties");

        // then it targets the hub bus as the forwarder role, like the other four
        assertThat(rule.path("Targets")).hasSize(1);
        assertThat(render(rule.path("Targets").get(0).path("Arn")))
                .isEqualTo("arn:${AWS::Partition}:events:" + HUB_REGION + ":" + HUB_ACCOUNT + ":event-bus/TrailGuardHub");
        assertThat(render(rule.path("Targets").get(0).path("RoleArn")))
                .isEqualTo("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/TrailGuard-Forwarder");
        // and its pattern is the single-account DeliveryRule's without the topic key's exclusion (a member has none)
        ObjectNode singlePattern = HubStackTest.rule(single, "DeliveryRule").path("Properties")
                .path("EventPattern").deepCopy();
        for (JsonNode branch : singlePattern.path("detail").path("$or")) {
            ((ObjectNode) branch).remove("resources");
        }
        assertThat(rule.path("EventPattern")).isEqualTo(singlePattern);
        assertThat(rule.path("EventPattern").toString()).doesNotContain("anything-but");
        for (List<String> calls : List.of(DeliveryCalls.S3, DeliveryCalls.KMS, DeliveryCalls.LAKE)) {
            assertThat(rule.path("EventPattern").toString()).contains(calls);
        }
    }

    @Test
    void hub_shouldHaveTheDeliveryRuleOnItsBus_toTheTamperResponder_withoutItsOwnTopicKey() {
        JsonNode rule = HubStackTest.rule(hub, "RoutingDeliveryRule").path("Properties");
        assertThat(rule.path("EventBusName").path("Ref").asText()).startsWith("Bus");
        // the single-account stack's pattern (each with its own topic key), the hub's topic key left out
        assertThat(withoutKey(rule.path("EventPattern"))).isEqualTo(withoutKey(HubStackTest.rule(single,
                "DeliveryRule").path("Properties").path("EventPattern")));
        assertThat(render(deployed(rule.path("EventPattern")).path("detail").path("$or").get(1).path("resources")
                .path("ARN").get(0).path("anything-but").get(0))).isEqualTo(HUB_TOPIC_KEY);
        // to the TamperResponder's alias, with the dead-letter queue
        JsonNode target = rule.path("Targets").get(0);
        assertThat(target.path("Arn").path("Ref").asText()).startsWith("TamperResponderFunctionTamperResponderAlias");
        assertThat(target.path("DeadLetterConfig").path("Arn").path("Fn::GetAtt").get(0).asText())
                .startsWith("RoutingEventDeliveryDlq");
    }

    @Test
    void aMembersDeliverySabotage_shouldBeForwardedAndReachTheHubsDeliveryRuleOnly() throws Exception {
        for (String sample : DELIVERY_SAMPLES) {
            String event = from(MEMBER, "delivery/" + sample + ".json");
            // the member forwards it with the fifth rule only
            assertThat(matches(memberRules, event)).as(sample).containsExactly(Forwarding.DELIVERY_CALLS);
            // and on the hub bus it reaches the delivery rule only (the TamperResponder, once)
            assertThat(matches(hubBusRules, event)).as(sample).singleElement()
                    .satisfies(id -> assertThat(id).startsWith("RoutingDeliveryRule"));
        }
        // a stopped recorder comes through the resource calls, once (the delivery response takes it in the function)
        String stop = from(MEMBER, "guard/stop-configuration-recorder.json");
        assertThat(matches(memberRules, stop)).containsExactly(Forwarding.RESOURCE_CALLS);
        assertThat(matches(hubBusRules, stop)).singleElement()
                .satisfies(id -> assertThat(id).startsWith("RoutingMemberResourceCallsRule"));
    }

    @Test
    void theHubsOwnTopicKey_shouldBeGuardTheGuardsAlone_notTheDeliveryRules() throws Exception {
        // given DisableKey on the hub's topic key, in the hub account (which forwards like any member)
        ObjectNode event = (ObjectNode) TestStacks.JSON.readTree(from(HUB_ACCOUNT, "guard/disable-topic-key.json"));
        event.put("region", HUB_REGION);
        ((ObjectNode) event.path("detail").path("resources").get(0)).put("ARN", HUB_TOPIC_KEY);
        String json = TestStacks.JSON.writeValueAsString(event);

        // then its own member rule forwards it, the hub bus ignores it, and the guard rule on the default bus has it
        assertThat(matches(memberRules, json)).containsExactly(Forwarding.DELIVERY_CALLS);
        assertThat(matches(hubBusRules, json)).isEmpty();
        assertThat(matches(hubDefaultBusRules, json)).anySatisfy(id -> assertThat(id)
                .startsWith("GuardTheGuardGuardKmsRule"));
        // while another key of the hub account is a possible trail key, for the delivery rule
        ((ObjectNode) event.path("detail").path("resources").get(0)).put("ARN",
                HUB_TOPIC_KEY.replace("1234abcd", "99999999"));
        assertThat(matches(hubBusRules, TestStacks.JSON.writeValueAsString(event))).singleElement()
                .satisfies(id -> assertThat(id).startsWith("RoutingDeliveryRule"));
    }

    @Test
    void memberRole_shouldGetTheSingleAccountRespondersDeliveryRepairs_onThisAccountOnly() {
        List<JsonNode> statements = statementsOfRole(roles, MemberRolesTest.role(roles, "TrailGuard-Member"));
        assertThat(MemberRolesTest.resourcesOf(statements, "kms:CancelKeyDeletion"))
                .containsExactly("arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*");
        assertThat(MemberRolesTest.resourcesOf(statements, "kms:EnableKey"))
                .containsExactly("arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*");
        assertThat(MemberRolesTest.resourcesOf(statements, "cloudtrail:StartEventDataStoreIngestion"))
                .containsExactly("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:eventdatastore/*");
        assertThat(MemberRolesTest.resourcesOf(statements, "cloudtrail:RestoreEventDataStore"))
                .containsExactly("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:eventdatastore/*");
        assertThat(MemberRolesTest.resourcesOf(statements, "config:StartConfigurationRecorder")).containsExactly("*");
        // without protected log buckets, no bucket write at all (the declared settings are reported only)
        assertThat(MemberRolesTest.actions(statements)).noneMatch(a -> a.startsWith("s3:"));
        // and never what only breaks delivery
        assertThat(MemberRolesTest.actions(statements)).doesNotContainAnyElementsOf(DeliveryCalls.KMS_ACTIONS)
                .doesNotContainAnyElementsOf(DeliveryCalls.LAKE_ACTIONS)
                .doesNotContain("s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning");
    }

    @Test
    void memberRoleWithProtectedLogBuckets_shouldWriteDeclaredSettingsToThoseBucketsOnly() throws Exception {
        // given the guardrail's protected log buckets in the same context (a pattern among them: cdk-nag acknowledged)
        Map<String, Object> context = new HashMap<>(OrganizationTestStacks.context());
        context.put("protectedLogBuckets", List.of("org-trail-logs-*", "audit-archive"));
        App app = TestStacks.app(context);
        JsonNode withBuckets = TestStacks.JSON.readTree(TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()))
                .organization().members().rolesTemplate().body());
        List<JsonNode> statements = statementsOfRole(withBuckets,
                MemberRolesTest.role(withBuckets, "TrailGuard-Member"));

        // then
        for (String action : GuardrailStack.DELIVERY_RESTORING_ACTIONS) {
            assertThat(MemberRolesTest.resourcesOf(statements, action)).as(action).containsExactlyInAnyOrder(
                    "arn:${AWS::Partition}:s3:::org-trail-logs-*", "arn:${AWS::Partition}:s3:::audit-archive");
        }
        assertThat(MemberRolesTest.actions(statements).stream().filter(a -> a.startsWith("s3:")).toList())
                .containsExactlyInAnyOrderElementsOf(GuardrailStack.DELIVERY_RESTORING_ACTIONS);
    }

    @Test
    void hubsOwnAccount_withProtectedLogBuckets_shouldLetTheHubsResponderWriteDeclaredSettingsBack() throws Exception {
        // given the hub synthesized with the guardrail's protected log buckets
        Map<String, Object> context = new HashMap<>(OrganizationTestStacks.context());
        context.put("protectedLogBuckets", List.of("org-trail-logs-*", "audit-archive"));
        App app = TestStacks.app(context);
        JsonNode hub = TestStacks.tree(software.amazon.awscdk.assertions.Template.fromStack(
                TestStacks.stacks(app, TrailGuardApp.environment(app.getNode())).organization().hub()));

        // then the hub's TamperResponder, which repairs the hub account's own trails, may write to those buckets only
        List<JsonNode> responder = statementsOfRole(hub, TestStacks.roleIdOfFunction(hub, TestStacks.functionId(hub,
                dev.trailguard.contract.Functions.handler(dev.trailguard.contract.Functions.TAMPER_RESPONDER))));
        for (String action : GuardrailStack.DELIVERY_RESTORING_ACTIONS) {
            assertThat(MemberRolesTest.resourcesOf(responder, action)).as(action).containsExactlyInAnyOrder(
                    "arn:${AWS::Partition}:s3:::org-trail-logs-*", "arn:${AWS::Partition}:s3:::audit-archive");
        }
        // and no other hub function may
        for (String function : List.of(dev.trailguard.contract.Functions.COMPLIANCE_RESPONDER,
                dev.trailguard.contract.Functions.TRAIL_SWEEPER)) {
            List<JsonNode> other = statementsOfRole(hub, TestStacks.roleIdOfFunction(hub, TestStacks.functionId(hub,
                    dev.trailguard.contract.Functions.handler(function))));
            assertThat(MemberRolesTest.actions(other)).as(function).doesNotContain("s3:PutBucketPolicy");
        }

        // and the SCP in organization mode lets it (the hub account is in a guarded OU), not an administrator
        ScpEvaluator scp = new ScpEvaluator(TestStacks.JSON.valueToTree(GuardrailStack.policyContent(
                List.of("arn:aws:iam::*:role/BreakGlass"), "TrailGuard",
                List.of(GuardrailStackProps.CDK_EXECUTION_ROLE_PATTERN), true, new GuardrailStack.Delivery(
                        List.of("org-trail-logs-*"), List.of(), List.of()))));
        String hubResponder = "arn:aws:iam::" + OrganizationTestStacks.HUB_ACCOUNT
                + ":role/TrailGuardHub-TamperResponder";
        String bucket = "arn:aws:s3:::" + LOG_BUCKET;
        for (String action : GuardrailStack.DELIVERY_RESTORING_ACTIONS) {
            assertThat(scp.allows(hubResponder, action, bucket)).as(action).isTrue();
            assertThat(scp.denyingStatement(hubResponder.replace("TamperResponder", "TrailSweeper"), action, bucket))
                    .as(action).isEqualTo("TrailGuardProtectTrailBucketSettings");
        }
        assertThat(scp.denyingStatement(hubResponder, "s3:DeleteBucketPolicy", bucket))
                .isEqualTo("TrailGuardProtectTrailDelivery");
    }

    @Test
    void scpInOrganizationMode_shouldLetTheMemberRoleRestoreBucketSettings_andNothingElse() {
        // given the guardrail in organization mode with delivery resources
        Map<String, Object> content = GuardrailStack.policyContent(List.of("arn:aws:iam::*:role/BreakGlass"),
                "TrailGuard", List.of(GuardrailStackProps.CDK_EXECUTION_ROLE_PATTERN), true, new GuardrailStack.Delivery(
                        List.of("org-trail-logs-*"), List.of(DeliveryProtectionTest.KEY),
                        List.of("arn:*:cloudtrail:*:*:eventdatastore/*")));
        ScpEvaluator scp = new ScpEvaluator(TestStacks.JSON.valueToTree(content));
        String bucket = "arn:aws:s3:::" + LOG_BUCKET;

        // then the member role may write a declared policy or lifecycle back to a protected bucket
        for (String action : GuardrailStack.DELIVERY_RESTORING_ACTIONS) {
            assertThat(scp.allows(MEMBER_ROLE, action, bucket)).as(action).isTrue();
            // a member administrator may not
            assertThat(scp.denyingStatement(MEMBER_ADMIN, action, bucket)).as(action)
                    .isEqualTo("TrailGuardProtectTrailBucketSettings");
        }
        // its repairs are never denied
        assertThat(scp.allows(MEMBER_ROLE, "kms:CancelKeyDeletion", DeliveryProtectionTest.KEY)).isTrue();
        assertThat(scp.allows(MEMBER_ROLE, "kms:EnableKey", DeliveryProtectionTest.KEY)).isTrue();
        assertThat(scp.allows(MEMBER_ROLE, "cloudtrail:StartEventDataStoreIngestion",
                DeliveryProtectionTest.STORE)).isTrue();
        // and the exemption stops at the restoring actions: the sabotage stays denied to it
        for (String action : List.of("s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning")) {
            assertThat(scp.denyingStatement(MEMBER_ROLE, action, bucket)).as(action)
                    .isEqualTo("TrailGuardProtectTrailDelivery");
        }
        for (String action : DeliveryCalls.KMS_ACTIONS) {
            assertThat(scp.denyingStatement(MEMBER_ROLE, action, DeliveryProtectionTest.KEY)).as(action)
                    .isEqualTo("TrailGuardProtectTrailDelivery");
        }
        for (String action : DeliveryCalls.LAKE_ACTIONS) {
            assertThat(scp.denyingStatement(MEMBER_ROLE, action, DeliveryProtectionTest.STORE)).as(action)
                    .isEqualTo("TrailGuardProtectTrailDelivery");
        }
        assertThat(scp.denyingStatement(MEMBER_ROLE, "config:PutConfigurationRecorder", "*"))
                .isEqualTo("TrailGuardProtectConfigRecorder");

        // and single-account mode exempts no member role
        ScpEvaluator singleAccount = new ScpEvaluator(TestStacks.JSON.valueToTree(GuardrailStack.policyContent(
                List.of("arn:aws:iam::*:role/BreakGlass"), "TrailGuard",
                List.of(GuardrailStackProps.CDK_EXECUTION_ROLE_PATTERN), false, new GuardrailStack.Delivery(
                        List.of("org-trail-logs-*"), List.of(), List.of()))));
        assertThat(singleAccount.denyingStatement(MEMBER_ROLE, "s3:PutBucketPolicy", bucket))
                .isEqualTo("TrailGuardProtectTrailBucketSettings");

        // within AWS's limit, in at most two parts
        List<Map<String, Object>> parts = GuardrailStack.policyParts(content);
        System.out.printf("SCP in organization mode with delivery resources and the member role's exemption: %,d "
                + "characters, parts %s of at most %,d%n", GuardrailStack.minifiedLength(content),
                parts.stream().map(GuardrailStack::minifiedLength).toList(), GuardrailStack.SCP_MAX_CHARACTERS);
        assertThat(parts).hasSizeLessThanOrEqualTo(GuardrailStack.MAX_PARTS).allSatisfy(part -> assertThat(
                GuardrailStack.minifiedLength(part)).isLessThanOrEqualTo(GuardrailStack.SCP_MAX_CHARACTERS));
    }

    @Test
    void hubDeliveryRule_shouldHaveItsDeadLetterAlarmOnTheHubBus() {
        String ruleId = resources(hub, "AWS::Events::Rule").keySet().stream()
                .filter(id -> id.startsWith("RoutingDeliveryRule")).findFirst().orElseThrow();
        List<JsonNode> alarms = resources(hub, "AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> a.path("Properties").path("MetricName").asText().equals("InvocationsFailedToBeSentToDlq"))
                .filter(a -> a.path("Properties").path("Dimensions").toString().contains("\"" + ruleId + "\""))
                .toList();
        // measured on the hub bus, else it would never fire
        assertThat(alarms).singleElement().satisfies(a -> assertThat(a.path("Properties").path("Dimensions")
                .toString()).contains("\"EventBusName\""));
    }
}
