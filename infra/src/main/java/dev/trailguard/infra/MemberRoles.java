package dev.trailguard.infra;

import static dev.trailguard.infra.OrganizationProps.FORWARDER_ROLE_NAME;
import static dev.trailguard.infra.OrganizationProps.MEMBER_AUTOMATION_ROLE_NAME;
import static dev.trailguard.infra.OrganizationProps.MEMBER_DRILL_ROLE_NAME;
import static dev.trailguard.infra.OrganizationProps.MEMBER_ROLE_NAME;

import dev.trailguard.contract.Runbooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The roles TrailGuard keeps in every member account, with fixed names (IAM is global: they are created once per
 * account, in the hub region only):
 * <ul>
 *   <li>{@code TrailGuard-Member}: what the hub's four functions assume to act in the account, trusted by exactly their
 *       roles in the hub account and only from within the organization, allowed only the reads, runbook starts and the
 *       one {@code iam:PassRole} the functions make there;</li>
 *   <li>{@code TrailGuard-Automation}: what SSM Automation runs the runbooks as, built by {@link GuardRoles} exactly as
 *       in the single-account stack (trusted by {@code ssm.amazonaws.com} for this account's executions only);</li>
 *   <li>{@code TrailGuard-Forwarder}: what the forwarding rules put events on the hub bus with, and nothing else;</li>
 *   <li>{@code TrailGuard-MemberDrill} (fire drills on, issue 16): what the hub's FireDrill, and only it, assumes to
 *       stop this account's canary trail, the one thing it may do. The member role does not trust the FireDrill,
 *       and the drill role trusts nothing else: a drill is recognised by this role and the canary together, so no
 *       other principal can pass for the drill, and the drill can do nothing but stop a trail that records nothing.</li>
 * </ul>
 */
final class MemberRoles extends Construct {

    /**
     * The context key naming the log buckets the SCP protects ({@link GuardrailStack}): the hub may write a declared
     * bucket policy or lifecycle back to these only (wildcards allowed).
     */
    static final String LOG_BUCKETS_CONTEXT = "protectedLogBuckets";

    private final Role memberRole;
    private final Role automationRole;
    private final Role forwarderRole;
    private final Role drillRole;
    private final List<String> logBuckets;

    /**
     * @param extraAutomation statements the automation role gets beyond the single-account role's (the management
     *                        account's organization trail); empty in the member accounts
     */
    MemberRoles(final Construct scope, final String id, final OrganizationProps org,
            final List<PolicyStatement> extraAutomation) {
        super(scope, id);
        Stack stack = Stack.of(this);
        String partition = stack.getPartition();
        String account = stack.getAccount();
        this.automationRole = GuardRoles.automationRole(this, "AutomationRole", new GuardRoles.AutomationRoleSpec(
                MEMBER_AUTOMATION_ROLE_NAME,
                List.of(anyRegionTrails(stack)),
                List.of(),
                // TrailGuard-EnableRule re-enables a forwarding rule in whichever member region it was disabled.
                "arn:" + partition + ":events:*:" + account + ":rule/" + EventPatterns.MEMBER_RESOURCE_PREFIX + "*",
                extraAutomation));
        this.logBuckets = logBuckets(new ContextValues(this.getNode()).list(LOG_BUCKETS_CONTEXT));
        this.memberRole = createMemberRole(org, stack);
        this.forwarderRole = createForwarderRole(org, stack);
        this.drillRole = org.drill().enabled() ? createDrillRole(org, stack) : null;
    }

    /** The member drill role, or null when the organization's fire drills are off. */
    Role drillRole() {
        return drillRole;
    }

    private Role createDrillRole(OrganizationProps org, Stack stack) {
        String partition = stack.getPartition();
        // As the member role: the hub account as principal, narrowed to the FireDrill's role by ARN and to the
        // organization. Only that role: the hub's other functions cannot stop a canary, the FireDrill nothing else.
        Role role = Role.Builder.create(this, "MemberDrillRole")
                .roleName(MEMBER_DRILL_ROLE_NAME)
                .description("TrailGuard: assumed by the TrailGuard hub's FireDrill only, to stop this account's canary"
                        + " trail (which records nothing); TrailGuard restarts and times it")
                .assumedBy(new ArnPrincipal("arn:" + partition + ":iam::" + org.hubAccount() + ":root").withConditions(
                        Map.of("ArnEquals", Map.of("aws:PrincipalArn", org.hubFireDrillRoleArn(partition)),
                                "StringEquals", Map.of("aws:PrincipalOrgID", org.organizationId()))))
                .build();
        // The drill's one AWS call, on this account's canary in the hub region; no read is needed to make it.
        role.addToPolicy(statement("StopTheCanaryOnly", List.of("cloudtrail:StopLogging"),
                List.of(org.memberCanaryArn(partition, stack.getAccount()))));
        return role;
    }

    Role memberRole() {
        return memberRole;
    }

    Role automationRole() {
        return automationRole;
    }

    Role forwarderRole() {
        return forwarderRole;
    }

    /** The log buckets whose declared policy or lifecycle the member role may write back (context, may be empty). */
    List<String> logBuckets() {
        return logBuckets;
    }

    static List<String> logBuckets(List<String> names) {
        for (String name : names) {
            if (name.startsWith("arn:") || name.contains("/")) {
                throw new IllegalArgumentException(LOG_BUCKETS_CONTEXT + " must be bucket names, was " + name);
            }
        }
        return List.copyOf(names);
    }

    /** Every trail of this account, in any region (a trail's home region can be any region). */
    static String anyRegionTrails(Stack stack) {
        return "arn:" + stack.getPartition() + ":cloudtrail:*:" + stack.getAccount() + ":trail/*";
    }

    private Role createMemberRole(OrganizationProps org, Stack stack) {
        String partition = stack.getPartition();
        String account = stack.getAccount();
        // The hub account as principal, narrowed to the four function roles by ARN: a trust naming the roles themselves
        // would fail while the hub is not deployed yet, and silently break (IAM keeps the deleted role's unique id) if a
        // hub role were ever recreated.
        Role role = Role.Builder.create(this, "MemberRole")
                .roleName(MEMBER_ROLE_NAME)
                .description("TrailGuard: assumed by the TrailGuard hub's functions to guard this account's trails")
                .assumedBy(new ArnPrincipal("arn:" + partition + ":iam::" + org.hubAccount() + ":root").withConditions(
                        Map.of("ArnEquals", Map.of("aws:PrincipalArn", org.hubFunctionRoleArns(partition)),
                                "StringEquals", Map.of("aws:PrincipalOrgID", org.organizationId()))))
                .build();
        String executions = "arn:" + partition + ":ssm:*:" + account + ":automation-execution/*";
        role.addToPolicy(statement("DescribeTrails", List.of("cloudtrail:DescribeTrails"), List.of("*")));
        role.addToPolicy(statement("ReadTrails", List.of("cloudtrail:GetTrailStatus", "cloudtrail:GetTrail",
                "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors"), List.of(anyRegionTrails(stack))));
        List<String> runbooks = new ArrayList<>();
        // A trail is put back in its home region, so the documents of every region; the AWS-owned runbook has no account.
        Runbooks.TRAILGUARD.forEach(name -> runbooks.add("arn:" + partition + ":ssm:*:" + account
                + ":automation-definition/" + name + ":*"));
        runbooks.add("arn:" + partition + ":ssm:*::automation-definition/" + Runbooks.CONFIGURE_LOGGING + ":*");
        runbooks.add("arn:" + partition + ":ssm:*::document/" + Runbooks.CONFIGURE_LOGGING);
        runbooks.add(executions);
        role.addToPolicy(statement("StartTheRunbooks", List.of("ssm:StartAutomationExecution"), runbooks));
        // Only when SSM refuses the runbook for capacity: logging is then started directly (docs/restore.md).
        role.addToPolicy(statement("StartLoggingWhenSsmIsFull", List.of("cloudtrail:StartLogging"),
                List.of(anyRegionTrails(stack))));
        // StartAutomationExecution with Tags also authorizes ssm:AddTagsToResource on the new execution.
        role.addToPolicy(statement("TagTheExecutions", List.of("ssm:AddTagsToResource"), List.of(executions)));
        role.addToPolicy(statement("ReadExecutions", List.of("ssm:GetAutomationExecution"), List.of(executions)));
        if (org.drill().enabled()) {
            // Only for a run on the canary: its tags carry the drill's stop and arrival times (issue 16).
            role.addToPolicy(statement("ReadDrillTags", List.of("ssm:ListTagsForResource"), List.of(executions)));
        }
        // Repeated tampering is counted over this account's executions; no resource-level permissions.
        role.addToPolicy(statement("CountExecutions", List.of("ssm:DescribeAutomationExecutions"), List.of("*")));
        role.addToPolicy(statement("ReadDeclaredBaselines", List.of("ssm:GetParameter"), List.of("arn:" + partition
                + ":ssm:*:" + account + ":parameter" + GuardStack.BASELINE_PARAMETER_PREFIX + "*")));
        // GetResourceConfigHistory supports no resource-level permissions.
        role.addToPolicy(statement("ReadRecordedTrailSettings", List.of("config:GetResourceConfigHistory"),
                List.of("*")));
        // The sweep checks that the forwarding rules are enabled and still target the hub (read only: re-enabling is
        // the EnableRule runbook's, run as the automation role).
        role.addToPolicy(statement("CheckForwardingRules", List.of("events:DescribeRule", "events:ListTargetsByRule"),
                List.of("arn:" + partition + ":events:*:" + account + ":rule/" + EventPatterns.MEMBER_RESOURCE_PREFIX
                        + "*")));
        addDeliveryRepairs(role, stack);
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PassTheAutomationRole")
                .actions(List.of("iam:PassRole"))
                .resources(List.of(automationRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ssm.amazonaws.com")))
                .build());
        return role;
    }

    /**
     * The delivery response in this account (docs/restore.md), as the single-account TamperResponder's role has it:
     * cancel a key deletion and enable a key (this account's keys: both only make a key usable again), restart
     * CloudTrail Lake ingestion, restore a deleted event data store, start the Config recorder, and write a declared
     * bucket policy or lifecycle back (only to the log buckets the SCP protects; the declared baseline is this
     * account's own {@code /trailguard/baseline/} parameter, which only the deployment may write). The trail reads
     * (DescribeTrails, GetTrail) and the baseline reads come with the statements above.
     */
    private void addDeliveryRepairs(Role role, Stack stack) {
        String partition = stack.getPartition();
        String account = stack.getAccount();
        role.addToPolicy(statement("RestartLakeIngestion", List.of("cloudtrail:StartEventDataStoreIngestion",
                "cloudtrail:RestoreEventDataStore"), List.of("arn:" + partition + ":cloudtrail:*:" + account
                + ":eventdatastore/*")));
        // The recorder's ARN carries an id Config generates; its name is all an event gives.
        role.addToPolicy(statement("RestartConfigRecorder", List.of("config:StartConfigurationRecorder"),
                List.of("*")));
        role.addToPolicy(statement("RepairTrailKeys", List.of("kms:CancelKeyDeletion", "kms:EnableKey"),
                List.of("arn:" + partition + ":kms:*:" + account + ":key/*")));
        if (!logBuckets.isEmpty()) {
            List<String> buckets = logBuckets.stream().map(b -> "arn:" + partition + ":s3:::" + b).toList();
            role.addToPolicy(statement("RestoreDeclaredBucketSettings", List.of("s3:PutBucketPolicy",
                    "s3:PutLifecycleConfiguration"), buckets));
        }
    }

    private Role createForwarderRole(OrganizationProps org, Stack stack) {
        Role role = Role.Builder.create(this, "ForwarderRole")
                .roleName(FORWARDER_ROLE_NAME)
                .description("TrailGuard: lets this account's forwarding rules put their events on the hub bus")
                .assumedBy(new ServicePrincipal("events.amazonaws.com"))
                .build();
        role.addToPolicy(statement("PutEventsOnTheHubBus", List.of("events:PutEvents"),
                List.of(org.hubBusArn(stack.getPartition()))));
        return role;
    }

    /**
     * What the automation role needs in the management account only, to recreate an organization trail: CloudTrail's
     * service-linked role and trusted access for CloudTrail in Organizations (CloudTrail User Guide, "Prepare for
     * creating a trail for your organization"; DisableAWSServiceAccess left out: a restore never disables it).
     */
    static List<PolicyStatement> organizationTrailPrerequisites(Stack stack) {
        String serviceLinkedRole = "arn:" + stack.getPartition() + ":iam::" + stack.getAccount()
                + ":role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail";
        return List.of(
                PolicyStatement.Builder.create()
                        .sid("CreateCloudTrailServiceLinkedRole")
                        .actions(List.of("iam:CreateServiceLinkedRole"))
                        .resources(List.of(serviceLinkedRole))
                        .conditions(Map.of("StringEquals", Map.of("iam:AWSServiceName", "cloudtrail.amazonaws.com")))
                        .build(),
                statement("ReadCloudTrailServiceLinkedRole", List.of("iam:GetRole"), List.of(serviceLinkedRole)),
                PolicyStatement.Builder.create()
                        .sid("CloudTrailTrustedAccess")
                        .actions(List.of("organizations:EnableAWSServiceAccess"))
                        .resources(List.of("*"))
                        .conditions(Map.of("StringEquals",
                                Map.of("organizations:ServicePrincipal", "cloudtrail.amazonaws.com")))
                        .build(),
                // Read-only calls CloudTrail makes on the caller's behalf; none has resource-level permissions.
                statement("ReadTheOrganization", List.of("organizations:DescribeOrganization",
                        "organizations:ListAWSServiceAccessForOrganization", "organizations:ListAccounts"),
                        List.of("*")));
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources).build();
    }
}
