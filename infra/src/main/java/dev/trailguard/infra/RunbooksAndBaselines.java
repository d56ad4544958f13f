package dev.trailguard.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Runbooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.services.ssm.CfnDocument;
import software.amazon.awscdk.services.ssm.ParameterTier;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * TrailGuard's Automation runbooks (from {@code runbooks/}, by the names the functions start them with) and the
 * declared trail baselines, one SSM parameter per trail.
 */
final class RunbooksAndBaselines extends Construct implements LegacyIds.Group {

    private final GuardStackProps props;

    RunbooksAndBaselines(final Construct scope, final String id, final GuardStackProps props) {
        super(scope, id);
        this.props = props;
        createRunbooks();
        createDeclaredBaselines();
    }


    private void createRunbooks() {
        addRunbooks(this, props.runbookDir());
    }

    /**
     * One Automation document per runbook file; the functions start them by these exact names. The single-account
     * stack and the member accounts' stacks deploy the same documents.
     */
    static void addRunbooks(Construct scope, String runbookDir) {
        YAMLMapper yaml = new YAMLMapper();
        for (String name : Runbooks.TRAILGUARD) {
            Path file = Path.of(runbookDir, name + ".yaml");
            Map<String, Object> content;
            try {
                content = yaml.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read runbook " + file.toAbsolutePath(), e);
            }
            CfnDocument.Builder.create(scope, name.substring(Runbooks.NAME_PREFIX.length()) + "Runbook")
                    .name(name)
                    .documentType("Automation")
                    .documentFormat("YAML")
                    // An object, not a string: CloudFormation hands SSM the document as data.
                    .content(content)
                    // A named document cannot be replaced in place; a change becomes its new default version.
                    .updateMethod("NewVersion")
                    .build();
        }
    }

    /** One parameter per declared baseline; TrailGuard only reads them, and the SCP lets only deployments write them. */
    private void createDeclaredBaselines() {
        props.trailBaselines().forEach((trail, json) -> StringParameter.Builder.create(this, "Baseline-" + trail)
                .parameterName(Environment.DEFAULT_BASELINE_PARAMETER_PREFIX + trail)
                .description("TrailGuard: declared baseline of trail " + trail)
                .stringValue(json)
                // Intelligent-Tiering: Standard while the value fits in 4 KB, Advanced above, and never back down: SSM
                // cannot turn an Advanced parameter into a Standard one, so an explicit Standard after shrinking a
                // baseline below 4 KB would fail the update and roll the stack back.
                .tier(ParameterTier.INTELLIGENT_TIERING)
                .build());
    }
}
