package dev.trailguard.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The member for the organization's management account, where service-managed stack sets never deploy and SCPs never
 * apply, yet the organization trail lives: the member stack sets' forwarding rules, runbooks and roles as one plain
 * stack, and the automation role may also recreate an organization trail (CloudTrail's service-linked role, trusted
 * access for CloudTrail). The template is environment-agnostic: the roles (global) are created where it is deployed in
 * the hub region ({@code RolesRegion} condition), the forwarding rules and runbooks in every region it is deployed to.
 * With the organization's fire drills on, the canary trail too, in the hub region only (the same condition).
 */
public final class ManagementMemberStack extends Stack {

    public static final String ROLES_REGION_CONDITION = "RolesRegion";

    private final MemberRoles roles;

    public ManagementMemberStack(final Construct scope, final String id, final StackProps stackProps,
            final OrganizationProps org, final String runbookDir) {
        super(scope, id, stackProps);
        new MemberForwarding(this, "Forwarding", org);
        RunbooksAndBaselines.addRunbooks(new Construct(this, "Runbooks"), runbookDir);
        this.roles = new MemberRoles(this, "Roles", org, MemberRoles.organizationTrailPrerequisites(this));
        CfnCondition rolesRegion = CfnCondition.Builder.create(this, ROLES_REGION_CONDITION)
                .expression(Fn.conditionEquals(Aws.REGION, org.hubRegion()))
                .build();
        List<IConstruct> onceForTheAccount = new ArrayList<>(roles.getNode().findAll());
        if (org.drill().enabled()) {
            // The canary, as the members' canary stack set has it: once, in the hub region.
            Construct canary = new Construct(this, "Canary");
            FireDrills.createCanary(canary);
            onceForTheAccount.addAll(canary.getNode().findAll());
        }
        for (IConstruct construct : onceForTheAccount) {
            if (construct instanceof CfnResource resource) {
                resource.getCfnOptions().setCondition(rolesRegion);
            }
        }
        OrganizationNag.forMemberRoles(roles);
        OrganizationNag.forOrganizationTrail(roles);
    }

    MemberRoles roles() {
        return roles;
    }
}
