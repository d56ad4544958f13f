package dev.trailguard.config;

import dev.trailguard.contract.Environment;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the organization hub reaches a member account: the role its functions assume there
 * ({@code TRAILGUARD_MEMBER_ROLE_NAME}) and the automation role they pass to SSM there
 * ({@code TRAILGUARD_MEMBER_AUTOMATION_ROLE_NAME}). Both are set in the hub, neither in single-account mode; the
 * names are the same in every member account (the member stack set creates them).
 *
 * @param roleName           the member role's name, or null in single-account mode
 * @param automationRoleName the member automation role's name, or null in single-account mode
 * @param hubBusArn          the hub bus every member's forwarding rules must target
 *                           ({@code TRAILGUARD_HUB_BUS_ARN}), or null where not given (then only their state is
 *                           checked)
 */
public record MemberAccess(String roleName, String automationRoleName, String hubBusArn) {

    public static final String ROLE_NAME = Environment.MEMBER_ROLE_NAME;
    public static final String AUTOMATION_ROLE_NAME = Environment.MEMBER_AUTOMATION_ROLE_NAME;
    public static final String HUB_BUS_ARN = dev.trailguard.contract.Forwarding.HUB_BUS_ARN_VARIABLE;

    /** IAM's role name characters (without a path: the member roles have none). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern BUS = Pattern.compile("arn:aws(-[a-z]+)*:events:[a-z0-9-]+:\\d{12}:event-bus/[A-Za-z0-9._-]{1,256}");

    /** Without a hub bus to compare the forwarding rules' targets with. */
    public MemberAccess(String roleName, String automationRoleName) {
        this(roleName, automationRoleName, null);
    }

    /** Single-account mode: no member account is reached. */
    public static MemberAccess none() {
        return new MemberAccess(null, null, null);
    }

    /** True in the organization hub. */
    public boolean enabled() {
        return roleName != null;
    }

    /** The member role of {@code account}: what the hub's functions assume there. */
    public String roleArn(String partition, String account) {
        return arn(partition, account, roleName);
    }

    /** The automation role of {@code account}: what SSM assumes there to run TrailGuard's runbooks. */
    public String automationRoleArn(String partition, String account) {
        return arn(partition, account, automationRoleName);
    }

    private String arn(String partition, String account, String name) {
        if (!enabled()) {
            throw new IllegalStateException("no member roles in single-account mode");
        }
        if (partition == null || !PARTITION.matcher(partition).matches()) {
            throw new IllegalArgumentException("not a partition: " + partition);
        }
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("not an account id: " + account);
        }
        return "arn:" + partition + ":iam::" + account + ":role/" + name;
    }

    /** Reads and validates both variables: both or neither. */
    public static MemberAccess fromEnvironment(Map<String, String> env) {
        String role = blankToNull(env.get(ROLE_NAME));
        String automation = blankToNull(env.get(AUTOMATION_ROLE_NAME));
        if (role == null && automation == null) {
            return none();
        }
        if (role == null || automation == null) {
            throw new ConfigurationException("Environment variables " + ROLE_NAME + " and " + AUTOMATION_ROLE_NAME
                    + " go together: set both (organization hub) or neither (single account)");
        }
        for (String[] v : new String[][] {{ROLE_NAME, role}, {AUTOMATION_ROLE_NAME, automation}}) {
            if (!NAME.matcher(v[1]).matches()) {
                throw new ConfigurationException("Malformed environment variable " + v[0]
                        + ": expected an IAM role name without a path, got '"
                        + (v[1].length() > 80 ? v[1].substring(0, 80) + "..." : v[1]) + "'");
            }
        }
        String bus = blankToNull(env.get(HUB_BUS_ARN));
        if (bus != null && !BUS.matcher(bus).matches()) {
            throw new ConfigurationException("Malformed environment variable " + HUB_BUS_ARN
                    + ": expected an event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)");
        }
        return new MemberAccess(role, automation, bus);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
