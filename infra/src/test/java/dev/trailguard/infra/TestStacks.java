package dev.trailguard.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Template;

/** Builds the stacks through the app's own factory, with a fixed account and region. */
final class TestStacks {

    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-east-1";
    static final ObjectMapper JSON = new ObjectMapper();

    private TestStacks() {
    }

    /** An app with cdk.json's feature flags (what {@code cdk synth} uses) and the given context. */
    static App app(Map<String, Object> context) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(FEATURE_FLAGS);
        all.putAll(context);
        return new App(AppProps.builder().context(all).build());
    }

    /** The {@code @aws-cdk/...} feature flags of cdk.json's context. */
    static final Map<String, Object> FEATURE_FLAGS = featureFlags();

    private static Map<String, Object> featureFlags() {
        try {
            JsonNode context = JSON.readTree(new java.io.File("../cdk.json")).path("context");
            Map<String, Object> flags = new java.util.LinkedHashMap<>();
            context.fields().forEachRemaining(field -> {
                if (field.getKey().startsWith("@aws-cdk")) {
                    flags.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
                }
            });
            return java.util.Collections.unmodifiableMap(flags);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static TrailGuardApp.Stacks stacks(App app) {
        return stacks(app, REGION);
    }

    static TrailGuardApp.Stacks stacks(App app, String region) {
        return stacks(app, Environment.builder().account(ACCOUNT).region(region).build());
    }

    /** The stacks as the app builds them for this environment ({@code null}: environment-agnostic). */
    static TrailGuardApp.Stacks stacks(App app, Environment env) {
        String jar = System.getProperty("trailguard.lambdaJar", "../" + TrailGuardApp.DEFAULT_LAMBDA_JAR);
        String runbooks = System.getProperty("trailguard.runbookDir", "../" + TrailGuardApp.DEFAULT_RUNBOOK_DIR);
        return TrailGuardApp.createStacks(app, env, jar, runbooks);
    }

    /** A rendered template string with the pseudo parameters of us-east-1 in the fixtures' account. */
    static String pseudo(String text) {
        return text.replace("${AWS::Partition}", "aws").replace("${AWS::AccountId}", ACCOUNT)
                .replace("${AWS::Region}", REGION).replace("${AWS::URLSuffix}", "amazonaws.com");
    }

    static Template guardTemplate(Map<String, Object> context) {
        return Template.fromStack(stacks(app(context)).guard());
    }

    /** The template as a Jackson tree, for walking it. */
    static JsonNode tree(Template template) {
        return JSON.valueToTree(template.toJSON());
    }

    /** Logical id to resource, for every resource of {@code type}. */
    /**
     * The deployed rule definitions ({@code /trailguard/rules/<name>} parameters) by the rendered rule name that
     * follows the prefix ({@code ${<rule logical id>}} for a generated name).
     */
    static Map<String, JsonNode> ruleDefinitions(JsonNode tree) {
        Map<String, JsonNode> definitions = new LinkedHashMap<>();
        resources(tree, "AWS::SSM::Parameter").values().forEach(p -> {
            String name = render(p.path("Properties").path("Name"));
            if (name.startsWith(GuardStack.RULE_DEFINITION_PREFIX)) {
                definitions.put(name.substring(GuardStack.RULE_DEFINITION_PREFIX.length()), p);
            }
        });
        return definitions;
    }

    static Map<String, JsonNode> resources(JsonNode tree, String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = tree.path("Resources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        }
        return found;
    }

    static String typeOf(JsonNode tree, String logicalId) {
        return tree.path("Resources").path(logicalId).path("Type").asText();
    }

    /** The logical id of the function whose handler is {@code handler}. */
    static String functionId(JsonNode tree, String handler) {
        return resources(tree, "AWS::Lambda::Function").entrySet().stream()
                .filter(e -> handler.equals(e.getValue().path("Properties").path("Handler").asText()))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no function with handler " + handler));
    }

    /** The logical id of the role a function runs as. */
    static String roleIdOfFunction(JsonNode tree, String functionId) {
        return tree.path("Resources").path(functionId).path("Properties").path("Role").path("Fn::GetAtt").get(0).asText();
    }

    /** Every statement of every policy attached to the role with {@code roleId}. */
    static List<JsonNode> statementsOfRole(JsonNode tree, String roleId) {
        List<JsonNode> statements = new ArrayList<>();
        resources(tree, "AWS::IAM::Policy").values().forEach(policy -> {
            for (JsonNode role : policy.path("Properties").path("Roles")) {
                if (roleId.equals(role.path("Ref").asText())) {
                    policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
                }
            }
        });
        tree.path("Resources").path(roleId).path("Properties").path("Policies")
                .forEach(p -> p.path("PolicyDocument").path("Statement").forEach(statements::add));
        return statements;
    }

    /** A JSON field that may hold one string or a list of them. */
    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.isTextual() ? n.asText() : n.toString()));
        } else if (!node.isMissingNode()) {
            values.add(node.isTextual() ? node.asText() : node.toString());
        }
        return values;
    }

    /** Flattens an Fn::Join of literals and pseudo-parameter Refs into a readable ARN. */
    static String render(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.has("Fn::Join")) {
            StringBuilder out = new StringBuilder();
            value.get("Fn::Join").get(1).forEach(part -> out.append(render(part)));
            return out.toString();
        }
        if (value.has("Ref")) {
            return "${" + value.get("Ref").asText() + "}";
        }
        if (value.has("Fn::GetAtt")) {
            return "${" + value.get("Fn::GetAtt").get(0).asText() + "." + value.get("Fn::GetAtt").get(1).asText() + "}";
        }
        return value.toString();
    }

    static List<String> renderAll(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(render(n)));
        } else if (!node.isMissingNode()) {
            values.add(render(node));
        }
        return values;
    }

    /** A sample event from the repository's events/ folder (copied to the test classpath). */
    static String event(String path) {
        try (InputStream in = TestStacks.class.getResourceAsStream("/events/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
