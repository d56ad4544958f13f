package dev.trailguard.infra;

import static dev.trailguard.infra.OrganizationTestStacks.HUB_ACCOUNT;
import static dev.trailguard.infra.OrganizationTestStacks.HUB_REGION;
import static dev.trailguard.infra.TestStacks.event;
import static dev.trailguard.infra.TestStacks.render;
import static dev.trailguard.infra.TestStacks.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.event.ruler.Machine;

/**
 * The member stack sets' templates, as CloudFormation receives them (TemplateBody): code-free, small enough, and
 * forwarding exactly what the single-account stack reacts to.
 */
class MemberTemplateTest {

    private static final String MEMBER_ACCOUNT = "777788889999";
    private static MembersStack members;
    private static JsonNode forwarding;
    private static JsonNode roles;
    private static JsonNode single;
    private static App app;

    @BeforeAll
    static void synthesize() throws Exception {
        app = TestStacks.app(OrganizationTestStacks.context());
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()));
        members = stacks.organization().members();
        forwarding = TestStacks.JSON.readTree(members.forwardingTemplate().body());
        roles = TestStacks.JSON.readTree(members.rolesTemplate().body());
        single = TestStacks.tree(Template.fromStack(stacks.guard()));
    }

    @Test
    void members_shouldCarryNoCodeNoTopicNoAlarmNoAsset() {
        for (JsonNode template : List.of(forwarding, roles)) {
            Set<String> types = new TreeSet<>();
            template.path("Resources").forEach(r -> types.add(r.path("Type").asText()));
            // only rules, runbook documents and roles: nothing that runs, stores, notifies or costs per month
            assertThat(types).isSubsetOf("AWS::Events::Rule", "AWS::SSM::Document", "AWS::IAM::Role",
                    "AWS::IAM::Policy");
            assertThat(types).noneMatch(t -> t.startsWith("AWS::Lambda::") || t.startsWith("AWS::SNS::")
                    || t.equals("AWS::CloudWatch::Alarm") || t.equals("AWS::KMS::Key") || t.equals("AWS::CDK::Metadata"));
            // no asset parameters, bootstrap version or bucket: nothing to upload, no bootstrap in the members
            assertThat(template.has("Parameters")).isFalse();
            assertThat(template.has("Rules")).isFalse();
            assertThat(template.toString()).doesNotContain("cdk-hnb659fds", "AssetParameters", "\"S3Key\"",
                    "\"ZipFile\"", "\"Code\"");
        }
    }

    @Test
    void templateBodies_shouldStayUnderCloudFormationsInlineLimit() {
        for (MemberTemplate template : List.of(members.forwardingTemplate(), members.rolesTemplate())) {
            int bytes = template.body().getBytes(StandardCharsets.UTF_8).length;
            System.out.printf("%s TemplateBody: %,d bytes of %,d%n", template.stack().getStackName(), bytes,
                    MemberTemplate.MAX_TEMPLATE_BODY_BYTES);
            assertThat(bytes).isLessThan(MemberTemplate.MAX_TEMPLATE_BODY_BYTES);
        }
    }

    @Test
    void aTemplateOverTheLimit_isRefusedAtSynth() {
        // given a member template with more rules than fit inline
        assertThatThrownBy(() -> MemberTemplate.synthesize(members, "TooLarge", "too large", stack -> {
            for (int i = 0; i < 120; i++) {
                Rule.Builder.create(stack, "Rule" + i).description("x".repeat(500))
                        .schedule(Schedule.expression("rate(1 day)")).build();
            }
        })).hasMessageContaining("over the 51200 bytes");
    }

    @Test
    void aTemplateWithCode_isRefusedAtSynth() {
        // given a member template that would upload the functions' jar (an asset, as any code would be)
        assertThatThrownBy(() -> MemberTemplate.synthesize(members, "WithCode", "with code", stack -> {
            Rule.Builder.create(stack, "Rule").schedule(Schedule.expression("rate(1 day)")).build();
            Asset.Builder.create(stack, "Code").path(System.getProperty("trailguard.lambdaJar",
                    "../" + TrailGuardApp.DEFAULT_LAMBDA_JAR)).build();
        })).hasMessageContaining("assets");
    }

    @Test
    void theSameInput_shouldGiveTheSameBody() {
        // a different body would update every stack instance of the organization on every deployment
        App again = TestStacks.app(OrganizationTestStacks.context());
        MembersStack second = TestStacks.stacks(again, TrailGuardApp.environment(again.getNode())).organization().members();
        assertThat(second.forwardingTemplate().body()).isEqualTo(members.forwardingTemplate().body());
        assertThat(second.rolesTemplate().body()).isEqualTo(members.rolesTemplate().body());
    }

    @Test
    void forwardingRules_shouldHaveTheSingleAccountPatterns() {
        // the tamper calls and the runbook results: the very patterns of the single-account stack's rules
        assertThat(pattern("TrailGuard-ForwardTamperCalls"))
                .isEqualTo(HubStackTest.rule(single, "TamperRule").path("Properties").path("EventPattern"));
        assertThat(pattern("TrailGuard-ForwardRunbookResults"))
                .isEqualTo(HubStackTest.rule(single, "RemediationStatusRule").path("Properties").path("EventPattern"));
        // the compliance changes: the same but for the rules' names, which are the organization rules' in an account
        ObjectNode compliance = pattern("TrailGuard-ForwardComplianceChanges").deepCopy();
        ObjectNode singleCompliance = HubStackTest.rule(single, "ComplianceRule").path("Properties")
                .path("EventPattern").deepCopy();
        ((ObjectNode) compliance.path("detail")).remove("configRuleName");
        ((ObjectNode) singleCompliance.path("detail")).remove("configRuleName");
        assertThat(compliance).isEqualTo(singleCompliance);
    }

    @Test
    void forwardingRules_shouldTargetTheHubBusAsTheForwarderRole() {
        Map<String, JsonNode> rules = resources(forwarding, "AWS::Events::Rule");
        // by the names the hub's sweep checks them by
        assertThat(rules.values()).extracting(r -> r.path("Properties").path("Name").asText())
                .containsExactlyInAnyOrderElementsOf(dev.trailguard.contract.Forwarding.RULE_NAMES);
        for (JsonNode rule : rules.values()) {
            JsonNode targets = rule.path("Properties").path("Targets");
            assertThat(targets).hasSize(1);
            assertThat(render(targets.get(0).path("Arn")))
                    .isEqualTo("arn:${AWS::Partition}:events:" + HUB_REGION + ":" + HUB_ACCOUNT + ":event-bus/TrailGuardHub");
            assertThat(render(targets.get(0).path("RoleArn")))
                    .isEqualTo("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/TrailGuard-Forwarder");
            assertThat(rule.path("Properties").path("State").asText("ENABLED")).isEqualTo("ENABLED");
        }
    }

    @Test
    void runbooks_shouldBeTheSingleAccountStacksDocuments() {
        Map<String, JsonNode> documents = resources(forwarding, "AWS::SSM::Document");
        Map<String, JsonNode> singleDocuments = resources(single, "AWS::SSM::Document");
        assertThat(documents).hasSize(3);
        for (JsonNode document : documents.values()) {
            String name = document.path("Properties").path("Name").asText();
            JsonNode same = singleDocuments.values().stream()
                    .filter(d -> d.path("Properties").path("Name").asText().equals(name)).findFirst().orElseThrow();
            // the stack set's tags reach the documents through CloudFormation; the stack's are in the template
            ObjectNode expected = same.path("Properties").deepCopy();
            expected.remove("Tags");
            assertThat(document.path("Properties")).as(name).isEqualTo(expected);
        }
    }

    @Test
    void aMemberAccountsEvents_shouldReachTheirForwardingRuleOnly() throws Exception {
        // given the forwarding rules compiled by AWS Event Ruler (EventBridge's matching library)
        Machine machine = new Machine();
        for (JsonNode rule : resources(forwarding, "AWS::Events::Rule").values()) {
            machine.addRule(rule.path("Properties").path("Name").asText(),
                    TestStacks.JSON.writeValueAsString(rule.path("Properties").path("EventPattern")));
        }

        // then the samples, as a member account emits them, each match exactly their rule
        // the member sample of events/member, as it reaches the hub
        assertThat(matches(machine, event("member/stop-logging.json"))).containsExactly("TrailGuard-ForwardTamperCalls");
        for (String tamper : List.of("stop-logging", "delete-trail", "update-trail", "put-event-selectors",
                "put-insight-selectors", "stop-logging-access-denied")) {
            assertThat(matches(machine, member("cloudtrail/" + tamper + ".json", null, null))).as(tamper)
                    .containsExactly("TrailGuard-ForwardTamperCalls");
        }
        assertThat(matches(machine, member("ssm/restore-trail-failed.json", null, null)))
                .containsExactly("TrailGuard-ForwardRunbookResults");
        assertThat(matches(machine, member("config/cloudtrail-enabled-non-compliant.json", "/detail/configRuleName",
                "OrgConfigRule-trailguard-cloudtrail-enabled-x1y2z3w4"))).containsExactly("TrailGuard-ForwardComplianceChanges");
        assertThat(matches(machine, member("guard/disable-rule.json", "/detail/requestParameters/name",
                "TrailGuard-ForwardTamperCalls"))).containsExactly("TrailGuard-ForwardResourceCalls");
        assertThat(matches(machine, member("guard/remove-targets.json", "/detail/requestParameters/rule",
                "TrailGuard-ForwardTamperCalls"))).containsExactly("TrailGuard-ForwardResourceCalls");
        assertThat(matches(machine, member("guard/put-role-policy.json", "/detail/requestParameters/roleName",
                "TrailGuard-Member"))).containsExactly("TrailGuard-ForwardResourceCalls");
        assertThat(matches(machine, member("guard/stop-configuration-recorder.json", null, null)))
                .containsExactly("TrailGuard-ForwardResourceCalls");
        assertThat(matches(machine, member("guard/put-baseline-parameter.json", null, null)))
                .containsExactly("TrailGuard-ForwardResourceCalls");
        for (String delivery : List.of("disable-key", "schedule-key-deletion", "put-bucket-policy-denying-cloudtrail",
                "put-bucket-lifecycle-one-day", "stop-event-data-store-ingestion",
                "put-configuration-recorder-without-trails")) {
            assertThat(matches(machine, member("delivery/" + delivery + ".json", null, null))).as(delivery)
                    .containsExactly("TrailGuard-ForwardDeliveryCalls");
        }
        // and the near misses reach none: another team's rule, a per-account rule of the same name, another runbook
        assertThat(matches(machine, member("guard/delete-other-rule.json", null, null))).isEmpty();
        assertThat(matches(machine, member("config/cloudtrail-enabled-non-compliant.json", null, null))).isEmpty();
        assertThat(matches(machine, member("ssm/other-runbook-success.json", null, null))).isEmpty();
        assertThat(matches(machine, member("cloudtrail/start-logging.json", null, null))).isEmpty();
    }

    /** A sample event as a member account emits it, with one field changed. */
    private static String member(String sample, String pointer, String value) throws Exception {
        ObjectNode event = (ObjectNode) TestStacks.JSON.readTree(event(sample));
        event.put("account", MEMBER_ACCOUNT);
        if (pointer != null) {
            int slash = pointer.lastIndexOf('/');
            ((ObjectNode) event.at(pointer.substring(0, slash))).put(pointer.substring(slash + 1), value);
        }
        return TestStacks.JSON.writeValueAsString(event);
    }

    private static List<String> matches(Machine machine, String event) throws Exception {
        return machine.rulesForJSONEvent(event).stream().map(Object::toString).sorted().toList();
    }

    private static JsonNode pattern(String ruleName) {
        return resources(forwarding, "AWS::Events::Rule").values().stream()
                .filter(r -> r.path("Properties").path("Name").asText().equals(ruleName)).findFirst().orElseThrow()
                .path("Properties").path("EventPattern");
    }
}
