package dev.trailguard.config;

import dev.trailguard.contract.Environment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fire drill's settings (issue 16). A drill is recognised only when both match: the StopLogging was made by the
 * drill function's own role and it names the canary trail. A StopLogging of the canary by anyone else, or of any other
 * trail by the drill role, is a real incident.
 *
 * @param canaryTrailArn the canary trail's ARN; empty when the stack has no canary (no drills)
 * @param drillRoleArn   the drill function's role ARN; null when there is no canary
 * @param target         a drill restored within this time (StopLogging to StartLoggingTime) is INFO, later HIGH
 * @param deadline       a canary still stopped this long after its StopLogging is CRITICAL
 * @param members        the organization hub's member drills, or null elsewhere; a hub's config recognises drills only
 *                       once bound to one account ({@link #forAccount})
 */
public record DrillConfig(Optional<String> canaryTrailArn, String drillRoleArn, Duration target, Duration deadline,
                          MemberDrills members) {

    public static final String CANARY_TRAIL_ARN = Environment.CANARY_TRAIL_ARN;
    public static final String DRILL_ROLE_ARN = Environment.DRILL_ROLE_ARN;
    public static final String TARGET_SECONDS = Environment.DRILL_TARGET_SECONDS;
    public static final String DEADLINE_MINUTES = Environment.DRILL_DEADLINE_MINUTES;
    public static final String MEMBER_DRILL_ROLE_NAME = Environment.MEMBER_DRILL_ROLE_NAME;
    public static final String MEMBER_CANARY_REGION = Environment.MEMBER_CANARY_REGION;
    public static final String ACCOUNTS_PER_DAY = Environment.DRILL_ACCOUNTS_PER_DAY;
    public static final String PARENT_IDS = Environment.DRILL_PARENT_IDS;

    private static final Pattern TRAIL_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:cloudtrail:[a-z0-9-]+:\\d{12}:trail/[A-Za-z0-9._-]{3,128}");
    private static final Pattern ROLE = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern PARENT = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}");

    public DrillConfig {
        canaryTrailArn = canaryTrailArn == null ? Optional.empty() : canaryTrailArn;
    }

    /** Single-account mode: no member drills. */
    public DrillConfig(Optional<String> canaryTrailArn, String drillRoleArn, Duration target, Duration deadline) {
        this(canaryTrailArn, drillRoleArn, target, deadline, null);
    }

    /** True in the organization hub with member drills on (whether or not bound to an account yet). */
    public boolean organization() {
        return members != null;
    }

    /**
     * The hub's config for one account: its canary and its drill role, exactly, and nothing else. Every member
     * account's functions (and the hub's own account's) get theirs, so a member drill role of one account never makes
     * another account's StopLogging a drill.
     */
    public DrillConfig forAccount(String partition, String account) {
        if (members == null) {
            throw new IllegalStateException("no member drills outside the organization hub");
        }
        return new DrillConfig(Optional.of(members.canaryArn(partition, account)),
                members.drillRoleArn(partition, account), target, deadline, members);
    }

    /** No canary: nothing is ever a drill. */
    public static DrillConfig none() {
        return new DrillConfig(Optional.empty(), null, Duration.ofSeconds(Environment.DEFAULT_DRILL_TARGET_SECONDS),
                Duration.ofMinutes(Environment.DEFAULT_DRILL_DEADLINE_MINUTES));
    }

    /** True if a canary trail is configured. */
    public boolean enabled() {
        return canaryTrailArn.isPresent();
    }

    /** True if the trail (its ARN) is the canary. */
    public boolean isCanary(String trailArn) {
        return trailArn != null && canaryTrailArn.map(trailArn::equals).orElse(false);
    }

    /**
     * True only for the drill: the call was made in a session of the drill role and it names the canary. Either
     * alone is a real incident.
     */
    public boolean isDrill(String sessionIssuerArn, String trailArn) {
        return isCanary(trailArn) && drillRoleArn != null && drillRoleArn.equals(sessionIssuerArn);
    }

    /**
     * Reads and validates the variables: both ARNs or neither (single account), or the member drill role's name with
     * the canary region and the guarded parents (organization hub), never both; the exception names the first bad one.
     */
    public static DrillConfig fromEnvironment(Map<String, String> env) {
        String canary = blankToNull(env.get(CANARY_TRAIL_ARN));
        String role = blankToNull(env.get(DRILL_ROLE_ARN));
        MemberDrills members = members(env);
        if (members != null && (canary != null || role != null)) {
            throw bad(MEMBER_DRILL_ROLE_NAME, "is the organization hub's and goes without " + CANARY_TRAIL_ARN
                    + " and " + DRILL_ROLE_ARN + " (the single account's)");
        }
        if ((canary == null) != (role == null)) {
            throw bad(canary == null ? CANARY_TRAIL_ARN : DRILL_ROLE_ARN, "is required when " + (canary == null ? DRILL_ROLE_ARN : CANARY_TRAIL_ARN)
                            + " is set (both or neither)");
        }
        if (canary != null && !TRAIL_ARN.matcher(canary).matches()) {
            throw bad(CANARY_TRAIL_ARN, "must be a CloudTrail trail ARN, was "
                    + canary);
        }
        if (role != null && !ROLE.matcher(role).matches()) {
            throw bad(DRILL_ROLE_ARN, "must be an IAM role ARN, was " + role);
        }
        return new DrillConfig(Optional.ofNullable(canary), role,
                Duration.ofSeconds(positive(env, TARGET_SECONDS, Environment.DEFAULT_DRILL_TARGET_SECONDS)),
                Duration.ofMinutes(positive(env, DEADLINE_MINUTES, Environment.DEFAULT_DRILL_DEADLINE_MINUTES)),
                members);
    }

    private static MemberDrills members(Map<String, String> env) {
        String name = blankToNull(env.get(MEMBER_DRILL_ROLE_NAME));
        if (name == null) {
            return null;
        }
        if (!ROLE_NAME.matcher(name).matches()) {
            throw bad(MEMBER_DRILL_ROLE_NAME, "must be an IAM role name without a path, was " + name);
        }
        String region = blankToNull(env.get(MEMBER_CANARY_REGION));
        if (region == null || !REGION.matcher(region).matches()) {
            throw bad(MEMBER_CANARY_REGION, "must be the members' canary region (the hub region), was " + region);
        }
        String parents = blankToNull(env.get(PARENT_IDS));
        List<String> parentIds = parents == null ? List.of() : Arrays.stream(parents.split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        if (parentIds.isEmpty() || !parentIds.stream().allMatch(p -> PARENT.matcher(p).matches())) {
            throw bad(PARENT_IDS, "must be the guarded OU ids (ou-...) or the root id (r-...), comma-separated, was "
                    + parents);
        }
        return new MemberDrills(name, region, positive(env, ACCOUNTS_PER_DAY,
                Environment.DEFAULT_DRILL_ACCOUNTS_PER_DAY), parentIds);
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String raw = blankToNull(env.get(name));
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value > 0 && value <= 24 * 60 * 60) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, "must be a positive whole number, was " + raw);
    }

    private static ConfigurationException bad(String name, String reason) {
        return new ConfigurationException(name + " " + reason);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
