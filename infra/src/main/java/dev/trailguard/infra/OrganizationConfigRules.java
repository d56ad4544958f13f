package dev.trailguard.infra;

import java.util.List;
import software.amazon.awscdk.services.config.CfnOrganizationConfigRule;
import software.constructs.Construct;

/**
 * The Config backstop at organization scale: AWS Config organization rules, created by the delegated administrator in
 * the hub region and deployed by Config into every account of the organization (members cannot change them). Both
 * rules look at the account's trails as a whole (a multi-region trail shows in every region), so one region finds an
 * account that stopped recording; their compliance changes are forwarded to the hub like every other event.
 */
final class OrganizationConfigRules extends Construct {

    /** Periodic rules run at most once an hour: Config's fastest. */
    static final String FREQUENCY = "One_Hour";

    OrganizationConfigRules(final Construct scope, final String id) {
        super(scope, id);
        rule("CloudTrailEnabledRule", GuardStack.RULE_CLOUDTRAIL_ENABLED, "CLOUD_TRAIL_ENABLED");
        rule("MultiRegionCloudTrailRule", GuardStack.RULE_MULTI_REGION, "MULTI_REGION_CLOUD_TRAIL_ENABLED");
    }

    /** The organization rules' names; in an account Config names each {@code OrgConfigRule-<name>-<suffix>}. */
    List<String> names() {
        return OrganizationProps.ORGANIZATION_RULE_NAMES;
    }

    private void rule(String id, String name, String identifier) {
        CfnOrganizationConfigRule.Builder.create(this, id)
                .organizationConfigRuleName(name)
                .organizationManagedRuleMetadata(CfnOrganizationConfigRule.OrganizationManagedRuleMetadataProperty
                        .builder()
                        .ruleIdentifier(identifier)
                        .maximumExecutionFrequency(FREQUENCY)
                        .description("TrailGuard backstop: catches what the event path missed, in every account")
                        .build())
                .build();
    }
}
