package dev.trailguard.config;

import dev.trailguard.contract.Environment;
import java.time.Duration;
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
 */
public record DrillConfig(Optional<String> canaryTrailArn, String drillRoleArn, Duration target, Duration deadline) {

    public static final String CANARY_TRAIL_ARN = Environment.CANARY_TRAIL_ARN;
    public static final String DRILL_ROLE_ARN = Environment.DRILL_ROLE_ARN;
    public static final String TARGET_SECONDS = Environment.DRILL_TARGET_SECONDS;
    public static final String DEADLINE_MINUTES = Environment.DRILL_DEADLINE_MINUTES;

    private static final Pattern TRAIL_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:cloudtrail:[a-z0-9-]+:\\d{12}:trail/[A-Za-z0-9._-]{3,128}");
    private static final Pattern ROLE = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");

    public DrillConfig {
        canaryTrailArn = canaryTrailArn == null ? Optional.empty() : canaryTrailArn;
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

    /** Reads and validates the variables: both ARNs or neither; the exception names the first bad one. */
    public static DrillConfig fromEnvironment(Map<String, String> env) {
        String canary = blankToNull(env.get(CANARY_TRAIL_ARN));
        String role = blankToNull(env.get(DRILL_ROLE_ARN));
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
                Duration.ofMinutes(positive(env, DEADLINE_MINUTES, Environment.DEFAULT_DRILL_DEADLINE_MINUTES)));
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
