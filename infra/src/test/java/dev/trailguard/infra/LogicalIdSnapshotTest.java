package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Pins every CloudFormation logical id of the stacks. A changed id makes CloudFormation replace a deployed resource:
 * the dead-letter queues lose their messages, named documents and Config rules fail with "already exists", and the
 * guard's own backstop fires on every deletion. Adding a resource means adding its line to the snapshot on purpose
 * (run once with {@code -Dtrailguard.updateLogicalIds=true} and review the diff); a line that disappears or changes
 * type is a replacement and needs a migration note, not a snapshot update.
 *
 * <p>{@code AWS::Lambda::Version} ids change with the code by design and are left out.
 */
class LogicalIdSnapshotTest {

    static final Path SNAPSHOTS = Path.of("src/test/resources/logical-ids");

    /** The contexts pinned: what cdk.json ships, and every option on. */
    static Map<String, Object> context(String name) {
        if (name.equals("default")) {
            return Map.of("notificationEmails", List.of(), "guardedTrails", List.of(), "sweepMinutes", 5,
                    "enableLogFileValidationRule", false, "enableEncryptionRule", false, "createConfigRecorder", false);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.putAll(Map.of(
                "notificationEmails", List.of("security@example.com", "oncall@example.com"),
                "jsonSubscriberQueueArn", "arn:aws:sqs:us-east-1:444455556666:siem-intake",
                "jsonSubscriberHttpsUrl", "https://siem.example.com/sns",
                "guardedTrails", List.of("management-events"),
                "enableLogFileValidationRule", true,
                "enableEncryptionRule", true,
                "createConfigRecorder", true,
                "organizationTargetIds", List.of("ou-abcd-11112222"),
                "breakGlassRoleArns", List.of("arn:aws:iam::*:role/BreakGlass")));
        context.putAll(Map.of(
                "authorizedRoleArns", List.of("arn:aws:iam::111122223333:role/BreakGlass"),
                "trailCloudWatchLogsRoleArns", List.of("arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role"),
                "trailBaselines", Map.of("management-events", Map.of("Trail", Map.of("S3BucketName", "org-trail-logs"))),
                "lakeEventDataStore", "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
                "athenaTable", "security.cloudtrail_logs"));
        return context;
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "all-options"})
    void logicalIds_shouldMatchTheSnapshot(String name) throws IOException {
        // given the stacks as the app builds them for this context
        App app = TestStacks.app(context(name));
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app);
        List<Stack> all = new ArrayList<>();
        all.add(stacks.guard());
        if (stacks.guardrail() != null) {
            all.add(stacks.guardrail());
        }

        // when every resource's logical id and type is listed
        List<String> lines = new ArrayList<>();
        for (Stack stack : all) {
            JsonNode tree = TestStacks.tree(Template.fromStack(stack));
            Map<String, String> ids = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = tree.path("Resources").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> resource = it.next();
                String type = resource.getValue().path("Type").asText();
                if (type.equals("AWS::Lambda::Version")) {
                    // left out on purpose, but they must keep the CDK's code hash: a new id per code change is what
                    // publishes a new version (pinning them to a stable id would deploy new code to no version at all)
                    assertThat(resource.getKey()).matches("\\w+CurrentVersion[0-9A-F]{8}[0-9a-f]{32}");
                } else if (!type.equals("AWS::CDK::Metadata")) {
                    ids.put(resource.getKey(), type);
                }
            }
            ids.forEach((id, type) -> lines.add(stack.getStackName() + " " + id + " " + type));
        }

        // then they are exactly the pinned ones
        Path snapshot = SNAPSHOTS.resolve(name + ".txt");
        if (Boolean.getBoolean("trailguard.updateLogicalIds")) {
            Files.createDirectories(SNAPSHOTS);
            Files.write(snapshot, lines, StandardCharsets.UTF_8);
        }
        List<String> pinned = Files.readAllLines(snapshot, StandardCharsets.UTF_8);
        assertThat(lines)
                .as("logical ids of context '%s' (a missing or retyped id replaces a deployed resource; see %s)",
                        name, snapshot)
                .containsExactlyInAnyOrderElementsOf(pinned);
    }
}
