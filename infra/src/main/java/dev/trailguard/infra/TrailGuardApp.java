package dev.trailguard.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Node;
import java.util.regex.Pattern;

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

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private TrailGuardApp() {
    }

    public static final String HUB_STACK_NAME = OrganizationProps.HUB_NAME;
    public static final String MEMBERS_STACK_NAME = "TrailGuardMembers";
    public static final String MANAGEMENT_MEMBER_STACK_NAME = "TrailGuardManagementMember";

    /**
     * The stacks of one app.
     *
     * @param guard        the per-account, per-region stack
     * @param guardrail    the SCP stack, or {@code null} when context {@code organizationTargetIds} is not set
     * @param organization the organization-mode stacks, or {@code null} when the hub's context keys are not set
     */
    public record Stacks(GuardStack guard, GuardrailStack guardrail, OrganizationStacks organization) {

        public Stacks(GuardStack guard, GuardrailStack guardrail) {
            this(guard, guardrail, null);
        }

        /** Every stack of the app. */
        public java.util.List<Stack> all() {
            java.util.List<Stack> all = new java.util.ArrayList<>(java.util.List.of(guard));
            if (guardrail != null) {
                all.add(guardrail);
            }
            if (organization != null) {
                all.addAll(java.util.List.of(organization.hub(), organization.members(), organization.management()));
            }
            return all;
        }
    }

    /**
     * Organization mode's stacks.
     *
     * @param hub        the hub, in the security tooling account (delegated administrator) and hub region
     * @param members    the member stack sets, deployed from the same account and region
     * @param management the member for the management account, where stack sets never deploy
     */
    public record OrganizationStacks(HubStack hub, MembersStack members, ManagementMemberStack management) { }

    public static void main(final String[] args) {
        App app = new App();
        createStacks(app, environment(app.getNode()), System.getProperty("trailguard.lambdaJar", DEFAULT_LAMBDA_JAR),
                System.getProperty("trailguard.runbookDir", DEFAULT_RUNBOOK_DIR));
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
    }

    /**
     * The account and region the user named explicitly (context {@code account} and {@code region}, both or neither),
     * or {@code null}: an environment-agnostic template that works in any account and region. The CDK CLI's
     * {@code CDK_DEFAULT_ACCOUNT}/{@code CDK_DEFAULT_REGION} are deliberately not used: without credentials the CLI
     * sets the region to us-east-1, and a template pinned to it would be silently denied its calls anywhere else
     * (a pipeline, a StackSet, another region).
     */
    public static Environment environment(final Node node) {
        ContextValues context = new ContextValues(node);
        String account = context.string("account");
        String region = context.string("region");
        if (account == null && region == null) {
            return null;
        }
        if (account == null || region == null) {
            throw new IllegalArgumentException("context account and region go together: name both, or neither for a"
                    + " template that deploys to any account and region");
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("context account must be a 12-digit AWS account id, was " + account);
        }
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("context region must be an AWS region such as eu-west-1, was " + region);
        }
        return Environment.builder().account(account).region(region).build();
    }

    /**
     * Adds TrailGuard's stacks, configured from the app's context, to {@code app}.
     *
     * @param env the account and region, or {@code null} for environment-agnostic stacks (the default)
     */
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
        OrganizationProps org = OrganizationProps.fromContext(app.getNode());
        return new Stacks(guard, guardrail, org == null ? null : createOrganizationStacks(app, org, lambdaJar,
                runbookDir));
    }

    /**
     * The hub and the member stack sets are pinned to the hub account and region: deployed with any other account's
     * credentials they would be refused by the CDK CLI rather than guard nothing. The management account's member is
     * environment-agnostic (it is deployed in each region of the management account that needs forwarding).
     */
    private static OrganizationStacks createOrganizationStacks(App app, OrganizationProps org, String lambdaJar,
            String runbookDir) {
        Environment hubEnv = Environment.builder().account(org.hubAccount()).region(org.hubRegion()).build();
        HubStack hub = new HubStack(app, HUB_STACK_NAME, StackProps.builder()
                .env(hubEnv)
                .description("TrailGuard hub: keeps AWS CloudTrail recording in every account of the organization")
                .build(),
                GuardStackProps.fromContext(StackProps.builder().build(), lambdaJar, runbookDir, app.getNode())
                        .forHub(org.drill().enabled()),
                org);
        MembersStack members = new MembersStack(app, MEMBERS_STACK_NAME, StackProps.builder()
                .env(hubEnv)
                .description("TrailGuard members: service-managed stack sets of the member accounts' rules, runbooks"
                        + " and roles")
                .build(), org, runbookDir);
        ManagementMemberStack management = new ManagementMemberStack(app, MANAGEMENT_MEMBER_STACK_NAME,
                StackProps.builder()
                        .description("TrailGuard member for the organization's management account")
                        .build(), org, runbookDir);
        return new OrganizationStacks(hub, members, management);
    }

}
