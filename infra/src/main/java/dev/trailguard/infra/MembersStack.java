package dev.trailguard.infra;

import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudformation.CfnStackSet;
import software.constructs.Construct;

/**
 * The member accounts' part, deployed from the delegated administrator account as two service-managed stack sets
 * with automatic deployment, so an account that joins a guarded OU is guarded without anyone deploying anything:
 * <ul>
 *   <li>{@value #ROLES_STACK_SET} in the hub region only (IAM is global): the member, automation and forwarder roles;</li>
 *   <li>{@value #MEMBERS_STACK_SET} in every member region: the forwarding rules and TrailGuard's runbooks;</li>
 *   <li>{@value #CANARY_STACK_SET} in the hub region only, when the organization's fire drills are on: the canary trail
 *       and its bucket. A stack set of its own: an account whose hub region already has CloudTrail's five trails fails
 *       this instance only (its drill then says so), never the roles that guard it.</li>
 * </ul>
 * Both templates are synthesized in-process and passed inline ({@code TemplateBody}): members carry no code, no topic
 * and no alarm. StackSets never deploy to the management account: see {@link ManagementMemberStack}.
 */
public final class MembersStack extends Stack {

    public static final String MEMBERS_STACK_SET = "TrailGuardMembers";
    public static final String ROLES_STACK_SET = "TrailGuardMemberRoles";
    public static final String CANARY_STACK_SET = "TrailGuardMemberCanary";
    /** At most this share of a region's accounts at once, and this share of failures before an operation stops. */
    static final int MAX_CONCURRENT_PERCENTAGE = 25;
    static final int FAILURE_TOLERANCE_PERCENTAGE = 10;

    private final MemberTemplate forwarding;
    private final MemberTemplate roles;
    private final CfnStackSet membersStackSet;
    private final CfnStackSet rolesStackSet;
    private final MemberTemplate canary;
    private final CfnStackSet canaryStackSet;

    public MembersStack(final Construct scope, final String id, final StackProps stackProps,
            final OrganizationProps org, final String runbookDir) {
        super(scope, id, stackProps);
        this.roles = MemberTemplate.synthesize(this, ROLES_STACK_SET,
                "TrailGuard member roles (once per account): the role the TrailGuard hub assumes, the automation role,"
                        + " the forwarder role", stack -> OrganizationNag.forMemberRoles(
                        new MemberRoles(stack, "Roles", org, List.of())));
        this.forwarding = MemberTemplate.synthesize(this, MEMBERS_STACK_SET,
                "TrailGuard member (every member region): forwards tampering to the TrailGuard hub; TrailGuard's"
                        + " runbooks", stack -> {
                            new MemberForwarding(stack, "Forwarding", org);
                            RunbooksAndBaselines.addRunbooks(new Construct(stack, "Runbooks"), runbookDir);
                        });
        this.rolesStackSet = stackSet("RolesStackSet", ROLES_STACK_SET, roles,
                "TrailGuard: member roles, once per account (hub region)", List.of(org.hubRegion()), org,
                List.of("CAPABILITY_NAMED_IAM"));
        this.membersStackSet = stackSet("MembersStackSet", MEMBERS_STACK_SET, forwarding,
                "TrailGuard: forwarding rules and runbooks in every member region", org.memberRegions(), org,
                List.of());
        // The forwarding rules put events as the forwarder role: create the roles first.
        membersStackSet.addDependency(rolesStackSet);
        if (org.drill().enabled()) {
            this.canary = MemberTemplate.synthesize(this, CANARY_STACK_SET,
                    "TrailGuard member canary (once per account, hub region): a trail that records nothing, which the"
                            + " TrailGuard hub's fire drill stops to time TrailGuard's restart",
                    stack -> FireDrills.createCanary(new Construct(stack, "Canary")));
            this.canaryStackSet = stackSet("CanaryStackSet", CANARY_STACK_SET, canary,
                    "TrailGuard: the fire drill's canary trail, once per account (hub region)", List.of(org.hubRegion()),
                    org, List.of());
        } else {
            this.canary = null;
            this.canaryStackSet = null;
        }
    }

    /** The canary template, or null when the organization's fire drills are off. */
    MemberTemplate canaryTemplate() {
        return canary;
    }

    CfnStackSet canaryStackSet() {
        return canaryStackSet;
    }

    MemberTemplate forwardingTemplate() {
        return forwarding;
    }

    MemberTemplate rolesTemplate() {
        return roles;
    }

    CfnStackSet membersStackSet() {
        return membersStackSet;
    }

    CfnStackSet rolesStackSet() {
        return rolesStackSet;
    }

    private CfnStackSet stackSet(String id, String name, MemberTemplate template, String description,
            List<String> regions, OrganizationProps org, List<String> capabilities) {
        CfnStackSet.Builder builder = CfnStackSet.Builder.create(this, id)
                .stackSetName(name)
                .description(description)
                .permissionModel("SERVICE_MANAGED")
                // The stack set lives in the management account; the delegated administrator manages it.
                .callAs("DELEGATED_ADMIN")
                .autoDeployment(CfnStackSet.AutoDeploymentProperty.builder()
                        .enabled(true)
                        // An account that leaves the guarded OUs keeps nothing of TrailGuard's.
                        .retainStacksOnAccountRemoval(false)
                        .build())
                // Non-conflicting operations (an account joining while an update runs) queue instead of failing.
                .managedExecution(java.util.Map.of("Active", true))
                .operationPreferences(CfnStackSet.OperationPreferencesProperty.builder()
                        .regionConcurrencyType("PARALLEL")
                        .maxConcurrentPercentage(MAX_CONCURRENT_PERCENTAGE)
                        .failureTolerancePercentage(FAILURE_TOLERANCE_PERCENTAGE)
                        .concurrencyMode("SOFT_FAILURE_TOLERANCE")
                        .build())
                .stackInstancesGroup(List.of(CfnStackSet.StackInstancesProperty.builder()
                        .deploymentTargets(CfnStackSet.DeploymentTargetsProperty.builder()
                                .organizationalUnitIds(org.memberOrganizationalUnitIds())
                                .build())
                        .regions(regions)
                        .build()))
                .templateBody(template.body());
        if (!capabilities.isEmpty()) {
            builder.capabilities(capabilities);
        }
        return builder.build();
    }
}
