package dev.trailguard.infra;

import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Functions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * Organization mode: where the hub runs and what it guards. Read from the context keys documented in
 * {@code docs/organization.md}; every value is checked at synth, so a typo fails {@code cdk synth} with the key's name
 * instead of a StackSet operation half-way through the organization.
 *
 * @param organizationId              the organization's id, {@code o-...} (context {@code organizationId}): the hub bus
 *                                    admits it, the member roles trust only its principals
 * @param hubAccount                  the security tooling account the hub runs in, registered as delegated
 *                                    administrator for StackSets and Config (context {@code hubAccount})
 * @param hubRegion                   the region of the hub, its bus and the Config organization rules; the member
 *                                    roles stack set deploys there only (context {@code hubRegion})
 * @param memberOrganizationalUnitIds the OUs (or the root) the member stack sets deploy to, automatically to every
 *                                    account that joins them, and the sweep lists (context
 *                                    {@code memberOrganizationalUnitIds})
 * @param memberRegions               the regions the member stack set deploys the forwarding rules and runbooks to,
 *                                    and the sweep covers; must include the hub region (context {@code memberRegions})
 * @param sweepMinutes                minutes between two organization-wide sweeps (context
 *                                    {@code organizationSweepMinutes}, default 5)
 * @param drill                       the fire drills in member accounts ({@link OrganizationDrillProps}, issue 16)
 */
public record OrganizationProps(String organizationId, String hubAccount, String hubRegion,
                                List<String> memberOrganizationalUnitIds, List<String> memberRegions, int sweepMinutes,
                                OrganizationDrillProps drill) {

    /** The hub's stack name, also the name of its event bus and the prefix of its function roles. */
    public static final String HUB_NAME = "TrailGuardHub";
    /** The role the hub's functions assume in a member account. */
    public static final String MEMBER_ROLE_NAME = Environment.DEFAULT_MEMBER_ROLE_NAME;
    /** The role SSM Automation runs TrailGuard's runbooks as in a member account. */
    public static final String MEMBER_AUTOMATION_ROLE_NAME = Environment.DEFAULT_MEMBER_AUTOMATION_ROLE_NAME;
    /** The role in every member account that only the hub's FireDrill may assume, to stop that account's canary. */
    public static final String MEMBER_DRILL_ROLE_NAME = Environment.DEFAULT_MEMBER_DRILL_ROLE_NAME;
    /** The role the member accounts' forwarding rules put events on the hub bus with. */
    public static final String FORWARDER_ROLE_NAME = "TrailGuard-Forwarder";
    /** The Config organization rules (the single-account stack's rule names). */
    public static final List<String> ORGANIZATION_RULE_NAMES =
            List.of(GuardStack.RULE_CLOUDTRAIL_ENABLED, GuardStack.RULE_MULTI_REGION);
    static final int DEFAULT_SWEEP_MINUTES = 5;

    /** Context keys of organization mode (besides {@code organizationId}, which the guardrail reads alone too). */
    static final List<String> HUB_KEYS =
            List.of("hubAccount", "hubRegion", "memberOrganizationalUnitIds", "memberRegions");

    private static final Pattern ORGANIZATION = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    /** An OU id or the organization's root id, as Organizations writes them. */
    private static final Pattern PARENT = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}");

    public OrganizationProps {
        drill = drill == null ? OrganizationDrillProps.defaults() : drill;
        memberOrganizationalUnitIds = List.copyOf(memberOrganizationalUnitIds);
        memberRegions = List.copyOf(memberRegions);
        require(ORGANIZATION, organizationId, "organizationId must be an organization id such as o-a1b2c3d4e5");
        require(ACCOUNT, hubAccount, "hubAccount must be the 12-digit id of the security tooling account");
        require(REGION, hubRegion, "hubRegion must be an AWS region such as eu-west-1");
        if (memberOrganizationalUnitIds.isEmpty()) {
            throw new IllegalArgumentException("memberOrganizationalUnitIds must name at least one OU (ou-...) or the"
                    + " root (r-...)");
        }
        memberOrganizationalUnitIds.forEach(id -> require(PARENT, id,
                "memberOrganizationalUnitIds must be OU ids (ou-ab12-cdef3456) or the root id (r-ab12)"));
        if (memberRegions.isEmpty()) {
            throw new IllegalArgumentException("memberRegions must name at least one region");
        }
        memberRegions.forEach(region -> require(REGION, region, "memberRegions must be AWS regions such as eu-west-1"));
        if (new LinkedHashSet<>(memberRegions).size() != memberRegions.size()) {
            throw new IllegalArgumentException("memberRegions names a region twice: " + memberRegions);
        }
        if (!memberRegions.contains(hubRegion)) {
            // The member roles, the Config organization rules and their compliance events live in the hub region.
            throw new IllegalArgumentException("memberRegions must include the hubRegion " + hubRegion + ", was "
                    + memberRegions);
        }
        if (sweepMinutes < 1) {
            throw new IllegalArgumentException("organizationSweepMinutes must be at least 1, was " + sweepMinutes);
        }
    }

    /**
     * The props, or {@code null} when none of the hub's keys is set (single-account mode). Naming some of them but not
     * all is refused, with the missing keys named.
     */
    public static OrganizationProps fromContext(Node node) {
        ContextValues context = new ContextValues(node);
        List<String> missing = new ArrayList<>();
        boolean any = false;
        for (String key : HUB_KEYS) {
            Object value = node.tryGetContext(key);
            boolean given = value != null && !value.toString().isBlank() && !"[]".equals(value.toString().trim());
            if (value instanceof List<?> list) {
                given = !list.isEmpty();
            }
            any |= given;
            if (!given) {
                missing.add(key);
            }
        }
        if (!any) {
            return null;
        }
        String organizationId = context.string("organizationId");
        if (organizationId == null) {
            missing.add(0, "organizationId");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("organization mode needs every one of organizationId, "
                    + String.join(", ", HUB_KEYS) + "; missing: " + String.join(", ", missing));
        }
        return new OrganizationProps(organizationId, context.string("hubAccount"), context.string("hubRegion"),
                context.list("memberOrganizationalUnitIds"), context.list("memberRegions"),
                context.integer("organizationSweepMinutes", DEFAULT_SWEEP_MINUTES),
                OrganizationDrillProps.fromContext(context));
    }

    /** The organization id alone (the guardrail's member-resource statement needs nothing else), or {@code null}. */
    public static String organizationIdFromContext(Node node) {
        String id = new ContextValues(node).string("organizationId");
        if (id != null) {
            require(ORGANIZATION, id, "organizationId must be an organization id such as o-a1b2c3d4e5");
        }
        return id;
    }

    /** The hub bus, where every member account's forwarding rules put their events. */
    public String hubBusArn(String partition) {
        return "arn:" + partition + ":events:" + hubRegion + ":" + hubAccount + ":event-bus/" + HUB_NAME;
    }

    /** The fixed name of a hub function's role: the member roles trust exactly these. */
    public static String hubFunctionRoleName(String function) {
        return HUB_NAME + "-" + function;
    }

    /** The hub's four function roles, the only principals the member role trusts. */
    public List<String> hubFunctionRoleArns(String partition) {
        return Functions.ALL.stream()
                .map(name -> "arn:" + partition + ":iam::" + hubAccount + ":role/" + hubFunctionRoleName(name))
                .toList();
    }

    /** The hub FireDrill's role: the only principal every member's drill role trusts. */
    public String hubFireDrillRoleArn(String partition) {
        return "arn:" + partition + ":iam::" + hubAccount + ":role/" + hubFunctionRoleName(Functions.FIRE_DRILL);
    }

    /** A member account's canary trail: one per account, in the hub region. */
    public String memberCanaryArn(String partition, String account) {
        return "arn:" + partition + ":cloudtrail:" + hubRegion + ":" + account + ":trail/"
                + Environment.CANARY_TRAIL_NAME;
    }

    private static void require(Pattern pattern, String value, String message) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(message + ", was " + value);
        }
    }
}
