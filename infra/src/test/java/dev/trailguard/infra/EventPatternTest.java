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
            machine.addRule(nameOf(rule.getKey()), TestStacks.JSON.writeValueAsString(pattern));
            patterns++;
        }
        assertThat(patterns).isEqualTo(3);
    }

    private static String nameOf(String logicalId) {
        if (logicalId.startsWith("TamperRule")) {
            return TAMPER;
        }
        if (logicalId.startsWith("ComplianceRule")) {
            return COMPLIANCE;
        }
        if (logicalId.startsWith("RemediationStatusRule")) {
            return REMEDIATION;
        }
        throw new AssertionError("unexpected rule with a pattern: " + logicalId);
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
}
