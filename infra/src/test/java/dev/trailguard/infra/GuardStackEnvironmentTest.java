package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.config.ConfigurationException;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The environment the stack gives the functions, fed to the functions' own configuration readers
 * ({@link TrailGuardConfig#fromEnvironment}, {@link ResponseConfig#fromEnvironment}): a value they refuse would stop
 * every function at initialisation. CloudFormation references are replaced by realistic deployed values.
 */
class GuardStackEnvironmentTest {

    private static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/TrailGuard-BreakGlass";
    private static final String LAKE = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";
    private static final String CDK_EXECUTION_ROLE =
            "arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1";

    private static final String LOGS_ROLE = "arn:aws:iam::111122223333:role/CloudTrailToCloudWatchLogs";

    private static JsonNode tree;

    @BeforeAll
    static void synthesize() {
        tree = tree(TestStacks.guardTemplate(Map.of(
                "guardedTrails", List.of("management-events"),
                "authorizedRoleArns", List.of(BREAK_GLASS),
                "lakeEventDataStore", LAKE,
                "athenaTable", "security.cloudtrail_logs",
                "enableLogFileValidationRule", true,
                "trailCloudWatchLogsRoleArns", List.of(LOGS_ROLE))));
    }

    @Test
    void everyFunctionsEnvironment_shouldBeAcceptedByTheFunctionsConfigurationReaders() {
        for (Map.Entry<String, JsonNode> function : resources(tree, "AWS::Lambda::Function").entrySet()) {
            // given the function's environment as deployed
            Map<String, String> env = deployed(function.getValue().path("Properties").path("Environment").path("Variables"));

            // when the function reads it at initialisation
            TrailGuardConfig config = TrailGuardConfig.fromEnvironment(env);
            ResponseConfig response = ResponseConfig.fromEnvironment(env);

            // then both accept it, with the values the stack meant
            // the canary joins the named guarded trails: it is guarded like any other
            assertThat(config.guardedTrails()).as(function.getKey())
                    .containsExactly("management-events", "TrailGuard-Canary");
            // every function recognises the drill: the canary in this account and region, the FireDrill's role
            dev.trailguard.config.DrillConfig drill = dev.trailguard.config.DrillConfig.fromEnvironment(env);
            assertThat(drill.canaryTrailArn()).as(function.getKey())
                    .contains("arn:aws:cloudtrail:us-east-1:111122223333:trail/TrailGuard-Canary");
            assertThat(drill.drillRoleArn()).matches("arn:aws:iam::111122223333:role/TrailGuard-FireDrillRole\\w+-\\w+");
            assertThat(drill.deadline()).isEqualTo(java.time.Duration.ofMinutes(10));
            assertThat(config.configRules()).contains(GuardStack.RULE_LOG_FILE_VALIDATION);
            assertThat(config.ownRoleArns()).hasSize(5);
            // the runbook executions TrailGuard started itself: by one of the four function roles, nobody else
            assertThat(env.get(dev.trailguard.contract.Environment.FUNCTION_ROLE_ARNS).split(","))
                    .hasSize(4).allMatch(arn -> arn.matches("arn:aws:iam::111122223333:role/TrailGuard-\\w+Role\\w{8}-\\w+"))
                    .noneMatch(arn -> arn.contains(GuardStack.AUTOMATION_ROLE_ID));
            assertThat(env.get(dev.trailguard.contract.Environment.PASSABLE_LOGS_ROLE_ARNS))
                    .isEqualTo(LOGS_ROLE);
            assertThat(response.resourcePrefix()).isEqualTo(TrailGuardApp.GUARD_STACK_NAME);
            assertThat(response.authorizedRoleArns()).containsExactlyInAnyOrder(CDK_EXECUTION_ROLE, BREAK_GLASS);
            assertThat(response.baselineParameterPrefix()).isEqualTo(GuardStack.BASELINE_PARAMETER_PREFIX);
            assertThat(response.lakeEventDataStore()).isEqualTo(LAKE);
            assertThat(response.athenaTable()).isEqualTo("security.cloudtrail_logs");
            // the deployment's own update (events/guard/update-function-code-by-deployment.json) counts as authorized
            assertThat(response.isAuthorized("arn:aws:sts::111122223333:assumed-role/cdk-hnb659fds-cfn-exec-role-"
                    + "111122223333-us-east-1/AWSCloudFormation", CDK_EXECUTION_ROLE)).isTrue();
        }
    }

    @Test
    void baselinePrefix_shouldBeResponseConfigsDefault() {
        assertThat(GuardStack.BASELINE_PARAMETER_PREFIX).isEqualTo(ResponseConfig.DEFAULT_BASELINE_PREFIX);
    }

    @Test
    void wildcardAuthorizedRole_shouldBeRefusedAtSynthAsTheFunctionsWouldRefuseIt() {
        // given a role pattern, which the functions cannot compare with a caller's ARN
        String pattern = "arn:aws:iam::*:role/BreakGlass*";

        // then the functions refuse it, and so does synth, before anything is deployed
        assertThatThrownBy(() -> ResponseConfig.fromEnvironment(Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS, pattern)))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("authorizedRoleArns", List.of(pattern)))))
                .hasMessageContaining("authorizedRoleArns");
    }

    @Test
    void malformedLakeOrAthenaContext_shouldBeRefusedAtSynth() {
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("athenaTable", "logs; DROP TABLE x"))))
                .hasMessageContaining("athenaTable");
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("lakeEventDataStore", "eds id with spaces"))))
                .hasMessageContaining("lakeEventDataStore");
    }

    /** The variables as Lambda would see them once CloudFormation has resolved every reference. */
    private static Map<String, String> deployed(JsonNode variables) {
        Map<String, String> env = new LinkedHashMap<>();
        variables.fields().forEachRemaining(v -> env.put(v.getKey(), resolve(v.getValue())));
        return env;
    }

    private static String resolve(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.has("Fn::Join")) {
            StringBuilder out = new StringBuilder();
            value.get("Fn::Join").get(1).forEach(part -> out.append(resolve(part)));
            return out.toString();
        }
        if (value.has("Fn::Sub")) {
            return TestStacks.pseudo(value.get("Fn::Sub").asText());
        }
        if (value.has("Ref")) {
            String ref = value.get("Ref").asText();
            if (ref.startsWith("AWS::")) {
                return TestStacks.pseudo("${" + ref + "}");
            }
            // the only other Refs in the environment are the topics: CloudFormation names them after the stack
            assertThat(TestStacks.typeOf(tree, ref)).isEqualTo("AWS::SNS::Topic");
            return "arn:aws:sns:us-east-1:111122223333:TrailGuard-" + ref + "-1A2B3C4D5E6F";
        }
        if (value.has("Fn::GetAtt")) {
            String id = value.get("Fn::GetAtt").get(0).asText();
            if (TestStacks.typeOf(tree, id).equals("AWS::KMS::Key")) {
                // the topic's key (TRAILGUARD_TOPIC_KEY_ARN): a key's ARN carries its id
                return "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            }
            assertThat(TestStacks.typeOf(tree, id)).isEqualTo("AWS::IAM::Role");
            return "arn:aws:iam::111122223333:role/TrailGuard-" + id + "-1A2B3C4D5E6F";
        }
        throw new AssertionError("unexpected value in the environment: " + value);
    }
}
