package dev.trailguard.infra;

import dev.trailguard.contract.Functions;

import static dev.trailguard.infra.GuardStack.AUTOMATION_ROLE_ID;
import static dev.trailguard.infra.GuardStack.BASELINE_PARAMETER_PREFIX;
import static dev.trailguard.infra.GuardStack.RULE_DEFINITION_PREFIX;
import static dev.trailguard.infra.GuardStack.FUNCTIONS;
import static dev.trailguard.infra.GuardStack.RUNBOOK;
import static dev.trailguard.infra.GuardStack.TRAILGUARD_RUNBOOKS;
import static dev.trailguard.infra.GuardStack.TRAIL_RESTORE_ACTIONS;

import dev.trailguard.contract.Runbooks;
import dev.trailguard.infra.GuardStack.Duty;
import dev.trailguard.infra.GuardStack.FunctionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The automation role (trusted by {@code ssm.amazonaws.com} for this account's executions only, allowed exactly the
 * calls TrailGuard's runbooks make) and one least-privilege execution role per function. Each role's statements say
 * why it needs what it gets; {@code IamPolicyTest} and {@code LeastPrivilegeTest} hold them to the functions' calls.
 */
final class GuardRoles extends Construct implements LegacyIds.Group {

    /**
     * How the roles differ between the single-account stack and the hub.
     *
     * @param functionRoleName the fixed name of a function's role, or {@code null} for names CloudFormation generates
     * @param automationRole   the role the runbooks run as in this account if it exists already (the hub's account is
     *                         a member: its automation role comes with the member roles), {@code null} to create one
     * @param runbookRegion    the region of the runbook documents, baselines and reported executions the functions
     *                         use in this account: {@code null} for the stack's region, {@code "*"} where the documents
     *                         exist in every member region
     */
    record Options(java.util.function.Function<String, String> functionRoleName, IRole automationRole,
                   String runbookRegion) {
        /** The single-account stack: generated names, its own automation role, its own region. */
        static final Options SINGLE_ACCOUNT = new Options(null, null, null);
    }

    /**
     * An automation role's grants.
     *
     * @param roleName       a fixed name, or {@code null} for one CloudFormation generates
     * @param trailArns      the trails the runbooks may restore, restart and recreate
     * @param logsRoleArns   CloudWatch Logs delivery roles CloudTrail may be handed back
     * @param ruleArnPattern TrailGuard's rules that TrailGuard-EnableRule may re-enable
     * @param extra          statements beyond the single-account role's (the management account's organization trail)
     */
    record AutomationRoleSpec(String roleName, List<String> trailArns, List<String> logsRoleArns, String ruleArnPattern,
                              List<PolicyStatement> extra) { }

    private final GuardStackProps props;
    private final Topic topic;
    private final Topic secondChannel;
    private final String resourcePrefix;
    private final Options options;
    private final IRole automationRole;
    private final Map<String, Role> functionRoles;

    GuardRoles(final Construct scope, final String id, final GuardStackProps props, final Topic topic,
            final Topic secondChannel) {
        this(scope, id, props, topic, secondChannel, Options.SINGLE_ACCOUNT);
    }

    GuardRoles(final Construct scope, final String id, final GuardStackProps props, final Topic topic,
            final Topic secondChannel, final Options options) {
        super(scope, id);
        this.props = props;
        this.topic = topic;
        this.secondChannel = secondChannel;
        this.options = options;
        this.resourcePrefix = Stack.of(this).getStackName();
        this.automationRole = options.automationRole() != null ? options.automationRole()
                : automationRole(this, AUTOMATION_ROLE_ID, new AutomationRoleSpec(null, guardedTrailArns(),
                        props.trailCloudWatchLogsRoleArns(), ownRulesArn(), List.of()));
        this.functionRoles = createFunctionRoles();
    }

    IRole automationRole() {
        return automationRole;
    }

    /** Function name to its execution role, in {@link GuardStack#FUNCTIONS} order. */
    Map<String, Role> functionRoles() {
        return functionRoles;
    }


    /**
     * The role SSM Automation runs TrailGuard's runbooks and AWS-ConfigureCloudTrailLogging as: trusted by
     * {@code ssm.amazonaws.com} for this account's executions only, allowed exactly the calls the runbooks make. The
     * single-account stack and every member account build it here, so its trust is the same everywhere.
     */
    static Role automationRole(Construct scope, String id, AutomationRoleSpec spec) {
        Stack stack = Stack.of(scope);
        // Systems Manager runs the runbook, so the role must trust ssm.amazonaws.com (a role that
        // trusts config.amazonaws.com fails with "The defined assume role is unable to be assumed").
        ServicePrincipal ssm = new ServicePrincipal("ssm.amazonaws.com");
        Role.Builder builder = Role.Builder.create(scope, id)
                .description("TrailGuard: assumed by SSM Automation to run " + RUNBOOK + " and TrailGuard's runbooks")
                .assumedBy(ssm.withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", automationExecutionArn(stack, "*")))));
        if (spec.roleName() != null) {
            builder.roleName(spec.roleName());
        }
        Role role = builder.build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("RestoreGuardedTrails")
                // StartLogging for AWS-ConfigureCloudTrailLogging; the rest for TrailGuard-RestoreTrail/-RecreateTrail.
                .actions(TRAIL_RESTORE_ACTIONS)
                .resources(spec.trailArns())
                .build());
        role.addToPolicy(describeTrails());
        if (!spec.logsRoleArns().isEmpty()) {
            // UpdateTrail/CreateTrail hand CloudTrail the trail's CloudWatch Logs delivery role again.
            role.addToPolicy(PolicyStatement.Builder.create()
                    .sid("PassTrailCloudWatchLogsRoles")
                    .actions(List.of("iam:PassRole"))
                    .resources(spec.logsRoleArns())
                    .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "cloudtrail.amazonaws.com")))
                    .build());
        }
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("EnableTrailGuardRules")
                // TrailGuard-EnableRule, on TrailGuard's own rules in this region only.
                .actions(List.of("events:EnableRule", "events:DescribeRule"))
                .resources(List.of(spec.ruleArnPattern()))
                .build());
        spec.extra().forEach(role::addToPolicy);
        return role;
    }

    private Map<String, Role> createFunctionRoles() {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (FunctionSpec spec : FUNCTIONS) {
            Role.Builder builder = Role.Builder.create(this, spec.name() + "Role")
                    .description("TrailGuard: execution role of " + spec.name())
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"));
            if (options.functionRoleName() != null) {
                builder.roleName(options.functionRoleName().apply(spec.name()));
            }
            Role role = builder.build();
            role.addToPolicy(describeTrails());
            role.addToPolicy(PolicyStatement.Builder.create()
                    .sid("ReadGuardedTrailStatus")
                    .actions(List.of("cloudtrail:GetTrailStatus"))
                    .resources(guardedTrailArns())
                    .build());
            // grantPublish also grants kms:Decrypt and kms:GenerateDataKey* on the topic's key.
            topic.grantPublish(role);
            if (spec.duty() == Duty.REMEDIATE) {
                grantStartRunbook(role);
                if (spec.name().equals("TamperResponder")) {
                    role.addToPolicy(PolicyStatement.Builder.create()
                            .sid("CountRepeatedTampering")
                            // Counts this actor's recent runbook executions (by tag key) to escalate repeated
                            // StopLogging; DescribeAutomationExecutions supports no resource-level permissions.
                            .actions(List.of("ssm:DescribeAutomationExecutions"))
                            .resources(List.of("*"))
                            .build());
                    role.addToPolicy(PolicyStatement.Builder.create()
                            .sid("VerifyOwnExecutions")
                            // Loop guard: a call by the automation role is TrailGuard's own only inside an execution
                            // that one of TrailGuard's functions started (any region: trails have home regions).
                            .actions(List.of("ssm:GetAutomationExecution"))
                            .resources(List.of("arn:" + Stack.of(this).getPartition() + ":ssm:*:" + Stack.of(this).getAccount()
                                    + ":automation-execution/*"))
                            .build());
                    grantRestore(role, TRAILGUARD_RUNBOOKS);
                    grantDeliveryRepairs(role);
                    grantSelfRepair(role);
                } else {
                    // Every restart is reconciled with the baseline first, and a trail that differs is restored (or
                    // recreated) instead; TrailGuard-EnableRule stays the event path's.
                    grantRestore(role, List.of(Runbooks.RESTORE_TRAIL, Runbooks.RECREATE_TRAIL));
                }
                grantCompareWithBaseline(role);
                if (spec.name().equals(Functions.TRAIL_SWEEPER) && props.fireDrill().enabled()) {
                    role.addToPolicy(PolicyStatement.Builder.create()
                            .sid("ListDrillExecutions")
                            // At the fire drill's deadline: was a runbook started for the drill at all (by the drill
                            // role's actor tag)? A list call: no resource-level permissions.
                            .actions(List.of("ssm:DescribeAutomationExecutions"))
                            .resources(List.of("*"))
                            .build());
                }
            } else {
                role.addToPolicy(PolicyStatement.Builder.create()
                        .sid("ReadAutomationResults")
                        .actions(List.of("ssm:GetAutomationExecution"))
                        // Status events only reach this region's bus, so only this region's executions.
                        .resources(List.of("arn:" + Stack.of(this).getPartition() + ":ssm:" + runbookRegion() + ":" + Stack.of(this).getAccount()
                                + ":automation-execution/*"))
                        .build());
                // "Restored" only after the trail matches its baseline, not the parameters the execution was given.
                grantCompareWithBaseline(role);
                grantReadBaselines(role);
                if (props.fireDrill().enabled()) {
                    role.addToPolicy(PolicyStatement.Builder.create()
                            .sid("ReadDrillTags")
                            // Only for a run on the canary: its tags carry the drill's stop and arrival times.
                            .actions(List.of("ssm:ListTagsForResource"))
                            .resources(List.of("arn:" + Stack.of(this).getPartition() + ":ssm:" + runbookRegion() + ":"
                                    + Stack.of(this).getAccount() + ":automation-execution/*"))
                            .build());
                }
            }
            roles.put(spec.name(), role);
        }
        return roles;
    }

    private void grantStartRunbook(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("StartLoggingWhenSsmIsFull")
                // Only when SSM refuses the runbook for capacity (an attacker can fill the automation quota and
                // queue first): the function then starts the guarded trail's logging itself (docs/restore.md).
                .actions(List.of("cloudtrail:StartLogging"))
                .resources(guardedTrailArns())
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("StartTheRunbook")
                .actions(List.of("ssm:StartAutomationExecution"))
                // Any region: a trail is restarted in its home region. AWS-owned runbooks have no
                // account id in their ARN; the execution is created in this account.
                .resources(List.of(
                        "arn:" + Stack.of(this).getPartition() + ":ssm:*::automation-definition/" + RUNBOOK + ":*",
                        "arn:" + Stack.of(this).getPartition() + ":ssm:*::document/" + RUNBOOK,
                        automationExecutionArn("*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("TagTheExecution")
                // StartAutomationExecution with Tags also authorizes ssm:AddTagsToResource on the new execution.
                .actions(List.of("ssm:AddTagsToResource"))
                .resources(List.of(automationExecutionArn("*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PassTheAutomationRole")
                .actions(List.of("iam:PassRole"))
                .resources(List.of(automationRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ssm.amazonaws.com")))
                .build());
    }

    /**
     * What a remediating function needs to restore trails (and, for the TamperResponder, re-enable rules): start
     * TrailGuard's own runbooks (in this region: UpdateTrail, PutEventSelectors and DeleteTrail are called, and so
     * recorded, in the trail's home region; the backstops act on the trails homed here; a disabled rule is one of this
     * stack's), and read the two baseline sources.
     */
    private void grantRestore(Role role, List<String> runbooks) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("StartTrailGuardRunbooks")
                .actions(List.of("ssm:StartAutomationExecution"))
                .resources(runbooks.stream().map(name -> "arn:" + Stack.of(this).getPartition() + ":ssm:" + runbookRegion() + ":"
                        + Stack.of(this).getAccount() + ":automation-definition/" + name + ":*").toList())
                .build());
        grantReadBaselines(role);
    }

    /**
     * The delivery response (docs/restore.md): it reads the guarded trails' buckets and keys, cancels a key deletion
     * and enables a key (this account's keys: both only undo), writes back a bucket policy or lifecycle (only to
     * the buckets whose declared baseline holds one), and restarts CloudTrail Lake ingestion and the Config recorder.
     */
    private void grantDeliveryRepairs(Role role) {
        String partition = Stack.of(this).getPartition();
        String account = Stack.of(this).getAccount();
        // cloudtrail:GetTrail (a trail's bucket and key now) comes with grantCompareWithBaseline.
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("RestartLakeIngestion")
                .actions(List.of("cloudtrail:StartEventDataStoreIngestion", "cloudtrail:RestoreEventDataStore"))
                .resources(List.of("arn:" + partition + ":cloudtrail:*:" + account + ":eventdatastore/*"))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("RestartConfigRecorder")
                // The recorder's ARN carries an id Config generates; its name is all an event gives.
                .actions(List.of("config:StartConfigurationRecorder"))
                .resources(List.of("*"))
                .build());
        // A trail's key is known at run time (its baseline in Config, its settings now), not always at synth; the two
        // actions only make a key usable again, so they cover this account's keys.
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("RepairTrailKeys")
                .actions(List.of("kms:CancelKeyDeletion", "kms:EnableKey"))
                .resources(List.of("arn:" + partition + ":kms:*:" + account + ":key/*"))
                .build());
        List<String> policyBuckets = new java.util.ArrayList<>();
        List<String> lifecycleBuckets = new java.util.ArrayList<>();
        props.trailBaselines().values().forEach(json -> {
            com.fasterxml.jackson.databind.JsonNode root = GuardStackProps.readBaseline(json);
            String bucket = root.path("Trail").path("S3BucketName").asText("");
            if (!bucket.isEmpty() && root.hasNonNull("BucketPolicy")) {
                policyBuckets.add("arn:" + partition + ":s3:::" + bucket);
            }
            if (!bucket.isEmpty() && root.hasNonNull("BucketLifecycle")) {
                lifecycleBuckets.add("arn:" + partition + ":s3:::" + bucket);
            }
        });
        if (options.functionRoleName() != null) {
            // The hub, in its own account: as TrailGuard-Member in a member, the buckets the guardrail protects
            // (protectedLogBuckets), whose declared settings the hub account's own baselines hold.
            List<String> protectedBuckets = MemberRoles.logBuckets(new ContextValues(this.getNode())
                    .list(MemberRoles.LOG_BUCKETS_CONTEXT)).stream().map(b -> "arn:" + partition + ":s3:::" + b)
                    .toList();
            policyBuckets.addAll(protectedBuckets);
            lifecycleBuckets.addAll(protectedBuckets);
        }
        if (!policyBuckets.isEmpty()) {
            role.addToPolicy(PolicyStatement.Builder.create()
                    .sid("RestoreDeclaredBucketPolicies")
                    .actions(List.of("s3:PutBucketPolicy"))
                    .resources(policyBuckets.stream().distinct().toList())
                    .build());
        }
        if (!lifecycleBuckets.isEmpty()) {
            role.addToPolicy(PolicyStatement.Builder.create()
                    .sid("RestoreDeclaredBucketLifecycles")
                    .actions(List.of("s3:PutLifecycleConfiguration"))
                    .resources(lifecycleBuckets.stream().distinct().toList())
                    .build());
        }
    }

    /** A trail's settings, selectors and Insights as they are now, to compare with its baseline. */
    private void grantCompareWithBaseline(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("CompareTrailsWithBaseline")
                .actions(List.of("cloudtrail:GetTrail", "cloudtrail:GetEventSelectors",
                        "cloudtrail:GetInsightSelectors"))
                .resources(guardedTrailArns())
                .build());
    }

    /**
     * What the TamperResponder needs to put TrailGuard's own notification path and rules back (#14 items 8-10): publish
     * to the second channel; read the deployed rule definitions and put a changed rule back (this region's rules of
     * this stack only); put the configured subscriptions back on the two topics.
     */
    private void grantSelfRepair(Role role) {
        secondChannel.grantPublish(role);
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadDeployedRuleDefinitions")
                .actions(List.of("ssm:GetParameter"))
                .resources(List.of("arn:" + Stack.of(this).getPartition() + ":ssm:" + Stack.of(this).getRegion() + ":"
                        + Stack.of(this).getAccount() + ":parameter" + RULE_DEFINITION_PREFIX + resourcePrefix + "*"))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PutTrailGuardRulesBack")
                .actions(List.of("events:DescribeRule", "events:ListTargetsByRule", "events:PutRule",
                        "events:PutTargets", "events:RemoveTargets"))
                .resources(List.of(ownRulesArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PutSubscriptionsBack")
                .actions(List.of("sns:ListSubscriptionsByTopic", "sns:Subscribe", "sns:GetSubscriptionAttributes",
                        "sns:SetSubscriptionAttributes"))
                .resources(List.of(topic.getTopicArn(), secondChannel.getTopicArn()))
                .build());
    }

    /** The two baseline sources: Config's recorded trail settings and the declared baseline parameters. */
    private void grantReadBaselines(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadRecordedTrailSettings")
                // GetResourceConfigHistory supports no resource-level permissions.
                .actions(List.of("config:GetResourceConfigHistory"))
                .resources(List.of("*"))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadDeclaredBaselines")
                .actions(List.of("ssm:GetParameter"))
                .resources(List.of("arn:" + Stack.of(this).getPartition() + ":ssm:" + runbookRegion() + ":" + Stack.of(this).getAccount() + ":parameter"
                        + BASELINE_PARAMETER_PREFIX + "*"))
                .build());
    }

    private String runbookRegion() {
        return options.runbookRegion() != null ? options.runbookRegion() : Stack.of(this).getRegion();
    }

    private String ownRulesArn() {
        return "arn:" + Stack.of(this).getPartition() + ":events:" + Stack.of(this).getRegion() + ":" + Stack.of(this).getAccount() + ":rule/" + resourcePrefix + "*";
    }

    private static PolicyStatement describeTrails() {
        // cloudtrail:DescribeTrails supports no resource-level permissions.
        return PolicyStatement.Builder.create()
                .sid("DescribeTrails")
                .actions(List.of("cloudtrail:DescribeTrails"))
                .resources(List.of("*"))
                .build();
    }

    /**
     * The guarded trails as IAM resources: ARNs as given, names in any region of this account, or
     * every trail of this account. An organization trail carries the management account's id in
     * its ARN; a member account can read it only if its ARN is listed in guardedTrails.
     */
    private List<String> guardedTrailArns() {
        String anyRegionTrail = "arn:" + Stack.of(this).getPartition() + ":cloudtrail:*:" + Stack.of(this).getAccount() + ":trail/";
        if (props.guardedTrails().isEmpty()) {
            return List.of(anyRegionTrail + "*");
        }
        return props.guardedTrails().stream()
                .map(trail -> trail.startsWith("arn:") ? trail : anyRegionTrail + trail)
                .toList();
    }

    private String automationExecutionArn(String region) {
        return automationExecutionArn(Stack.of(this), region);
    }

    private static String automationExecutionArn(Stack stack, String region) {
        return "arn:" + stack.getPartition() + ":ssm:" + region + ":" + stack.getAccount() + ":automation-execution/*";
    }
}
