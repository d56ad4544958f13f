package dev.trailguard.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;

/** The organization-mode context of the tests, and the app built from it as {@code cdk synth} builds it. */
final class OrganizationTestStacks {

    static final String ORGANIZATION = "o-a1b2c3d4e5";
    static final String HUB_ACCOUNT = "444455556666";
    static final String HUB_REGION = "eu-west-1";
    static final List<String> OUS = List.of("ou-ab12-34567890", "ou-ab12-0a1b2c3d");
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "eu-central-1");

    private OrganizationTestStacks() {
    }

    /** The hub context keys, as a user would put them in cdk.json. */
    static Map<String, Object> context() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("organizationId", ORGANIZATION);
        context.put("hubAccount", HUB_ACCOUNT);
        context.put("hubRegion", HUB_REGION);
        context.put("memberOrganizationalUnitIds", OUS);
        context.put("memberRegions", REGIONS);
        context.put("notificationEmails", List.of("security@example.com"));
        return context;
    }

    /** The app's stacks for the organization context plus {@code extra}, with cdk-nag on as in {@code cdk synth}. */
    static TrailGuardApp.OrganizationStacks stacks(Map<String, Object> extra) {
        Map<String, Object> context = context();
        context.putAll(extra);
        App app = TestStacks.app(context);
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()));
        Aspects.of(app).add(new AwsSolutionsChecks());
        return stacks.organization();
    }

    static TrailGuardApp.OrganizationStacks stacks() {
        return stacks(Map.of());
    }
}
