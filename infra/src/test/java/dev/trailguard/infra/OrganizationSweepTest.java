package dev.trailguard.infra;

import static dev.trailguard.infra.OrganizationTestStacks.ORGANIZATION;
import static dev.trailguard.infra.OrganizationTestStacks.OUS;
import static dev.trailguard.infra.OrganizationTestStacks.REGIONS;
import static dev.trailguard.infra.TestStacks.renderAll;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.statementsOfRole;
import static dev.trailguard.infra.TestStacks.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The organization-wide sweep's state machine, read from the synthesized definition (Amazon States Language). */
class OrganizationSweepTest {

    private static JsonNode tree;
    private static JsonNode definition;

    @BeforeAll
    static void synthesize() throws Exception {
        App app = TestStacks.app(OrganizationTestStacks.context());
        tree = TestStacks.tree(Template.fromStack(TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()))
                .organization().hub()));
        definition = definition(tree);
    }

    /** The state machine's definition with the template's tokens (partition, function ARN) left as {@code TOKEN}. */
    static JsonNode definition(JsonNode template) throws Exception {
        JsonNode machine = resources(template, "AWS::StepFunctions::StateMachine").values().iterator().next();
        StringBuilder text = new StringBuilder();
        for (JsonNode part : machine.path("Properties").path("DefinitionString").path("Fn::Join").get(1)) {
            text.append(part.isTextual() ? part.asText() : "TOKEN");
        }
        return TestStacks.JSON.readTree(text.toString());
    }

    /** Every state of the definition, nested ones included, by name. */
    static Map<String, JsonNode> states(JsonNode node) {
        Map<String, JsonNode> all = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.path("States").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> state = it.next();
            all.put(state.getKey(), state.getValue());
            all.putAll(states(state.getValue().path("ItemProcessor")));
        }
        return all;
    }

    @Test
    void accounts_shouldBeSweptByADistributedMapWithBoundedConcurrency_inExpressChildren() {
        JsonNode accounts = states(definition).get("SweepAccounts");
        assertThat(accounts.path("Type").asText()).isEqualTo("Map");
        assertThat(accounts.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText()).isEqualTo("DISTRIBUTED");
        assertThat(accounts.path("ItemProcessor").path("ProcessorConfig").path("ExecutionType").asText())
                .isEqualTo("EXPRESS");
        assertThat(accounts.path("MaxConcurrency").asInt()).isEqualTo(OrganizationSweep.ACCOUNT_CONCURRENCY)
                .isEqualTo(10);
        assertThat(accounts.path("ItemsPath").asText()).isEqualTo("$.page.Accounts");
        // a page's failure is caught, so the next pages and the child OUs are still swept
        assertThat(accounts.path("Catch").get(0).path("Next").asText()).isEqualTo("MarkFailed");

        JsonNode regions = states(definition).get("SweepRegions");
        assertThat(regions.path("ItemsPath").asText()).isEqualTo("$.regions");
        assertThat(regions.path("MaxConcurrency").asInt()).isEqualTo(REGIONS.size());
    }

    @Test
    void eachItem_shouldInvokeTheSweeperWithAScheduledEventOfTheMembersAccountAndRegion() throws Exception {
        // given the task of one account-region item
        JsonNode task = states(definition).get("SweepAccountRegion");
        assertThat(task.path("Type").asText()).isEqualTo("Task");
        assertThat(task.path("Resource").asText()).isEqualTo("TOKEN");
        JsonNode machine = resources(tree, "AWS::StepFunctions::StateMachine").values().iterator().next();
        assertThat(machine.path("Properties").path("DefinitionString").toString())
                .contains("{\"Ref\":\"TrailSweeperFunctionTrailSweeperAlias");
        JsonNode payload = task.path("Parameters");

        // then the payload has the keys of the EventBridge schedule event the sweeper already reads, and of the member
        // sweep sample the functions' tests use
        JsonNode sample = TestStacks.JSON.readTree(TestStacks.event("scheduled/sweep.json"));
        JsonNode memberSample = TestStacks.JSON.readTree(TestStacks.event("member/sweep.json"));
        assertThat(memberSample.path("source").asText()).isEqualTo(sample.path("source").asText());
        Set<String> memberKeys = new TreeSet<>();
        memberSample.fieldNames().forEachRemaining(memberKeys::add);
        Set<String> sampleKeys = new TreeSet<>();
        sample.fieldNames().forEachRemaining(sampleKeys::add);
        Set<String> keys = new TreeSet<>();
        payload.fieldNames().forEachRemaining(name -> keys.add(name.replaceAll("\\.\\$$", "")));
        assertThat(keys).isEqualTo(sampleKeys).isEqualTo(memberKeys);
        assertThat(payload.path("source").asText()).isEqualTo(sample.path("source").asText()).isEqualTo("aws.events");
        assertThat(payload.path("detail-type").asText()).isEqualTo(sample.path("detail-type").asText());
        assertThat(payload.path("version").asText()).isEqualTo("0");
        assertThat(payload.path("detail").isObject() && payload.path("detail").isEmpty()).isTrue();
        // with the member's account and region, a fresh id and the time the item started
        assertThat(payload.path("account.$").asText()).isEqualTo("$.account");
        assertThat(payload.path("region.$").asText()).isEqualTo("$.region");
        assertThat(payload.path("id.$").asText()).isEqualTo("States.UUID()");
        assertThat(payload.path("time.$").asText()).isEqualTo("$$.State.EnteredTime");
        JsonNode item = states(definition).get("SweepRegions").path("ItemSelector");
        assertThat(item.path("account.$").asText()).isEqualTo("$.account");
        assertThat(item.path("region.$").asText()).isEqualTo("$$.Map.Item.Value");
        assertThat(states(definition).get("SweepAccounts").path("ItemSelector").path("account.$").asText())
                .isEqualTo("$$.Map.Item.Value.Id");
    }

    @Test
    void aFailedItem_shouldBeRetriedThenRecorded_andFailTheExecutionAtTheEnd() {
        Map<String, JsonNode> states = states(definition);
        JsonNode task = states.get("SweepAccountRegion");
        assertThat(task.path("Retry").get(0).path("MaxAttempts").asInt()).isPositive();
        assertThat(task.path("TimeoutSeconds").asInt()).isGreaterThan(60);
        assertThat(strings(task.path("Catch").get(0).path("ErrorEquals"))).containsExactly("States.ALL");
        assertThat(states.get(task.path("Catch").get(0).path("Next").asText()).path("Result").asText())
                .isEqualTo(OrganizationSweep.FAILED);
        // three attempts of the longest item end within an Express child's five minutes
        int attempts = 1 + task.path("Retry").get(0).path("MaxAttempts").asInt();
        assertThat(attempts * task.path("TimeoutSeconds").asInt() + 5 + 10).isLessThan(300);
        // the account's failure reaches the page, the page's the execution, which ends in a Fail state
        assertThat(states.get("Summarize").path("Parameters").path("failed.$").asText())
                .isEqualTo("States.ArrayContains($.results, 'FAILED')");
        assertThat(states.get("CheckPage").path("Parameters").path("value.$").asText())
                .isEqualTo("States.ArrayContains($.sweep, 'FAILED')");
        assertThat(states.get("AnythingFailed?").path("Choices").get(0).path("Next").asText()).isEqualTo("SweepIncomplete");
        assertThat(states.get("SweepIncomplete").path("Type").asText()).isEqualTo("Fail");
    }

    @Test
    void failedAndTimedOutExecutions_shouldAlarmToTheTopic() {
        List<String> metrics = new ArrayList<>();
        for (JsonNode alarm : resources(tree, "AWS::CloudWatch::Alarm").values()) {
            JsonNode p = alarm.path("Properties");
            if (p.path("Namespace").asText().equals("AWS/States")) {
                metrics.add(p.path("MetricName").asText());
                assertThat(p.path("Dimensions").get(0).path("Name").asText()).isEqualTo("StateMachineArn");
                assertThat(p.path("AlarmActions").get(0).path("Ref").asText()).startsWith("NotificationsTopic");
                assertThat(p.path("Threshold").asInt()).isZero();
            }
        }
        assertThat(metrics).containsExactlyInAnyOrder("ExecutionsFailed", "ExecutionsTimedOut");
    }

    @Test
    void schedule_shouldStartOneSweepOfTheGuardedOusAndRegions() throws Exception {
        JsonNode rule = resources(tree, "AWS::Events::Rule").entrySet().stream()
                .filter(e -> e.getKey().startsWith("SweepSweepSchedule")).findFirst().orElseThrow().getValue();
        assertThat(rule.path("Properties").path("ScheduleExpression").asText()).isEqualTo("rate(5 minutes)");
        JsonNode input = TestStacks.JSON.readTree(rule.path("Properties").path("Targets").get(0).path("Input").asText());
        assertThat(strings(input.path("parentIds"))).containsExactlyElementsOf(OUS);
        assertThat(strings(input.path("regions"))).containsExactlyElementsOf(REGIONS);
        // the top execution starts one per OU, and each OU's one per child OU
        assertThat(states(definition).get("StartEachOrganizationalUnit").path("ItemsPath").asText()).isEqualTo("$.parentIds");
        assertThat(states(definition).get("StartEachChildUnit").path("ItemsPath").asText())
                .isEqualTo("$.units.OrganizationalUnits");
    }

    @Test
    void listings_shouldFollowEveryPage() {
        Map<String, JsonNode> states = states(definition);
        assertThat(states.get("ListMoreAccounts").path("Parameters").path("NextToken.$").asText())
                .isEqualTo("$.page.NextToken");
        assertThat(states.get("MoreAccounts?").path("Choices").get(0).path("Next").asText()).isEqualTo("ListMoreAccounts");
        assertThat(states.get("ListMoreAccounts").path("Next").asText()).isEqualTo("SweepAccounts");
        assertThat(states.get("ListMoreChildUnits").path("Parameters").path("NextToken.$").asText())
                .isEqualTo("$.units.NextToken");
        assertThat(states.get("ListAccounts").path("Resource").asText())
                .endsWith(":states:::aws-sdk:organizations:listAccountsForParent");
    }

    @Test
    void stateMachineRole_mayListOnlyThisOrganizationsUnits_andStartOnlyItself() {
        String roleId = resources(tree, "AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith("SweepStateMachineRole")).findFirst().orElseThrow();
        List<JsonNode> statements = statementsOfRole(tree, roleId);
        List<String> listing = new ArrayList<>();
        List<String> starting = new ArrayList<>();
        for (JsonNode s : statements) {
            if (strings(s.path("Action")).contains("organizations:ListAccountsForParent")) {
                listing.addAll(renderAll(s.path("Resource")));
            }
            if (strings(s.path("Action")).contains("states:StartExecution")) {
                starting.addAll(renderAll(s.path("Resource")));
            }
        }
        assertThat(listing).containsExactlyInAnyOrder(
                "arn:${AWS::Partition}:organizations::*:ou/" + ORGANIZATION + "/*",
                "arn:${AWS::Partition}:organizations::*:root/" + ORGANIZATION + "/*");
        assertThat(starting).allMatch(r -> r.contains("TrailGuardHub-OrganizationSweep") || r.startsWith("${SweepStateMachine"));
        assertThat(statements.stream().flatMap(s -> strings(s.path("Action")).stream()))
                .noneMatch(a -> a.startsWith("organizations:") && !a.startsWith("organizations:List"));
    }
}
