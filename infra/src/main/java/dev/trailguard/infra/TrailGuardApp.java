package dev.trailguard.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app that {@code cdk.json} runs. {@link #createStacks} is the one factory for the stacks;
 * the tests build their templates through it too.
 */
public final class TrailGuardApp {

    public static final String GUARD_STACK_NAME = "TrailGuard";
    public static final String GUARDRAIL_STACK_NAME = "TrailGuardGuardrail";
    /** Where the lambdas module puts the jar, relative to the repository root (where cdk runs). */
    public static final String DEFAULT_LAMBDA_JAR = "lambdas/target/trailguard-lambdas.jar";
    /** Where the SSM Automation runbooks live, relative to the repository root. */
    public static final String DEFAULT_RUNBOOK_DIR = "runbooks";

    private TrailGuardApp() {
    }

    /**
     * The stacks of one app.
     *
     * @param guard     the per-account, per-region stack
     * @param guardrail the SCP stack, or {@code null} when context {@code organizationTargetIds} is not set
     */
    public record Stacks(GuardStack guard, GuardrailStack guardrail) { }

    public static void main(final String[] args) {
        App app = new App();
        // Unset variables leave account and region as deploy-time tokens, so synth needs no credentials.
        Environment env = Environment.builder()
                .account(blankToNull(System.getenv("CDK_DEFAULT_ACCOUNT")))
                .region(blankToNull(System.getenv("CDK_DEFAULT_REGION")))
                .build();
        createStacks(app, env, System.getProperty("trailguard.lambdaJar", DEFAULT_LAMBDA_JAR),
                System.getProperty("trailguard.runbookDir", DEFAULT_RUNBOOK_DIR));
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
    }

    /** Adds TrailGuard's stacks, configured from the app's context, to {@code app}. */
    public static Stacks createStacks(final App app, final Environment env, final String lambdaJar,
            final String runbookDir) {
        Tags.of(app).add("application", "trailguard");
        GuardStack guard = new GuardStack(app, GUARD_STACK_NAME, GuardStackProps.fromContext(
                StackProps.builder()
                        .env(env)
                        .description("TrailGuard: keeps AWS CloudTrail recording in this account and region")
                        .build(),
                lambdaJar,
                runbookDir,
                app.getNode()));
        GuardrailStackProps guardrailProps = GuardrailStackProps.fromContext(
                StackProps.builder()
                        .env(env)
                        .description("TrailGuard guardrail: SCP against CloudTrail tampering (management account)")
                        .build(),
                GUARD_STACK_NAME,
                app.getNode());
        GuardrailStack guardrail = guardrailProps == null ? null
                : new GuardrailStack(app, GUARDRAIL_STACK_NAME, guardrailProps);
        return new Stacks(guard, guardrail);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
