package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** cdk-nag's AWS Solutions pack over both stacks with every option switched on. */
class CdkNagTest {

    private static TrailGuardApp.Stacks stacks;
    private static List<Stack> all;

    @BeforeAll
    static void synthesizeWithNag() {
        // given every optional resource, so nothing escapes the checks
        Map<String, Object> context = new LinkedHashMap<>();
        context.putAll(Map.of(
                "notificationEmails", List.of("security@example.com"),
                "jsonSubscriberQueueArn", "arn:aws:sqs:us-east-1:444455556666:siem-intake",
                "jsonSubscriberHttpsUrl", "https://siem.example.com/sns",
                "enableLogFileValidationRule", true,
                "enableEncryptionRule", true,
                "createConfigRecorder", true,
                "organizationTargetIds", List.of("ou-abcd-11112222"),
                "breakGlassRoleArns", List.of("arn:aws:iam::*:role/BreakGlass")));
        context.putAll(Map.of(
                "authorizedRoleArns", List.of("arn:aws:iam::111122223333:role/BreakGlass"),
                "trailCloudWatchLogsRoleArns", List.of("arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role"),
                "trailBaselines", Map.of("management-events", Map.of("Trail", Map.of("S3BucketName", "org-trail-logs")))));
        context.putAll(Map.of("securityHubFindings", true, "incidentEvents", true, "chatNotifications", true));
        App app = TestStacks.app(context);
        stacks = TestStacks.stacks(app);
        // when the checks run as an aspect at synthesis
        Aspects.of(app).add(new AwsSolutionsChecks());
        all = List.of(stacks.guard(), stacks.guardrail());
        all.forEach(Template::fromStack);
    }

    @Test
    void awsSolutionsChecks_shouldReportNoUnacknowledgedError() {
        for (Stack stack : all) {
            assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(stack.getStackName()).isEmpty();
        }
    }

    @Test
    void awsSolutionsChecks_shouldReportNoUnacknowledgedWarning() {
        for (Stack stack : all) {
            assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(stack.getStackName()).isEmpty();
        }
    }

    @Test
    void everyAcknowledgement_shouldCarryAWrittenReasonAndWildcardsNameWhatTheyCover() {
        // given every suppression cdk-nag recorded in the templates' metadata
        List<JsonNode> suppressions = new ArrayList<>();
        for (Stack stack : all) {
            JsonNode tree = TestStacks.tree(Template.fromStack(stack));
            Iterator<JsonNode> resources = tree.path("Resources").elements();
            while (resources.hasNext()) {
                resources.next().path("Metadata").path("cdk_nag").path("rules_to_suppress").forEach(suppressions::add);
            }
            // and none on the stack as a whole
            assertThat(tree.path("Metadata").path("cdk_nag").isMissingNode()).isTrue();
        }
        assertThat(suppressions).isNotEmpty();

        // then each has a reason of at least ten words, and IAM wildcard ones say which wildcard
        for (JsonNode suppression : suppressions) {
            String reason = suppression.path("reason").asText();
            assertThat(reason.trim().split("\\s+")).as(suppression.toString()).hasSizeGreaterThanOrEqualTo(10);
            String id = suppression.path("id").asText();
            if (id.equals("AwsSolutions-IAM5") || id.equals("AwsSolutions-IAM4")) {
                assertThat(suppression.path("applies_to").size()).as(suppression.toString()).isPositive();
            }
        }
    }
}
