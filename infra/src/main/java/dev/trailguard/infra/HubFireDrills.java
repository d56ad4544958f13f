package dev.trailguard.infra;

import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Functions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The organization hub's fire drill (issue 16 item 5): the FireDrill function, whose fixed-name role
 * ({@code TrailGuardHub-FireDrill}, the only principal the members' {@code TrailGuard-MemberDrill} roles trust) may
 * assume those drill roles in the organization's accounts and list the guarded OUs' accounts, and nothing else besides
 * publishing and naming accounts; its daily schedule; and the alarm "a canary not restored within the deadline" on the
 * organization-wide {@code CanaryStoppedSeconds} series, which the sweep of every member writes. Everything that
 * restarts and measures a member's canary is the hub's ordinary path through the member role.
 */
final class HubFireDrills extends Construct {

    private final OrganizationDrillProps props;
    private final OrganizationProps org;
    private final Role role;

    HubFireDrills(final Construct scope, final String id, final OrganizationProps org, final Topic topic) {
        super(scope, id);
        this.org = org;
        this.props = org.drill();
        String partition = Stack.of(this).getPartition();
        this.role = Role.Builder.create(this, "Role")
                .roleName(OrganizationProps.hubFunctionRoleName(Functions.FIRE_DRILL))
                .description("TrailGuard hub: execution role of the FireDrill, which may only assume the members'"
                        + " drill roles (to stop their canary trails) and list the guarded accounts")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("AssumeTheMemberDrillRoles")
                // The drill role of the organization's accounts only; TrailGuard-Member is not among them.
                .actions(List.of("sts:AssumeRole"))
                .resources(List.of("arn:" + partition + ":iam::*:role/" + OrganizationProps.MEMBER_DRILL_ROLE_NAME))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceOrgID", org.organizationId())))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ListTheGuardedAccounts")
                // As the organization sweep: the guarded OUs' (and the root's) accounts and child OUs.
                .actions(List.of("organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"))
                .resources(List.of(
                        "arn:" + partition + ":organizations::*:ou/" + org.organizationId() + "/*",
                        "arn:" + partition + ":organizations::*:root/" + org.organizationId() + "/*"))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("NameTheAccount")
                .actions(List.of("organizations:DescribeAccount", "organizations:ListParents"))
                .resources(List.of("arn:" + partition + ":organizations::*:account/" + org.organizationId() + "/*"))
                .build());
        // A drill that cannot stop a member's canary says so (grantPublish adds the topic key's data-key calls).
        topic.grantPublish(role);
    }

    Role role() {
        return role;
    }

    /** What every hub function must know to recognise and measure a member's drill, and the FireDrill to run it. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(Environment.MEMBER_DRILL_ROLE_NAME, OrganizationProps.MEMBER_DRILL_ROLE_NAME);
        environment.put(Environment.MEMBER_CANARY_REGION, org.hubRegion());
        environment.put(Environment.DRILL_PARENT_IDS, String.join(",", org.memberOrganizationalUnitIds()));
        environment.put(Environment.DRILL_ACCOUNTS_PER_DAY, String.valueOf(props.accountsPerDay()));
        environment.put(Environment.DRILL_TARGET_SECONDS, String.valueOf(props.targetSeconds()));
        environment.put(Environment.DRILL_DEADLINE_MINUTES, String.valueOf(props.deadlineMinutes()));
        return environment;
    }

    /**
     * What the hub's own functions need beyond the single-account grants to measure a drill of the hub's own account
     * (it is a member too): the reporter reads the drill's tags, the sweeper lists the drill's executions.
     */
    void grantMeasuring(Role reporter, Role sweeper) {
        Stack stack = Stack.of(this);
        reporter.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadDrillTags")
                .actions(List.of("ssm:ListTagsForResource"))
                .resources(List.of("arn:" + stack.getPartition() + ":ssm:" + org.hubRegion() + ":" + org.hubAccount()
                        + ":automation-execution/*"))
                .build());
        sweeper.addToPolicy(PolicyStatement.Builder.create()
                .sid("ListDrillExecutions")
                // At the drill's deadline: was a runbook started for the drill at all? No resource-level permissions.
                .actions(List.of("ssm:DescribeAutomationExecutions"))
                .resources(List.of("*"))
                .build());
    }

    /** The FireDrill function itself, its daily schedule and the alarm. */
    GuardFunction function(final Code code, final Map<String, String> environment, final Queue deadLetters,
            final Topic topic) {
        GuardFunction function = new GuardFunction(this, Functions.FIRE_DRILL + "Function",
                new GuardStack.FunctionSpec(Functions.FIRE_DRILL, Functions.handler(Functions.FIRE_DRILL),
                        GuardStack.Duty.REPORT, false), role, code, environment);
        Rule.Builder.create(this, "DrillSchedule")
                .description("TrailGuard hub: the daily fire drill in " + props.accountsPerDay() + " member account(s),"
                        + " in rotation (stops their canary trails; TrailGuard restarts and times them)")
                .schedule(Schedule.expression(OrganizationDrillProps.SCHEDULE))
                .targets(List.of(new LambdaFunction(function.alias(), LambdaFunctionProps.builder()
                        .deadLetterQueue(deadLetters)
                        .retryAttempts(GuardStack.TARGET_RETRIES)
                        .maxEventAge(Duration.hours(1))
                        .build())))
                .build();
        // One alarm on the organization-wide series (the EMF lines' dimensionless set): the hub cannot know the
        // accounts at synth, and the DRILL_OVERDUE notification names the account; the per-account series is there
        // for queries while a canary is stopped.
        FireDrills.canaryNotRestoredAlarm(this, "TrailGuard hub: a member account's canary trail was not logging again"
                + " within " + props.deadlineMinutes() + " minutes of being stopped; a real StopLogging there would not"
                + " be answered in time either. The DRILL_OVERDUE notification names the account.", Map.of(),
                props.deadlineMinutes(), topic);
        NagAcknowledgements.suppress(role, "AwsSolutions-IAM5",
                "The FireDrill assumes the role named TrailGuard-MemberDrill in whichever account of the organization"
                        + " is drilled (aws:ResourceOrgID condition), lists the organization's OUs and root, which"
                        + " Organizations names with the management account's id (unknown to the hub), and names"
                        + " accounts of this organization only; the topic key needs kms:GenerateDataKey with any"
                        + " suffix.",
                "Resource::arn:<AWS::Partition>:iam::*:role/" + OrganizationProps.MEMBER_DRILL_ROLE_NAME,
                "Resource::arn:<AWS::Partition>:organizations::*:ou/" + org.organizationId() + "/*",
                "Resource::arn:<AWS::Partition>:organizations::*:root/" + org.organizationId() + "/*",
                "Resource::arn:<AWS::Partition>:organizations::*:account/" + org.organizationId() + "/*",
                "Action::kms:GenerateDataKey*");
        return function;
    }
}
