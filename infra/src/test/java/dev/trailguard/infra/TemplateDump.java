package dev.trailguard.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Not a test: a tool for refactorings that must not change what is deployed. It writes both stacks' templates, for the
 * contexts {@link LogicalIdSnapshotTest} pins, with what changes with the code masked (the jar's asset hash and the
 * {@code AWS::Lambda::Version} ids), so that two checkouts can be compared with {@code diff -r}:
 * <pre>
 * mvn -B -o -pl infra test -Dtest=TemplateDump -Dtrailguard.dumpTemplates=/tmp/before   # on the old commit
 * mvn -B -o -pl infra test -Dtest=TemplateDump -Dtrailguard.dumpTemplates=/tmp/after    # on the new one
 * diff -r /tmp/before /tmp/after
 * </pre>
 */
@EnabledIfSystemProperty(named = "trailguard.dumpTemplates", matches = ".+")
class TemplateDump {

    @ParameterizedTest
    @ValueSource(strings = {"default", "all-options"})
    void dump(String name) throws IOException {
        TrailGuardApp.Stacks stacks = TestStacks.stacks(TestStacks.app(LogicalIdSnapshotTest.context(name)));
        List<Stack> all = new ArrayList<>(List.of(stacks.guard()));
        if (stacks.guardrail() != null) {
            all.add(stacks.guardrail());
        }
        Path dir = Path.of(System.getProperty("trailguard.dumpTemplates"), name);
        Files.createDirectories(dir);
        for (Stack stack : all) {
            // Keys sorted: Java's Map.of iterates in an order that changes from one JVM to the next.
            Object content = TestStacks.JSON.convertValue(masked(TestStacks.tree(Template.fromStack(stack))), Object.class);
            String text = TestStacks.JSON.writer(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .withDefaultPrettyPrinter().writeValueAsString(content);
            Files.writeString(dir.resolve(stack.getStackName() + ".json"), text);
        }
    }

    private static JsonNode masked(JsonNode template) {
        ObjectNode resources = (ObjectNode) template.path("Resources");
        List<String> versions = new ArrayList<>();
        resources.fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::Lambda::Version")) {
                versions.add(r.getKey());
            }
        });
        String text = template.toString();
        for (String version : versions) {
            text = text.replace(version, "<version>");
        }
        text = text.replaceAll("[0-9a-f]{64}\\.jar", "<jar>");
        try {
            JsonNode out = TestStacks.JSON.readTree(text);
            ((ObjectNode) out.path("Resources")).remove("<version>");
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
