package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.event;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.event.ruler.Machine;

/**
 * Proves the synthesized EventPatterns with AWS Event Ruler (the matching library behind
 * EventBridge) against the sample events in events/: each one reaches exactly the rule it should.
 */
class EventPatternTest {

    private static final String TAMPER = "tamper";
    private static final String COMPLIANCE = "compliance";
    private static final String REMEDIATION = "remediation";
    private static final String BACKSTOP = "backstop";
    /** Logical id prefix of each rule with a pattern -> the name the tests use. */
    private static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("TamperRule", TAMPER), Map.entry("ComplianceRule", COMPLIANCE),
            Map.entry("RemediationStatusRule", REMEDIATION),
            Map.entry("GuardEventBridgeRule", "guard-events"), Map.entry("GuardLambdaRule", "guard-lambda"),
            Map.entry("GuardIamRule", "guard-iam"), Map.entry("GuardSnsRule", "guard-sns"),
            Map.entry("GuardKmsRule", "guard-kms"), Map.entry("GuardConfigRule", "guard-config"),
            Map.entry("GuardSsmRule", "guard-ssm"), Map.entry("GuardBackstopRule", BACKSTOP),
            Map.entry("GuardRuleWatchRule", "rule-watch"), Map.entry("GuardBackstopWatchRule", "backstop-watch"),
            Map.entry("GuardNotificationPathRule", "notification-path"),
            Map.entry("DeliveryRule", "delivery"));
    /** How CloudFormation names a rule: stack name, logical id, a random suffix (the samples use this one). */
    private static final String NAME_SUFFIX = "-1Q2W3E4R5T6Y";
    /** The topic key's ARN in the samples. */
    private static final String TOPIC_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static Machine machine;

    @BeforeAll
    static void compileTheTemplatesPatterns() throws Exception {
        JsonNode tree = tree(TestStacks.guardTemplate(Map.of()));
        machine = new Machine();
        int patterns = 0;
        for (Map.Entry<String, JsonNode> rule : resources(tree, "AWS::Events::Rule").entrySet()) {
            JsonNode pattern = rule.getValue().path("Properties").path("EventPattern");
            if (pattern.isMissingNode()) {
                continue; // schedules
            }
            machine.addRule(nameOf(rule.getKey()), TestStacks.JSON.writeValueAsString(deployed(tree, pattern)));
            patterns++;
        }
        assertThat(patterns).isEqualTo(RULES.size());
    }

    /**
     * The pattern as CloudFormation deploys it: a rule's name ({@code Ref}) as CloudFormation generates it, the topic
     * key's ARN ({@code Fn::GetAtt}) as in the samples.
     */
    private static JsonNode deployed(JsonNode tree, JsonNode node) {
        if (node.isObject() && node.has("Ref")) {
            return TestStacks.JSON.getNodeFactory().textNode(TrailGuardApp.GUARD_STACK_NAME + "-"
                    + node.path("Ref").asText() + NAME_SUFFIX);
        }
        if (node.isObject() && node.has("Fn::GetAtt")) {
            assertThat(tree.path("Resources").path(node.path("Fn::GetAtt").get(0).asText()).path("Type").asText())
                    .isEqualTo("AWS::KMS::Key");
            return TestStacks.JSON.getNodeFactory().textNode(TOPIC_KEY);
        }
        if (node.isObject()) {
            ObjectNode copy = TestStacks.JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), deployed(tree, e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = TestStacks.JSON.createArrayNode();
            node.forEach(v -> copy.add(deployed(tree, v)));
            return copy;
        }
        return node;
    }

    private static String nameOf(String logicalId) {
        return RULES.entrySet().stream().filter(e -> logicalId.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("unexpected rule with a pattern: " + logicalId));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "cloudtrail/stop-logging.json, tamper",
            "cloudtrail/stop-logging-assumed-role-arn.json, tamper",
            "cloudtrail/stop-logging-console.json, tamper",
            "cloudtrail/stop-logging-access-denied.json, tamper",
            "cloudtrail/stop-logging-organization-trail.json, tamper",
            "cloudtrail/delete-trail.json, tamper",
            "cloudtrail/update-trail.json, tamper",
            "cloudtrail/put-event-selectors.json, tamper",
            "cloudtrail/put-insight-selectors.json, tamper",
            // no guarded trails: every name is guarded, so every CreateTrail (a look-alike, or a new trail)
            "cloudtrail/create-trail-look-alike.json, tamper",
            // TrailGuard's own calls still arrive; the function's loop guard drops them.
            "cloudtrail/update-trail-by-trailguard.json, tamper",
            "config/cloudtrail-enabled-non-compliant.json, compliance",
            // COMPLIANT goes to the responder too, which sends the "resolved" note.
            "config/cloudtrail-enabled-compliant.json, compliance",
            "ssm/automation-success.json, remediation",
            "ssm/automation-failed.json, remediation",
            "ssm/automation-timed-out.json, remediation",
    })
    void sampleEvent_shouldMatchExactlyItsRule(String sample, String rule) throws Exception {
        // given a sample event as AWS sends it
        String json = event(sample);

        // when EventBridge's matcher evaluates every rule of the stack
        List<String> matched = machine.rulesForJSONEvent(json);

        // then only the expected rule fires
        assertThat(matched).containsExactly(rule);
    }

    @ParameterizedTest(name = "{0} -> delivery")
    @CsvSource({
            "delivery/put-bucket-policy-denying-cloudtrail.json",
            "delivery/delete-bucket-policy.json",
            "delivery/put-bucket-lifecycle-one-day.json",
            "delivery/delete-bucket.json",
            "delivery/put-bucket-versioning-suspended.json",
            "delivery/disable-key.json",
            "delivery/schedule-key-deletion.json",
            "delivery/put-key-policy-without-cloudtrail.json",
            "delivery/stop-event-data-store-ingestion.json",
            "delivery/delete-event-data-store.json",
            "delivery/update-event-data-store-retention-cut.json",
            "delivery/put-configuration-recorder-without-trails.json",
    })
    void deliverySample_shouldMatchOnlyTheDeliveryRule(String sample) throws Exception {
        assertThat(machine.rulesForJSONEvent(event(sample))).containsExactly("delivery");
    }

    @Test
    void stopConfigurationRecorder_shouldArriveOnceThroughTheGuardRuleNotTwice() throws Exception {
        // the delivery response handles it, but the guard rule already forwards it: a second rule would restart twice
        assertThat(machine.rulesForJSONEvent(event("guard/stop-configuration-recorder.json")))
                .doesNotContain("delivery");
    }

    @ParameterizedTest(name = "{0} as {1}/{2} matches nothing")
    @CsvSource({
            // read calls on the same resources
            "delivery/put-bucket-policy-denying-cloudtrail.json, s3.amazonaws.com, GetBucketPolicy",
            "delivery/disable-key.json, kms.amazonaws.com, DescribeKey",
            "delivery/stop-event-data-store-ingestion.json, cloudtrail.amazonaws.com, GetEventDataStore",
            "delivery/put-configuration-recorder-without-trails.json, config.amazonaws.com, "
                    + "DescribeConfigurationRecorders",
            // the same call recorded for another service
            "delivery/disable-key.json, kms-xks.amazonaws.com, DisableKey",
            "delivery/delete-bucket.json, s3-outposts.amazonaws.com, DeleteBucket",
    })
    void deliveryNearMiss_shouldMatchNoRule(String sample, String eventSource, String eventName) throws Exception {
        ObjectNode event = read(sample);
        detail(event).put("eventSource", eventSource).put("eventName", eventName);
        assertThat(machine.rulesForJSONEvent(write(event))).isEmpty();
    }

    @ParameterizedTest(name = "{0} matches nothing")
    @CsvSource({
            "cloudtrail/start-logging.json",
            "config/other-rule-non-compliant.json",
            "ssm/other-runbook-success.json",
            "scheduled/sweep.json",
            "scheduled/keepalive-ping.json",
    })
    void nearMiss_shouldMatchNoRule(String sample) throws Exception {
        assertThat(machine.rulesForJSONEvent(event(sample))).isEmpty();
    }

    @Test
    void stopLoggingFromAnotherEventSource_shouldMatchNoRule() throws Exception {
        // given a StopLogging whose eventSource is not CloudTrail
        ObjectNode stop = (ObjectNode) TestStacks.JSON.readTree(event("cloudtrail/stop-logging.json"));
        ((ObjectNode) stop.path("detail")).put("eventSource", "cloudtrail-data.amazonaws.com");

        // when / then
        assertThat(machine.rulesForJSONEvent(TestStacks.JSON.writeValueAsString(stop))).isEmpty();
    }

    /** The tamper rule of a stack guarding two trails, one by name and one by ARN. */
    static Machine guardedTamperRule() throws Exception {
        JsonNode tree = tree(TestStacks.guardTemplate(Map.of("guardedTrails", List.of("management-events",
                "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-security"))));
        Machine guarded = new Machine();
        for (Map.Entry<String, JsonNode> rule : resources(tree, "AWS::Events::Rule").entrySet()) {
            if (rule.getKey().startsWith("TamperRule")) {
                guarded.addRule(TAMPER, TestStacks.JSON.writeValueAsString(rule.getValue().path("Properties")
                        .path("EventPattern")));
            }
        }
        return guarded;
    }

    @Test
    void createTrailOnAGuardedName_shouldReachTheTamperRuleAndOnOtherNamesNot() throws Exception {
        // given the tamper rule of a stack with guarded trails
        Machine guarded = guardedTamperRule();
        ObjectNode create = read("cloudtrail/create-trail-look-alike.json");

        // then: a look-alike of a guarded trail (by name, or by the name in a guarded ARN) reaches the responder
        assertThat(guarded.rulesForJSONEvent(write(create))).containsExactly(TAMPER);
        ((ObjectNode) detail(create).path("requestParameters")).put("name", "eu-security");
        assertThat(guarded.rulesForJSONEvent(write(create))).containsExactly(TAMPER);
        // another name is nobody's business
        ((ObjectNode) detail(create).path("requestParameters")).put("name", "team-sandbox-trail");
        assertThat(guarded.rulesForJSONEvent(write(create))).isEmpty();
        // and the tamper calls still reach it whatever the trail
        assertThat(guarded.rulesForJSONEvent(event("cloudtrail/stop-logging.json"))).containsExactly(TAMPER);
        ObjectNode update = read("cloudtrail/update-trail.json");
        ((ObjectNode) detail(update).path("requestParameters")).put("name", "team-sandbox-trail");
        assertThat(guarded.rulesForJSONEvent(write(update))).containsExactly(TAMPER);
    }

    @Test
    void nonTerminalAutomationStatus_shouldMatchNoRule() throws Exception {
        for (String status : List.of("InProgress", "Pending", "Waiting", "Cancelling")) {
            ObjectNode running = (ObjectNode) TestStacks.JSON.readTree(event("ssm/automation-success.json"));
            ((ObjectNode) running.path("detail")).put("Status", status);
            assertThat(machine.rulesForJSONEvent(TestStacks.JSON.writeValueAsString(running))).as(status).isEmpty();
        }
    }

    @Test
    void everyTerminalAutomationStatus_shouldReachTheReporter() throws Exception {
        for (String status : GuardStack.TERMINAL_AUTOMATION_STATUSES) {
            ObjectNode done = (ObjectNode) TestStacks.JSON.readTree(event("ssm/automation-success.json"));
            ((ObjectNode) done.path("detail")).put("Status", status);
            assertThat(machine.rulesForJSONEvent(TestStacks.JSON.writeValueAsString(done))).as(status)
                    .containsExactly(REMEDIATION);
        }
    }

    @Test
    void undecidedComplianceTypes_shouldMatchNoRule() throws Exception {
        for (String type : Set.of("NOT_APPLICABLE", "INSUFFICIENT_DATA")) {
            ObjectNode change = (ObjectNode) TestStacks.JSON.readTree(event("config/cloudtrail-enabled-non-compliant.json"));
            ((ObjectNode) change.path("detail").path("newEvaluationResult")).put("complianceType", type);
            assertThat(machine.rulesForJSONEvent(TestStacks.JSON.writeValueAsString(change))).as(type).isEmpty();
        }
    }

    @Test
    void multiRegionRuleChange_shouldReachTheComplianceResponder() throws Exception {
        ObjectNode change = (ObjectNode) TestStacks.JSON.readTree(event("config/cloudtrail-enabled-non-compliant.json"));
        ((ObjectNode) change.path("detail")).put("configRuleName", GuardStack.RULE_MULTI_REGION);
        assertThat(machine.rulesForJSONEvent(TestStacks.JSON.writeValueAsString(change))).containsExactly(COMPLIANCE);
    }

    // --- guard the guard --------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "guard/disable-rule.json, guard-events|backstop",
            // a blocked attempt is reported too
            "guard/disable-rule-access-denied.json, guard-events|backstop",
            "guard/remove-targets.json, guard-events|backstop",
            "guard/delete-function.json, guard-lambda|backstop",
            // functionName as a full ARN
            "guard/put-function-concurrency-zero.json, guard-lambda|backstop",
            // the deployment's own update still arrives: the function reports it as AUTHORIZED_CHANGE
            "guard/update-function-code-by-deployment.json, guard-lambda",
            // a policy written on the function's role can blind the function: the backstop hears it directly
            "guard/put-role-policy.json, guard-iam|backstop",
            "guard/attach-role-policy-deny-all.json, guard-iam|backstop",
            // the notification path: to the function and, without the topic or its key, to the second channel
            "guard/unsubscribe.json, guard-sns|notification-path",
            "guard/set-subscription-filter-policy.json, guard-sns|notification-path",
            "guard/put-data-protection-policy.json, guard-sns|notification-path",
            // DisableKey names the key by id, ScheduleKeyDeletion by ARN: CloudTrail's resources[] has the ARN in both
            "guard/disable-topic-key.json, guard-kms|notification-path",
            "guard/schedule-topic-key-deletion.json, guard-kms|notification-path",
            // PutRule and PutTargets reach the backstop too (a DISABLED state or a constant input is as silent)
            "guard/put-targets-constant-input.json, guard-events|backstop",
            // the EventBridge guard rule cannot see its own change: the rule watch takes it to the function
            "guard/put-rule-disabled.json, guard-events|backstop|rule-watch",
            // the backstop cannot see its own change: the backstop watch takes it to the second channel
            "guard/put-rule-on-backstop.json, guard-events|backstop|backstop-watch",
            "guard/stop-configuration-recorder.json, guard-config",
            "guard/delete-config-rule.json, guard-config",
            "guard/put-baseline-parameter.json, guard-ssm",
    })
    void guardSample_shouldMatchItsGuardRuleAndForTheWorstCallsTheBackstop(String sample, String rules) throws Exception {
        // given a call that tampers with TrailGuard itself, as AWS sends it
        String json = event(sample);

        // when EventBridge's matcher evaluates every rule of the stack
        List<String> matched = machine.rulesForJSONEvent(json);

        // then exactly the service's guard rule fires (and the direct-to-SNS backstop for the calls it covers)
        assertThat(matched).containsExactlyInAnyOrder(rules.split("\\|"));
    }

    @ParameterizedTest(name = "{0} from {1} matches nothing")
    @CsvSource({
            "guard/disable-rule.json, scheduler.amazonaws.com",
            "guard/delete-function.json, lambda-edge.amazonaws.com",
            "guard/put-role-policy.json, sso.amazonaws.com",
            "guard/unsubscribe.json, sqs.amazonaws.com",
            "guard/stop-configuration-recorder.json, securityhub.amazonaws.com",
            "guard/put-baseline-parameter.json, secretsmanager.amazonaws.com",
    })
    void sameCallFromAnotherService_shouldMatchNoRule(String sample, String eventSource) throws Exception {
        // given a guard sample whose call is recorded for another service
        ObjectNode event = read(sample);
        detail(event).put("eventSource", eventSource);

        // when / then
        assertThat(machine.rulesForJSONEvent(write(event))).isEmpty();
    }

    @ParameterizedTest(name = "{0} on {2} matches nothing")
    @CsvSource({
            "guard/delete-other-rule.json, name, nightly-report",
            "guard/remove-targets.json, rule, nightly-report",
            "guard/delete-function.json, functionName, payroll-api",
            "guard/put-function-concurrency-zero.json, functionName, arn:aws:lambda:us-east-1:111122223333:function:payroll-api",
            // a name that merely contains the prefix after the function: part of an ARN
            "guard/delete-function.json, functionName, arn:aws:lambda:us-east-1:111122223333:function:payroll-TrailGuard",
            "guard/put-role-policy.json, roleName, AppRole",
            "guard/unsubscribe.json, subscriptionArn, arn:aws:sns:us-east-1:111122223333:alerts:5c2f6e8a-1b3d-4f5a-9c7e-2d4b6f8a0c1e",
            "guard/delete-config-rule.json, configRuleName, s3-bucket-versioning-enabled",
            "guard/put-baseline-parameter.json, name, /app/database/url",
    })
    void sameCallOnSomeoneElsesResource_shouldMatchNoRule(String sample, String field, String value) throws Exception {
        // given a guard sample on a resource that is not TrailGuard's
        ObjectNode event = read(sample);
        ((ObjectNode) detail(event).path("requestParameters")).put(field, value);

        // when / then
        assertThat(machine.rulesForJSONEvent(write(event))).isEmpty();
    }

    @ParameterizedTest(name = "{1} on {0} matches nothing")
    @CsvSource({
            "guard/disable-rule.json, DescribeRule",
            "guard/remove-targets.json, ListTargetsByRule",
            "guard/delete-function.json, GetFunction20150331v2",
            "guard/put-function-concurrency-zero.json, GetFunctionConcurrency20190930",
            "guard/put-role-policy.json, GetRolePolicy",
            "guard/unsubscribe.json, GetSubscriptionAttributes",
            "guard/stop-configuration-recorder.json, DescribeConfigurationRecorderStatus",
            "guard/delete-config-rule.json, DescribeConfigRules",
            "guard/put-baseline-parameter.json, GetParameter",
    })
    void readOnlyCallOnTrailGuardsResource_shouldMatchNoRule(String sample, String readCall) throws Exception {
        // given a read of TrailGuard's resource
        ObjectNode event = read(sample);
        detail(event).put("eventName", readCall);
        detail(event).put("readOnly", true);

        // when / then
        assertThat(machine.rulesForJSONEvent(write(event))).isEmpty();
    }

    @Test
    void runbookChange_shouldReachTheSsmGuardRule() throws Exception {
        for (String call : List.of("DeleteDocument", "UpdateDocument", "UpdateDocumentDefaultVersion")) {
            // given a change to one of TrailGuard's documents
            ObjectNode event = read("guard/put-baseline-parameter.json");
            detail(event).put("eventName", call);
            ((ObjectNode) detail(event).path("requestParameters")).put("name", GuardStack.RESTORE_RUNBOOK);

            // then the SSM guard rule fires; someone else's document does not
            assertThat(machine.rulesForJSONEvent(write(event))).as(call).containsExactly("guard-ssm");
            ((ObjectNode) detail(event).path("requestParameters")).put("name", "AWS-ConfigureCloudTrailLogging");
            assertThat(machine.rulesForJSONEvent(write(event))).as(call).isEmpty();
        }
    }

    @Test
    void deleteParametersNamingOneBaseline_shouldReachTheSsmGuardRule() throws Exception {
        // given a batch delete whose list contains a declared baseline among other parameters
        ObjectNode event = read("guard/put-baseline-parameter.json");
        detail(event).put("eventName", "DeleteParameters");
        ObjectNode parameters = detail(event).putObject("requestParameters");
        parameters.putArray("names").add("/app/one").add("/trailguard/baseline/management-events");

        // then
        assertThat(machine.rulesForJSONEvent(write(event))).containsExactly("guard-ssm");
        parameters.putArray("names").add("/app/one").add("/app/two");
        assertThat(machine.rulesForJSONEvent(write(event))).isEmpty();
    }

    @Test
    void putConfigRuleRedefiningTrailGuardsRule_shouldReachTheConfigGuardRule() throws Exception {
        // given PutConfigRule, whose rule name sits inside the configRule object
        ObjectNode event = read("guard/delete-config-rule.json");
        detail(event).put("eventName", "PutConfigRule");
        ObjectNode parameters = detail(event).putObject("requestParameters");
        parameters.putObject("configRule").put("configRuleName", GuardStack.RULE_CLOUDTRAIL_ENABLED);

        // then
        assertThat(machine.rulesForJSONEvent(write(event))).containsExactly("guard-config");
        ((ObjectNode) parameters.path("configRule")).put("configRuleName", "s3-bucket-versioning-enabled");
        assertThat(machine.rulesForJSONEvent(write(event))).isEmpty();
    }

    @Test
    void deleteRoleOfTrailGuard_shouldAlsoReachTheBackstop() throws Exception {
        ObjectNode event = read("guard/put-role-policy.json");
        detail(event).put("eventName", "DeleteRole");
        assertThat(machine.rulesForJSONEvent(write(event))).containsExactlyInAnyOrder("guard-iam", BACKSTOP);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DisableRule", "DeleteRule", "PutRule"})
    void everyCallThatCanDisableAWatchRule_shouldReachTheOtherWatchers(String call) throws Exception {
        // given the call on each of the two watch rules
        for (String watch : List.of("GuardRuleWatchRule", "GuardBackstopWatchRule")) {
            String logicalId = resources(tree(TestStacks.guardTemplate(Map.of())), "AWS::Events::Rule").keySet()
                    .stream().filter(id -> id.startsWith(watch)).findFirst().orElseThrow();
            ObjectNode event = read("guard/put-rule-disabled.json");
            detail(event).put("eventName", call);
            ((ObjectNode) detail(event).path("requestParameters")).put("name",
                    TrailGuardApp.GUARD_STACK_NAME + "-" + logicalId + NAME_SUFFIX);

            // then the EventBridge guard rule (to the function) and the backstop (to the topic) see it
            assertThat(machine.rulesForJSONEvent(write(event))).as(watch)
                    .containsExactlyInAnyOrder("guard-events", BACKSTOP);
        }
    }

    @Test
    void someoneElsesKey_shouldMatchNoRule() throws Exception {
        ObjectNode event = read("guard/disable-topic-key.json");
        ((ObjectNode) detail(event).path("resources").get(0)).put("ARN",
                "arn:aws:kms:us-east-1:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab");
        assertThat(machine.rulesForJSONEvent(write(event))).isEmpty();
    }

    @Test
    void ruleDefinitionChange_shouldReachTheSsmGuardRule() throws Exception {
        ObjectNode event = read("guard/put-baseline-parameter.json");
        ((ObjectNode) detail(event).path("requestParameters")).put("name",
                GuardStack.RULE_DEFINITION_PREFIX + "TrailGuard-TamperRuleA49E679E" + NAME_SUFFIX);
        assertThat(machine.rulesForJSONEvent(write(event))).containsExactly("guard-ssm");
    }

    private static ObjectNode read(String sample) throws Exception {
        return (ObjectNode) TestStacks.JSON.readTree(event(sample));
    }

    private static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.path("detail");
    }

    private static String write(ObjectNode event) throws Exception {
        return TestStacks.JSON.writeValueAsString(event);
    }
}
