package dev.trailguard.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.BootstraplessSynthesizer;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;
import software.constructs.Construct;

/**
 * A member template, for a StackSet's {@code TemplateBody}: a CDK stack synthesized in its own app (never deployed by
 * the CDK, so {@code cdk deploy} cannot pick it up), with the outer app's feature flags, without CDK metadata (it breaks
 * StackSets in some regions) or a bootstrap version rule (member accounts are not bootstrapped), and with a synthesizer
 * that refuses file assets: a member carries no code. cdk-nag runs over it like over every other stack, and synth
 * fails on any finding left unacknowledged, or when the body exceeds what CloudFormation accepts inline.
 */
final class MemberTemplate {

    /** CloudFormation's limit for a template passed inline ({@code TemplateBody}), in bytes. */
    static final int MAX_TEMPLATE_BODY_BYTES = 51_200;

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS,
            true);

    private final Stack stack;
    private final String body;

    private MemberTemplate(Stack stack, String body) {
        this.stack = stack;
        this.body = body;
    }

    /** The synthesized stack, for tests and for the nag report of its own app. */
    Stack stack() {
        return stack;
    }

    /** Minified JSON with sorted keys: the same input gives the same body, so a redeploy updates no stack instance. */
    String body() {
        return body;
    }

    /**
     * Synthesizes a member template.
     *
     * @param scope    the stack set's scope: the member template gets its app's context and writes its cloud assembly
     *                 beside that app's ({@code <outdir>/member-templates/<name>}, for inspection)
     * @param name     the template's stack name (what a StackSet's stack instances are not named after)
     * @param contents adds the member resources to the stack
     */
    static MemberTemplate synthesize(Construct scope, String name, String description, Consumer<Stack> contents) {
        Map<String, Object> context = new LinkedHashMap<>();
        Object all = scope.getNode().getAllContext();
        if (all instanceof Map<?, ?> map) {
            map.forEach((key, value) -> context.put(key.toString(), value));
        }
        String outdir = Path.of(Stage.of(scope).getOutdir(), "member-templates", name).toString();
        App app = new App(AppProps.builder().context(context).outdir(outdir).analyticsReporting(false).build());
        Stack stack = new Stack(app, name, StackProps.builder()
                .description(description)
                .analyticsReporting(false)
                .synthesizer(new BootstraplessSynthesizer())
                .build());
        contents.accept(stack);
        Aspects.of(app).add(new AwsSolutionsChecks());
        CloudAssembly assembly = app.synth();
        CloudFormationStackArtifact artifact = assembly.getStackByName(name);
        List<String> findings = artifact.getMessages().stream()
                .filter(m -> m.getLevel() == SynthesisMessageLevel.ERROR || m.getLevel() == SynthesisMessageLevel.WARNING)
                .map(MemberTemplate::describe)
                .toList();
        if (!findings.isEmpty()) {
            throw new IllegalStateException("member template " + name + " has unacknowledged findings: " + findings);
        }
        if (!artifact.getAssets().isEmpty() || hasAssets(outdir)) {
            throw new IllegalStateException("member template " + name + " has assets: a member must carry no code");
        }
        String body;
        try {
            body = JSON.writeValueAsString(artifact.getTemplate());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("member template " + name + " is not serializable", e);
        }
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TEMPLATE_BODY_BYTES) {
            throw new IllegalStateException("member template " + name + " is " + bytes + " bytes, over the "
                    + MAX_TEMPLATE_BODY_BYTES + " bytes CloudFormation accepts as TemplateBody");
        }
        return new MemberTemplate(stack, body);
    }

    /**
     * Whether an asset manifest of the assembly lists a file (other than a stack's own template) or an image: the
     * synthesizer above refuses assets already, this catches a synthesizer that does not.
     */
    private static boolean hasAssets(String outdir) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of(outdir))) {
            for (Path manifest : files.filter(f -> f.getFileName().toString().endsWith(".assets.json")).toList()) {
                JsonNode contents = JSON.readTree(manifest.toFile());
                if (!contents.path("dockerImages").isEmpty()) {
                    return true;
                }
                for (JsonNode file : contents.path("files")) {
                    if (!file.path("source").path("path").asText().endsWith(".template.json")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }
}
