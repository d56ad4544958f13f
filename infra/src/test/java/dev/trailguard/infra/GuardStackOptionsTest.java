package dev.trailguard.infra;

import static dev.trailguard.infra.TestStacks.resources;
import static dev.trailguard.infra.TestStacks.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The optional parts of GuardStack, switched on the way `cdk deploy -c key=value` passes them (strings). */
class GuardStackOptionsTest {

    private static Template template;
    private static JsonNode tree;

    @BeforeAll
    static void synthesize() {
        template = TestStacks.guardTemplate(Map.of(
                "notificationEmails", "a@example.com, b@example.com",
                "jsonSubscriberQueueArn", "arn:aws:sqs:us-east-1:444455556666:siem-intake",
                "jsonSubscriberHttpsUrl", "https://siem.example.com/sns",
                "sweepMinutes", "15",
                "enableLogFileValidationRule", "true",
                "enableEncryptionRule", "true",
                "createConfigRecorder", "true",
                // the way -c passes a map: one JSON string; one baseline small, one over the Standard tier's 4 KB
                "trailBaselines", "{\"management-events\": {\"Trail\": {\"S3BucketName\": \"org-trail-logs\","
                        + " \"IsMultiRegionTrail\": true, \"LogFileValidationEnabled\": true}},"
                        + " \"data-events\": " + largeBaseline() + "}",
                "guardIamEvents", "false"));
        tree = tree(template);
    }

    /** A baseline with many data-event selectors: over 4 KB, under 8 KB. */
    private static String largeBaseline() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            values.append(i == 0 ? "" : ",").append("\"arn:aws:s3:::payroll-data-bucket-").append(i).append("/\"");
        }
        return "{\"EventSelectors\": [{\"ReadWriteType\": \"All\", \"IncludeManagementEvents\": true,"
                + " \"DataResources\": [{\"Type\": \"AWS::S3::Object\", \"Values\": [" + values + "]}]}]}";
    }

    @Test
    void trailBaselines_shouldDeclareOneParameterPerTrailThatNeverDowngradesItsTier() throws Exception {
        // given two declared baselines, then one parameter each under the baseline path
        Map<String, JsonNode> parameters = new java.util.HashMap<>(resources(tree, "AWS::SSM::Parameter"));
        // besides the rules' deployed definitions (SelfGuardStackTest)
        parameters.values().removeIf(p -> TestStacks.render(p.path("Properties").path("Name"))
                .startsWith(GuardStack.RULE_DEFINITION_PREFIX));
        assertThat(parameters).hasSize(2);
        JsonNode small = parameter("/trailguard/baseline/management-events");
        JsonNode large = parameter("/trailguard/baseline/data-events");
        assertThat(small.path("Type").asText()).isEqualTo("String");
        // Intelligent-Tiering: Standard under 4 KB, Advanced above, and an Advanced parameter that shrinks stays Advanced
        // (an explicit Standard would fail the update: SSM cannot downgrade a parameter's tier)
        assertThat(small.path("Tier").asText()).isEqualTo("Intelligent-Tiering");
        assertThat(large.path("Tier").asText()).isEqualTo("Intelligent-Tiering");
        assertThat(large.path("Value").asText().length()).isBetween(4 * 1024 + 1, 8 * 1024);
        // and the value is the declared JSON, minified, with the CloudTrail API's own shapes
        JsonNode value = TestStacks.JSON.readTree(small.path("Value").asText());
        assertThat(value.path("Trail").path("S3BucketName").asText()).isEqualTo("org-trail-logs");
        assertThat(small.path("Value").asText()).doesNotContain(" ");
    }

    @Test
    void baselineWithALogsRoleTheAutomationRoleMayNotPass_shouldFailAtSynthNamingTheRole() {
        String role = "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role";
        Map<String, Object> baseline = Map.of("management-events", Map.of("Trail", Map.of("S3BucketName", "org-trail-logs",
                "CloudWatchLogsLogGroupArn", "arn:aws:logs:us-east-1:111122223333:log-group:trail:*",
                "CloudWatchLogsRoleArn", role)));
        // without the role in trailCloudWatchLogsRoleArns the restore would fail with AccessDenied on iam:PassRole
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("trailBaselines", baseline))))
                .hasMessageContaining("trailBaselines.management-events").hasMessageContaining(role)
                .hasMessageContaining("add it to trailCloudWatchLogsRoleArns");
        // with it, the stack synthesizes
        assertThat(TestStacks.stacks(TestStacks.app(Map.of("trailBaselines", baseline,
                "trailCloudWatchLogsRoleArns", List.of(role)))).guard()).isNotNull();
    }

    @Test
    void oversizedOrMisnamedBaseline_shouldFailAtSynth() {
        String huge = "{\"x\": \"" + "a".repeat(9000) + "\"}";
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("trailBaselines", Map.of("main", huge)))))
                .hasMessageContaining("8192");
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("trailBaselines",
                Map.of("arn:aws:cloudtrail:us-east-1:111122223333:trail/main", Map.of())))))
                .hasMessageContaining("trail names");
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("trailBaselines", "{\"main\": [1]}"))))
                .hasMessageContaining("JSON object");
    }

    @Test
    void guardIamEventsFalse_shouldLeaveOutTheIamRuleAndTheBackstopsIamPart() {
        assertThat(resources(tree, "AWS::Events::Rule").keySet()).noneMatch(id -> id.startsWith("GuardIamRule"));
        JsonNode backstop = resources(tree, "AWS::Events::Rule").entrySet().stream()
                .filter(e -> e.getKey().startsWith("GuardBackstopRule")).findFirst().orElseThrow().getValue();
        assertThat(TestStacks.strings(backstop.path("Properties").path("EventPattern").path("source")))
                .containsExactly("aws.lambda", "aws.events");
    }

    @Test
    void stackOutsideUsEast1_shouldNotCreateTheIamRuleByDefault() {
        // given a stack in another region (IAM's events reach EventBridge in us-east-1 only)
        JsonNode euWest = tree(Template.fromStack(TestStacks.stacks(TestStacks.app(Map.of()), "eu-west-1").guard()));

        // then
        assertThat(resources(euWest, "AWS::Events::Rule").keySet()).noneMatch(id -> id.startsWith("GuardIamRule"))
                .anyMatch(id -> id.startsWith("GuardLambdaRule"));
    }

    private static JsonNode parameter(String name) {
        return resources(tree, "AWS::SSM::Parameter").values().stream()
                .map(p -> p.path("Properties")).filter(p -> name.equals(p.path("Name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no parameter " + name));
    }

    @Test
    void stringContext_shouldSubscribeEveryAddressAndBothJsonSubscribersWithTheEnvelope() {
        // on the topic and on the second channel
        template.resourceCountIs("AWS::SNS::Subscription", 8);
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "b@example.com", "TopicArn", Match.anyValue()));
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike(Map.of(
                "Protocol", "sqs", "Endpoint", "arn:aws:sqs:us-east-1:444455556666:siem-intake",
                "RawMessageDelivery", false)));
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike(Map.of(
                "Protocol", "https", "Endpoint", "https://siem.example.com/sns", "RawMessageDelivery", false)));
    }

    @Test
    void sweepMinutes_shouldSetTheScheduleRate() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(15 minutes)")));
    }

    @Test
    void ruleFlags_shouldAddBothRulesToConfigTheEnvironmentAndTheCompliancePattern() {
        List<String> all = List.of(GuardStack.RULE_CLOUDTRAIL_ENABLED, GuardStack.RULE_MULTI_REGION,
                GuardStack.RULE_LOG_FILE_VALIDATION, GuardStack.RULE_ENCRYPTION);
        template.resourceCountIs("AWS::Config::ConfigRule", 4);
        template.hasResourceProperties("AWS::Config::ConfigRule", Match.objectLike(Map.of(
                "ConfigRuleName", GuardStack.RULE_ENCRYPTION,
                "Source", Map.of("Owner", "AWS", "SourceIdentifier", "CLOUD_TRAIL_ENCRYPTION_ENABLED"))));
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Match.objectLike(Map.of("detail", Match.objectLike(Map.of("configRuleName", all)))))));
        resources(tree, "AWS::Lambda::Function").values().forEach(f -> assertThat(f.path("Properties")
                .path("Environment").path("Variables").path("TRAILGUARD_CONFIG_RULES").asText())
                .isEqualTo(String.join(",", all)));
    }

    @Test
    void createConfigRecorder_shouldRecordTrailsIntoAnEncryptedTlsOnlyBucketBeforeTheRules() {
        template.hasResourceProperties("AWS::Config::ConfigurationRecorder", Match.objectLike(Map.of(
                "RecordingGroup", Match.objectLike(Map.of("ResourceTypes", List.of("AWS::CloudTrail::Trail"))))));
        template.resourceCountIs("AWS::Config::DeliveryChannel", 1);
        JsonNode bucket = resources(tree, "AWS::S3::Bucket").values().iterator().next();
        assertThat(bucket.path("Properties").path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isEqualTo("AES256");
        JsonNode bucketPolicy = resources(tree, "AWS::S3::BucketPolicy").values().iterator().next();
        boolean tlsOnly = false;
        for (JsonNode s : bucketPolicy.path("Properties").path("PolicyDocument").path("Statement")) {
            tlsOnly |= "Deny".equals(s.path("Effect").asText())
                    && "false".equals(s.path("Condition").path("Bool").path("aws:SecureTransport").asText());
        }
        assertThat(tlsOnly).isTrue();
        String recorder = resources(tree, "AWS::Config::ConfigurationRecorder").keySet().iterator().next();
        String recorderRole = tree.path("Resources").path(recorder).path("Properties").path("RoleARN").path("Fn::GetAtt").get(0).asText();
        assertThat(TestStacks.strings(tree.path("Resources").path(recorderRole).path("Properties")
                .path("AssumeRolePolicyDocument").path("Statement").get(0).path("Principal").path("Service")))
                .containsExactly("config.amazonaws.com");
        // A Config rule cannot be created before the recorder exists.
        resources(tree, "AWS::Config::ConfigRule").values().forEach(rule ->
                assertThat(TestStacks.strings(rule.path("DependsOn"))).contains(recorder));
    }

    @Test
    void badContext_shouldFailWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("sweepMinutes", "0"))))
                .hasMessageContaining("sweepMinutes");
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("jsonSubscriberHttpsUrl", "http://x.example.com"))))
                .hasMessageContaining("https://");
        assertThatThrownBy(() -> TestStacks.stacks(TestStacks.app(Map.of("createConfigRecorder", "yes"))))
                .hasMessageContaining("createConfigRecorder");
    }
}
