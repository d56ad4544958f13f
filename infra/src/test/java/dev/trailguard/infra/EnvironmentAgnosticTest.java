package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Template;

/**
 * A template synthesized without {@code -c account= -c region=} works in every account and region (a pipeline, a
 * StackSet, a second region): no literal region or account id anywhere but in its conditions. The CDK CLI exports
 * {@code CDK_DEFAULT_REGION=us-east-1} when no credentials are configured; the app no longer pins the stack to it.
 */
class EnvironmentAgnosticTest {

    private static final Pattern REGION = Pattern.compile("(?<![a-z0-9-])(us-gov|us|eu|ap|sa|ca|me|af|il|mx|cn)-"
            + "(north|south|east|west|central|northeast|northwest|southeast|southwest)-\\d(?![0-9])");
    private static final Pattern ACCOUNT = Pattern.compile("(?<![0-9A-Za-z])\\d{12}(?![0-9A-Za-z])");

    @Test
    void withoutAccountAndRegionContext_noLiteralRegionOrAccountOutsideConditions() {
        // given the documented deploy command's context, with no account or region named
        Map<String, Object> context = new HashMap<>(DocumentedCommandsTest.cdkJsonContext());
        context.put("notificationEmails", "security@example.com");
        context.put("guardedTrails", "management-events");
        App app = new App(AppProps.builder().context(context).build());
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()));

        // then the template names no region or account but through AWS::Region / AWS::AccountId
        JsonNode template = TestStacks.tree(Template.fromStack(stacks.guard()));
        assertThat(literals(template)).isEmpty();
        // and the us-east-1-only IAM guard rule is decided by CloudFormation, in the one place allowed to name it
        assertThat(template.path("Conditions").path("IamEventsRegion").toString()).contains("us-east-1");
    }

    @Test
    void everyReferenceToAConditionalResource_shouldBeUnderTheSameCondition() {
        // given the environment-agnostic template, where the IAM guard rule exists only in us-east-1
        Map<String, Object> context = new HashMap<>(DocumentedCommandsTest.cdkJsonContext());
        App app = new App(AppProps.builder().context(context).build());
        JsonNode template = TestStacks.tree(Template.fromStack(TestStacks.stacks(app,
                TrailGuardApp.environment(app.getNode())).guard()));
        Map<String, String> conditional = new HashMap<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            if (r.getValue().has("Condition")) {
                conditional.put(r.getKey(), r.getValue().path("Condition").asText());
            }
        });
        assertThat(conditional).containsValue("IamEventsRegion");

        // then a resource or output that refers to one is under its condition, or refers to it inside Fn::If on it:
        // otherwise CloudFormation fails the deployment in every other region ("Unresolved resource dependencies")
        List<String> dangling = new ArrayList<>();
        for (String section : List.of("Resources", "Outputs")) {
            template.path(section).fields().forEachRemaining(r -> {
                String own = r.getValue().path("Condition").asText(null);
                danglingReferences(r.getValue(), conditional, own, section + "." + r.getKey(), dangling);
            });
        }
        assertThat(dangling).isEmpty();
    }

    private static void danglingReferences(JsonNode node, Map<String, String> conditional, String guard, String path,
            List<String> dangling) {
        if (node.isObject()) {
            if (node.has("Fn::If") && node.get("Fn::If").isArray()) {
                JsonNode branches = node.get("Fn::If");
                danglingReferences(branches.get(1), conditional, branches.get(0).asText(), path, dangling);
                danglingReferences(branches.get(2), conditional, guard, path, dangling);
                return;
            }
            String target = node.has("Ref") ? node.get("Ref").asText()
                    : node.has("Fn::GetAtt") ? node.get("Fn::GetAtt").get(0).asText() : null;
            if (target != null && conditional.containsKey(target) && !conditional.get(target).equals(guard)) {
                dangling.add(path + " -> " + target);
            }
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("DependsOn")) {
                    f.getValue().forEach(d -> {
                        if (conditional.containsKey(d.asText()) && !conditional.get(d.asText()).equals(guard)) {
                            dangling.add(path + " DependsOn " + d.asText());
                        }
                    });
                } else {
                    danglingReferences(f.getValue(), conditional, guard, path, dangling);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> danglingReferences(n, conditional, guard, path, dangling));
        }
    }

    @Test
    void theDetector_findsTheLiteralsOfATemplatePinnedToAnEnvironment() {
        // given the stack pinned to us-east-1 as the app did before (CDK_DEFAULT_REGION without credentials)
        App app = TestStacks.app(Map.of("guardedTrails", "management-events"));
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app,
                Environment.builder().account(TestStacks.ACCOUNT).region("us-east-1").build());

        // then the same walk finds the literals in IAM policies, KMS conditions and ARNs
        List<String> literals = literals(TestStacks.tree(Template.fromStack(stacks.guard())));
        System.out.printf("pinned template: %d literal regions, %d literal account ids%n",
                literals.stream().filter(l -> l.endsWith("us-east-1")).count(),
                literals.stream().filter(l -> l.endsWith(TestStacks.ACCOUNT)).count());
        assertThat(literals).hasSizeGreaterThan(20).anyMatch(l -> l.contains("us-east-1"))
                .anyMatch(l -> l.contains(TestStacks.ACCOUNT));
    }

    /** Every literal region or 12-digit account in the template, with its path, outside Conditions and descriptions. */
    static List<String> literals(JsonNode template) {
        List<String> found = new ArrayList<>();
        template.fields().forEachRemaining(section -> {
            if (!section.getKey().equals("Conditions")) {
                walk(section.getValue(), section.getKey(), found);
            }
        });
        return found;
    }

    private static void walk(JsonNode node, String path, List<String> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("Description")) {
                    walk(field.getValue(), path + "." + field.getKey(), found);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", found);
            }
        } else if (node.isTextual()) {
            for (Pattern pattern : List.of(REGION, ACCOUNT)) {
                Matcher m = pattern.matcher(node.asText());
                while (m.find()) {
                    found.add(path + ": " + m.group());
                }
            }
        }
    }
}
