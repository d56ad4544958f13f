package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * cdk-nag's AWS Solutions pack over every organization-mode stack, and over the member templates in their own apps
 * (which {@link MemberTemplate} refuses to synthesize with a finding left unacknowledged).
 */
class OrganizationNagTest {

    private static List<Stack> all;

    @BeforeAll
    static void synthesizeWithNag() {
        TrailGuardApp.OrganizationStacks stacks = OrganizationTestStacks.stacks(Map.of(
                "jsonSubscriberQueueArn", "arn:aws:sqs:eu-west-1:444455556666:siem-intake",
                "authorizedRoleArns", List.of("arn:aws:iam::444455556666:role/BreakGlass"),
                "guardedTrails", List.of("management-events", "arn:aws:cloudtrail:eu-west-1:444455556666:trail/audit"),
                "trailCloudWatchLogsRoleArns", List.of("arn:aws:iam::444455556666:role/CloudTrail_CloudWatchLogs_Role"),
                // a pattern among them: the member role and the hub's TamperResponder write declared settings to them
                "protectedLogBuckets", List.of("org-trail-logs-*", "audit-archive")));
        all = List.of(stacks.hub(), stacks.members(), stacks.management(),
                stacks.members().forwardingTemplate().stack(), stacks.members().rolesTemplate().stack(),
                stacks.members().canaryTemplate().stack());
        all.forEach(Template::fromStack);
    }

    @Test
    void awsSolutionsChecks_shouldReportNoUnacknowledgedErrorOrWarning() {
        for (Stack stack : all) {
            assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(stack.getStackName()).isEmpty();
            assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(stack.getStackName()).isEmpty();
        }
    }

    @Test
    void everyAcknowledgement_shouldCarryAWrittenReasonAndWildcardsNameWhatTheyCover() {
        List<JsonNode> suppressions = new ArrayList<>();
        for (Stack stack : all) {
            JsonNode tree = TestStacks.tree(Template.fromStack(stack));
            Iterator<JsonNode> resources = tree.path("Resources").elements();
            while (resources.hasNext()) {
                resources.next().path("Metadata").path("cdk_nag").path("rules_to_suppress").forEach(suppressions::add);
            }
            assertThat(tree.path("Metadata").path("cdk_nag").isMissingNode()).as(stack.getStackName()).isTrue();
        }
        assertThat(suppressions).extracting(s -> s.path("id").asText())
                .contains("AwsSolutions-IAM5", "AwsSolutions-SF1", "AwsSolutions-SF2", "AwsSolutions-L1");
        for (JsonNode suppression : suppressions) {
            assertThat(suppression.path("reason").asText().trim().split("\\s+")).as(suppression.toString())
                    .hasSizeGreaterThanOrEqualTo(10);
            if (suppression.path("id").asText().equals("AwsSolutions-IAM5")) {
                assertThat(suppression.path("applies_to").size()).as(suppression.toString()).isPositive();
            }
        }
    }
}
