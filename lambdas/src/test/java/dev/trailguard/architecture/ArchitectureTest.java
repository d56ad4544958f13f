package dev.trailguard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of the lambdas module (README, "Architecture"), checked on the compiled main classes:
 *
 * <pre>
 * wiring       handler (the four Lambda handlers, Dependencies, the shared edge), priming, cli
 *   |  \
 *   |   adapters     aws: every AWS SDK call, behind the ports below
 *   |     |
 * features   tamper, guard, backstop, report, delivery: one response each; they never import each other
 *   |
 * capabilities   restore, remediation, notify, edge, member, drill: what several features share
 *   |
 * kernel   core (Outcome, CallFailedException), event, trail, config, logging
 * </pre>
 */
class ArchitectureTest {

    private static final String ROOT = "dev.trailguard";
    private static final List<String> FEATURES = List.of("tamper", "guard", "backstop", "report", "delivery");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packages_shouldBeFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void featurePackages_shouldNotImportEachOther() {
        for (String feature : FEATURES) {
            String[] others = FEATURES.stream().filter(f -> !f.equals(feature)).map(f -> ROOT + "." + f + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + "." + feature + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("a feature is one response; what two features share belongs in a capability package")
                    .check(classes);
        }
    }

    @Test
    void onlyTheAdapterPackage_shouldUseTheAwsSdk() {
        noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(ROOT + ".aws..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .because("AWS calls go through the ports that the aws package implements, so that the feature code "
                        + "is tested without the SDK and every call's failure is one CallFailedException")
                .check(classes);
    }

    @Test
    void layers_shouldOnlyBeUsedFromAbove() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Kernel").definedBy(ROOT + ".core..", ROOT + ".event..", ROOT + ".trail..",
                        ROOT + ".config..", ROOT + ".logging..", ROOT + ".contract..")
                .layer("Capabilities").definedBy(ROOT + ".restore..", ROOT + ".remediation..", ROOT + ".notify..",
                        ROOT + ".edge..", ROOT + ".member..", ROOT + ".drill..")
                .layer("Features").definedBy(FEATURES.stream().map(f -> ROOT + "." + f + "..")
                        .toArray(String[]::new))
                .layer("Adapters").definedBy(ROOT + ".aws..")
                .layer("Wiring").definedBy(ROOT + ".handler..", ROOT + ".priming..", ROOT + ".cli..")
                .whereLayer("Wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Capabilities").mayOnlyBeAccessedByLayers("Features", "Adapters", "Wiring")
                .check(classes);
    }
}
