package dev.trailguard.infra;

import static dev.trailguard.infra.NagAcknowledgements.suppress;

import dev.trailguard.contract.Runbooks;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.IConstruct;

/**
 * The cdk-nag findings the organization-mode stacks accept, each on the resource it concerns and, for IAM wildcards,
 * naming exactly the wildcard; docs/organization.md lists them.
 */
final class OrganizationNag {

    private static final String PARTITION = "<AWS::Partition>";

    private OrganizationNag() {
    }

    static void forHub(Stack hub, GuardRoles roles, Collection<GuardFunction> functions, OrganizationSweep sweep,
            OrganizationProps org, List<String> guardedTrails) {
        String account = org.hubAccount();
        String ssm = "Resource::arn:" + PARTITION + ":ssm:*:" + account + ":";
        List<Object> scopes = new ArrayList<>(List.of(
                "Resource::*",
                "Resource::arn:" + PARTITION + ":cloudtrail:*:" + account + ":trail/*",
                "Action::kms:GenerateDataKey*",
                ssm + "automation-execution/*",
                "Resource::arn:" + PARTITION + ":ssm:*::automation-definition/" + Runbooks.CONFIGURE_LOGGING + ":*",
                "Resource::arn:" + PARTITION + ":ssm:*::document/" + Runbooks.CONFIGURE_LOGGING,
                ssm + "parameter" + GuardStack.BASELINE_PARAMETER_PREFIX + "*",
                "Resource::arn:" + PARTITION + ":iam::*:role/" + OrganizationProps.MEMBER_ROLE_NAME,
                "Resource::arn:" + PARTITION + ":organizations::*:account/" + org.organizationId() + "/*"));
        Runbooks.TRAILGUARD.forEach(name -> scopes.add(ssm + "automation-definition/" + name + ":*"));
        // The TamperResponder puts the hub's own rules back (#14 item 8), named by the stack name in its region.
        String region = hub.getRegion().startsWith("${Token") ? "<AWS::Region>" : hub.getRegion();
        String hubAccount = hub.getAccount().startsWith("${Token") ? "<AWS::AccountId>" : hub.getAccount();
        scopes.add("Resource::arn:" + PARTITION + ":events:" + region + ":" + hubAccount + ":rule/" + hub.getStackName()
                + "*");
        scopes.add("Resource::arn:" + PARTITION + ":ssm:" + region + ":" + hubAccount + ":parameter"
                + GuardStack.RULE_DEFINITION_PREFIX + hub.getStackName() + "*");
        // the TamperResponder's delivery repairs in the hub's own account (docs/restore.md, delivery sabotage)
        scopes.add("Resource::arn:" + PARTITION + ":cloudtrail:*:" + account + ":eventdatastore/*");
        scopes.add("Resource::arn:" + PARTITION + ":kms:*:" + account + ":key/*");
        // the drill's tags of the hub account's own executions (its canary is in the hub region; issue 16 item 5)
        if (org.drill().enabled()) {
            scopes.add("Resource::arn:" + PARTITION + ":ssm:" + org.hubRegion() + ":" + account
                    + ":automation-execution/*");
        }
        // declared bucket settings of the hub account's own trails, to the protectedLogBuckets patterns only
        MemberRoles.logBuckets(new ContextValues(hub.getNode()).list(MemberRoles.LOG_BUCKETS_CONTEXT)).stream()
                .filter(b -> b.contains("*")).forEach(b -> scopes.add("Resource::arn:" + PARTITION + ":s3:::" + b));
        // a guarded trail named without its ARN can have its home region anywhere
        guardedTrails.stream().filter(trail -> !trail.startsWith("arn:")).forEach(name -> scopes.add(
                "Resource::arn:" + PARTITION + ":cloudtrail:*:" + account + ":trail/" + name));
        for (IConstruct role : roles.functionRoles().values()) {
            suppress(role, "AwsSolutions-IAM5",
                    "In the hub's own account the functions act as in the single-account stack, but the runbook"
                            + " documents, executions and baselines exist in every member region, so those ARNs name"
                            + " any region of this account; DescribeTrails, DescribeAutomationExecutions and"
                            + " GetResourceConfigHistory support no resource-level permissions; the delivery repairs"
                            + " (StartEventDataStoreIngestion, RestoreEventDataStore, CancelKeyDeletion, EnableKey) name"
                            + " this account's event data stores and keys, known at run time only; the topic key needs"
                            + " kms:GenerateDataKey with any suffix; in member accounts the functions may only assume"
                            + " the role named TrailGuard-Member, in any account of the organization (aws:ResourceOrgID"
                            + " condition), and name accounts of this organization only; the reporter reads the fire"
                            + " drill's tags of this account's executions, whose ids are generated at start; the"
                            + " TamperResponder writes declared bucket settings back to the protectedLogBuckets patterns"
                            + " only, which the SCP protects.",
                    scopes.toArray());
        }
        for (GuardFunction function : functions) {
            suppress(function.function(), "AwsSolutions-L1",
                    "Java 21 is the runtime the handlers are built and tested for and the one the Lambda contract"
                            + " fixes; moving to a newer Java runtime is a deliberate change that needs the SnapStart"
                            + " and benchmark checks to be run again first.");
        }
        for (IConstruct queue : hub.getNode().findAll()) {
            if (queue instanceof Queue) {
                suppress(queue, "AwsSolutions-SQS3",
                        "This queue is itself a dead-letter queue, for EventBridge targets or for failed asynchronous"
                                + " Lambda invocations; cdk-nag only recognises dead-letter queues of other SQS queues,"
                                + " and a dead-letter queue of a dead-letter queue adds nothing.");
            }
        }
        forSweep(sweep, org);
    }

    private static void forSweep(OrganizationSweep sweep, OrganizationProps org) {
        suppress(sweep.stateMachine(), "AwsSolutions-SF1",
                "Logging ALL events would write every state of every account-region at every sweep (tens of thousands"
                        + " of entries per run at a thousand accounts); ERROR level keeps every failure, and a failed"
                        + " execution also raises the ExecutionsFailed alarm.");
        suppress(sweep.stateMachine(), "AwsSolutions-SF2",
                "X-Ray would record a trace for every account's child execution at every sweep; failures are logged"
                        + " and alarmed, and the sweeper function's own logs carry each account-region's outcome.");
        suppress(sweep.stateMachine(), "AwsSolutions-IAM5",
                "Organizations names OUs and roots with the management account's id, which the hub does not know, so"
                        + " they are named by this organization's id only; the Distributed Map's child executions have"
                        + " ids generated at run time, under this state machine only (CDK's own statement); and"
                        + " delivering the execution logs to CloudWatch Logs needs the logs:*LogDelivery and Describe"
                        + " actions on every resource, as Step Functions documents.",
                "Resource::*",
                "Resource::arn:" + PARTITION + ":organizations::*:ou/" + org.organizationId() + "/*",
                "Resource::arn:" + PARTITION + ":organizations::*:root/" + org.organizationId() + "/*",
                RegexAppliesTo.builder().regex("/^Resource::arn:<AWS::Partition>:states:" + org.hubRegion() + ":"
                        + org.hubAccount() + ":execution:\\{\"Fn::Select\":\\[6,\\{\"Fn::Split\":\\[\":\",\\{"
                        + "\"Ref\":\"SweepStateMachine[0-9A-F]{8}\"\\}\\]\\}\\]\\}(\\/\\*)?:\\*$/g").build());
    }

    /** The member roles, in the roles stack set's template and in the management account's stack. */
    static void forMemberRoles(MemberRoles roles) {
        String account = "<AWS::AccountId>";
        String ssm = "Resource::arn:" + PARTITION + ":ssm:*:" + account + ":";
        List<Object> scopes = new ArrayList<>(List.of(
                "Resource::*",
                "Resource::arn:" + PARTITION + ":cloudtrail:*:" + account + ":trail/*",
                ssm + "automation-execution/*",
                "Resource::arn:" + PARTITION + ":ssm:*::automation-definition/" + Runbooks.CONFIGURE_LOGGING + ":*",
                "Resource::arn:" + PARTITION + ":ssm:*::document/" + Runbooks.CONFIGURE_LOGGING,
                ssm + "parameter" + GuardStack.BASELINE_PARAMETER_PREFIX + "*",
                "Resource::arn:" + PARTITION + ":events:*:" + account + ":rule/" + EventPatterns.MEMBER_RESOURCE_PREFIX
                        + "*"));
        Runbooks.TRAILGUARD.forEach(name -> scopes.add(ssm + "automation-definition/" + name + ":*"));
        // the delivery repairs: this account's event data stores and keys, the protected log buckets by pattern
        scopes.add("Resource::arn:" + PARTITION + ":cloudtrail:*:" + account + ":eventdatastore/*");
        scopes.add("Resource::arn:" + PARTITION + ":kms:*:" + account + ":key/*");
        roles.logBuckets().stream().filter(b -> b.contains("*"))
                .forEach(b -> scopes.add("Resource::arn:" + PARTITION + ":s3:::" + b));
        suppress(roles.memberRole(), "AwsSolutions-IAM5",
                "The hub acts on this account's trails, runbooks, executions and baselines in whichever region a"
                        + " trail's home region is, so those ARNs name any region of this account only; execution"
                        + " ids are generated when a runbook starts; DescribeTrails, DescribeAutomationExecutions,"
                        + " GetResourceConfigHistory and StartConfigurationRecorder support no resource-level"
                        + " permissions; the forwarding rules are read by their fixed TrailGuard- prefix; the delivery"
                        + " repairs (StartEventDataStoreIngestion, RestoreEventDataStore, CancelKeyDeletion, EnableKey)"
                        + " only make this account's event data stores and keys usable again, which are known at run"
                        + " time only; declared bucket settings are written back to the protectedLogBuckets patterns"
                        + " only, which the SCP protects.",
                scopes.toArray());
        suppress(roles.automationRole(), "AwsSolutions-IAM5",
                "The runbooks restart, restore and recreate this account's trails in their home region, which can be"
                        + " any region, and re-enable TrailGuard's forwarding rules (fixed TrailGuard- prefix) in any"
                        + " member region; DescribeTrails supports no resource-level permissions at all.",
                "Resource::*",
                "Resource::arn:" + PARTITION + ":cloudtrail:*:" + account + ":trail/*",
                "Resource::arn:" + PARTITION + ":events:*:" + account + ":rule/" + EventPatterns.MEMBER_RESOURCE_PREFIX
                        + "*");
    }

    /** The management account's automation role: what CloudTrail needs to recreate an organization trail. */
    static void forOrganizationTrail(MemberRoles roles) {
        suppress(roles.automationRole(), "AwsSolutions-IAM5",
                "Recreating an organization trail needs trusted access for CloudTrail (EnableAWSServiceAccess, limited"
                        + " to cloudtrail.amazonaws.com by condition) and reads of the organization"
                        + " (DescribeOrganization, ListAWSServiceAccessForOrganization, ListAccounts), none of which"
                        + " supports resource-level permissions.",
                "Resource::*");
    }
}
