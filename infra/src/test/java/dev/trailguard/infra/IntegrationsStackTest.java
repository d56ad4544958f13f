package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.renderAll;
import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.roleIdOfFunction;
import static dev.trailguard.infra.TestStacks.statementsOfRole;
import static dev.trailguard.infra.TestStacks.strings;
import static dev.trailguard.infra.TestStacks.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.contract.Environment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The integrations' context switches: off, nothing changes; on, the least IAM each needs and the variables. */
class IntegrationsStackTest {

    private static JsonNode off;
    private static JsonNode on;

    @BeforeAll
    static void synthesize() {
        off = tree(TestStacks.guardTemplate(Map.of()));
        // the way -c passes them: strings
        on = tree(TestStacks.guardTemplate(Map.of("securityHubFindings", "true", "incidentEvents", "true",
                "chatNotifications", "true")));
    }

    static List<JsonNode> statementsWith(JsonNode tree, String roleId, String action) {
        return statementsOfRole(tree, roleId).stream().filter(s -> strings(s.path("Action")).contains(action)).toList();
    }

    @Test
    void allOff_shouldAddNoTopicNoPermissionAndNoVariable() {
        assertThat(resources(off, "AWS::SNS::Topic")).hasSize(1);
        String rendered = off.toString();
        assertThat(rendered).doesNotContain("securityhub:", "events:PutEvents", Environment.SECURITY_HUB_FINDINGS,
                Environment.INCIDENT_EVENTS, Environment.CHAT_TOPIC_ARN);
    }

    @Test
    void securityHub_shouldAllowOnlyBatchImportFindingsOnTheDefaultProductForEveryFunction() {
        for (JsonNode function : resources(on, "AWS::Lambda::Function").values()) {
            JsonNode env = function.path("Properties").path("Environment").path("Variables");
            assertThat(env.path(Environment.SECURITY_HUB_FINDINGS).asText()).isEqualTo("true");
        }
        for (String functionId : resources(on, "AWS::Lambda::Function").keySet()) {
            String roleId = roleIdOfFunction(on, functionId);
            List<JsonNode> statements = statementsWith(on, roleId, "securityhub:BatchImportFindings");
            assertThat(statements).hasSize(1);
            JsonNode statement = statements.get(0);
            assertThat(strings(statement.path("Action"))).containsExactly("securityhub:BatchImportFindings");
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(renderAll(statement.path("Resource"))).containsExactly("arn:${AWS::Partition}:securityhub:"
                    + TestStacks.REGION + ":" + TestStacks.ACCOUNT + ":product/" + TestStacks.ACCOUNT + "/default");
        }
        // and no other Security Hub action anywhere
        on.path("Resources").forEach(resource -> resource.path("Properties").path("PolicyDocument").path("Statement")
                .forEach(s -> strings(s.path("Action")).stream().filter(a -> a.startsWith("securityhub:"))
                        .forEach(a -> assertThat(a).isEqualTo("securityhub:BatchImportFindings"))));
    }

    @Test
    void incidentEvents_shouldAllowOnlyPutEventsOnTheDefaultBus() {
        for (String functionId : resources(on, "AWS::Lambda::Function").keySet()) {
            String roleId = roleIdOfFunction(on, functionId);
            List<JsonNode> statements = statementsWith(on, roleId, "events:PutEvents");
            assertThat(statements).hasSize(1);
            assertThat(strings(statements.get(0).path("Action"))).containsExactly("events:PutEvents");
            assertThat(renderAll(statements.get(0).path("Resource")))
                    .containsExactly("arn:${AWS::Partition}:events:" + TestStacks.REGION + ":" + TestStacks.ACCOUNT
                            + ":event-bus/default");
            JsonNode env = on.path("Resources").path(functionId).path("Properties").path("Environment")
                    .path("Variables");
            assertThat(env.path(Environment.INCIDENT_EVENTS).asText()).isEqualTo("true");
        }
    }

    @Test
    void chat_shouldAddAnEncryptedTlsOnlyTopicThatOnlyTheFunctionsPublishTo() {
        Map<String, JsonNode> topics = resources(on, "AWS::SNS::Topic");
        assertThat(topics).hasSize(2);
        String chatId = topics.keySet().stream().filter(id -> id.contains("ChatTopic")).findFirst().orElseThrow();
        String mainId = topics.keySet().stream().filter(id -> !id.equals(chatId)).findFirst().orElseThrow();
        // the notification topic's key
        assertThat(topics.get(chatId).path("Properties").path("KmsMasterKeyId"))
                .isEqualTo(topics.get(mainId).path("Properties").path("KmsMasterKeyId"));
        assertThat(resources(on, "AWS::SNS::TopicPolicy").values().stream()
                .filter(p -> p.path("Properties").path("Topics").toString().contains(chatId))
                .anyMatch(p -> p.toString().contains("aws:SecureTransport"))).isTrue();
        for (String functionId : resources(on, "AWS::Lambda::Function").keySet()) {
            JsonNode env = on.path("Resources").path(functionId).path("Properties").path("Environment")
                    .path("Variables");
            assertThat(env.path(Environment.CHAT_TOPIC_ARN).path("Ref").asText()).isEqualTo(chatId);
            List<JsonNode> publish = statementsOfRole(on, roleIdOfFunction(on, functionId)).stream()
                    .filter(s -> strings(s.path("Action")).contains("sns:Publish")).toList();
            assertThat(publish.stream().flatMap(s -> renderAll(s.path("Resource")).stream()).toList())
                    .containsExactlyInAnyOrder("${" + mainId + "}", "${" + chatId + "}");
        }
        // no subscription: the channel's owner subscribes Amazon Q Developer in chat applications
        assertThat(resources(on, "AWS::SNS::Subscription").values().stream()
                .filter(s -> s.path("Properties").path("TopicArn").toString().contains(chatId))).isEmpty();
    }

    @Test
    void hub_shouldGrantTheSameToItsFunctions() {
        JsonNode hub = tree(Template.fromStack(OrganizationTestStacks.stacks(Map.of("securityHubFindings", true,
                "incidentEvents", true)).hub()));
        for (String functionId : resources(hub, "AWS::Lambda::Function").keySet()) {
            JsonNode env = hub.path("Resources").path(functionId).path("Properties").path("Environment")
                    .path("Variables");
            if (env.isMissingNode() || !env.has(Environment.TOPIC_ARN)) {
                continue;
            }
            String roleId = roleIdOfFunction(hub, functionId);
            assertThat(statementsWith(hub, roleId, "securityhub:BatchImportFindings")).hasSize(1);
            assertThat(statementsWith(hub, roleId, "events:PutEvents")).hasSize(1);
            assertThat(env.path(Environment.SECURITY_HUB_FINDINGS).asText()).isEqualTo("true");
        }
    }

    @Test
    void aSwitchThatIsNotABoolean_shouldFailTheSynth() {
        assertThatThrownBy(() -> TestStacks.guardTemplate(Map.of("securityHubFindings", "yes")))
                .hasMessageContaining("securityHubFindings must be true or false");
    }
}
