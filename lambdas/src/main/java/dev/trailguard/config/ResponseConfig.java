package dev.trailguard.config;

import dev.trailguard.contract.Environment;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configuration of the restore and guard-the-guard responses, read once from the environment next to
 * {@link TrailGuardConfig}. Every variable is optional.
 *
 * @param authorizedRoleArns       deployment and break-glass roles ({@code TRAILGUARD_AUTHORIZED_ROLE_ARNS}): their
 *                                 changes are reported but never reverted; the SCP exempts the same roles
 * @param resourcePrefix           name prefix of TrailGuard's own resources ({@code TRAILGUARD_RESOURCE_PREFIX},
 *                                 default {@value #DEFAULT_PREFIX})
 * @param baselineParameterPrefix  SSM parameter path of declared baselines
 *                                 ({@code TRAILGUARD_BASELINE_PARAMETER_PREFIX}, default
 *                                 {@value #DEFAULT_BASELINE_PREFIX})
 * @param lakeEventDataStore       CloudTrail Lake event data store id for the gap queries
 *                                 ({@code TRAILGUARD_LAKE_EVENT_DATA_STORE}); a placeholder when unset
 * @param athenaTable              Athena table over the CloudTrail logs ({@code TRAILGUARD_ATHENA_TABLE}, default
 *                                 {@value #DEFAULT_ATHENA_TABLE})
 * @param passableLogsRoleArns     the CloudWatch Logs delivery roles the automation role may pass to CloudTrail
 *                                 ({@code TRAILGUARD_PASSABLE_LOGS_ROLE_ARNS}; empty means none): a restore that
 *                                 would pass any other fails with AccessDenied on iam:PassRole
 */
public record ResponseConfig(Set<String> authorizedRoleArns, String resourcePrefix, String baselineParameterPrefix,
                             String lakeEventDataStore, String athenaTable, Set<String> passableLogsRoleArns) {

    public static final String AUTHORIZED_ROLE_ARNS = Environment.AUTHORIZED_ROLE_ARNS;
    public static final String RESOURCE_PREFIX = Environment.RESOURCE_PREFIX;
    public static final String BASELINE_PARAMETER_PREFIX = Environment.BASELINE_PARAMETER_PREFIX;
    public static final String LAKE_EVENT_DATA_STORE = Environment.LAKE_EVENT_DATA_STORE;
    public static final String ATHENA_TABLE = Environment.ATHENA_TABLE;
    public static final String PASSABLE_LOGS_ROLE_ARNS = Environment.PASSABLE_LOGS_ROLE_ARNS;

    public static final String DEFAULT_PREFIX = Environment.DEFAULT_RESOURCE_PREFIX;
    public static final String DEFAULT_BASELINE_PREFIX = Environment.DEFAULT_BASELINE_PARAMETER_PREFIX;
    public static final String DEFAULT_ATHENA_TABLE = "cloudtrail_logs";
    public static final String LAKE_PLACEHOLDER = "<event-data-store-id>";
    /** The name prefix of the role service-managed StackSets deploy with in each member account. */
    public static final String STACKSET_EXECUTION_ROLE_PREFIX = "stacksets-exec-";

    private static final Pattern ROLE = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,63}");
    private static final Pattern PARAMETER_PATH = Pattern.compile("/[A-Za-z0-9_./-]{1,200}/");
    private static final Pattern LAKE = Pattern.compile("[A-Za-z0-9:/_-]{1,256}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_]{1,128}(\\.[A-Za-z0-9_]{1,128})?");

    public ResponseConfig {
        authorizedRoleArns = Set.copyOf(authorizedRoleArns);
        passableLogsRoleArns = Set.copyOf(passableLogsRoleArns);
    }

    /** No CloudWatch Logs role may be passed. */
    public ResponseConfig(Set<String> authorizedRoleArns, String resourcePrefix, String baselineParameterPrefix,
                          String lakeEventDataStore, String athenaTable) {
        this(authorizedRoleArns, resourcePrefix, baselineParameterPrefix, lakeEventDataStore, athenaTable, Set.of());
    }

    /** True if the automation role may pass this CloudWatch Logs role to CloudTrail. */
    public boolean isPassableLogsRole(String roleArn) {
        return roleArn != null && passableLogsRoleArns.contains(roleArn);
    }

    /** The defaults: no authorized roles, prefix {@value #DEFAULT_PREFIX}. */
    public static ResponseConfig defaults() {
        return fromEnvironment(Map.of());
    }

    /** Reads and validates the variables; the exception names the first bad one. */
    public static ResponseConfig fromEnvironment(Map<String, String> env) {
        Set<String> roles = roles(env, AUTHORIZED_ROLE_ARNS);
        Set<String> logsRoles = roles(env, PASSABLE_LOGS_ROLE_ARNS);
        return new ResponseConfig(roles,
                check(RESOURCE_PREFIX, PREFIX, value(env, RESOURCE_PREFIX, DEFAULT_PREFIX),
                        "a resource name prefix (2-64 letters, digits, '-' or '_')"),
                check(BASELINE_PARAMETER_PREFIX, PARAMETER_PATH,
                        value(env, BASELINE_PARAMETER_PREFIX, DEFAULT_BASELINE_PREFIX),
                        "an SSM parameter path that starts and ends with '/'"),
                env.get(LAKE_EVENT_DATA_STORE) == null || env.get(LAKE_EVENT_DATA_STORE).isBlank() ? LAKE_PLACEHOLDER
                        : check(LAKE_EVENT_DATA_STORE, LAKE, env.get(LAKE_EVENT_DATA_STORE).trim(),
                        "a CloudTrail Lake event data store id or ARN"),
                check(ATHENA_TABLE, TABLE, value(env, ATHENA_TABLE, DEFAULT_ATHENA_TABLE),
                        "an Athena table name, optionally database.table"),
                logsRoles);
    }

    private static Set<String> roles(Map<String, String> env, String name) {
        Set<String> roles = new LinkedHashSet<>();
        String raw = env.get(name);
        if (raw != null && !raw.isBlank()) {
            for (String arn : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
                roles.add(check(name, ROLE, arn, "a comma-separated list of IAM role ARNs"));
            }
        }
        return roles;
    }

    /**
     * True if the call was made by a deployment or break-glass role. Either ARN may be null (an AWS service principal
     * has neither); an immutable set's {@code contains(null)} would throw.
     */
    public boolean isAuthorized(String principalArn, String sessionIssuerArn) {
        return authorized(principalArn) || authorized(sessionIssuerArn);
    }

    private boolean authorized(String arn) {
        if (arn == null || arn.isEmpty()) {
            return false;
        }
        return authorizedRoleArns.contains(arn) || authorizedRoleArns.stream()
                .anyMatch(a -> a.endsWith("*") && arn.startsWith(a.substring(0, a.length() - 1)));
    }

    /**
     * The configuration for a member account that the organization hub reaches: the account's StackSet execution
     * role ({@code stacksets-exec-<hash>}, which deploys and updates TrailGuard's member resources there) is a
     * deployment role, as the SCP's member-resource statement treats it.
     */
    public ResponseConfig forMember(String partition, String account) {
        Set<String> authorized = new LinkedHashSet<>(authorizedRoleArns);
        authorized.add("arn:" + partition + ":iam::" + account + ":role/" + STACKSET_EXECUTION_ROLE_PREFIX + "*");
        return new ResponseConfig(authorized, resourcePrefix, baselineParameterPrefix, lakeEventDataStore, athenaTable,
                passableLogsRoleArns);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String check(String name, Pattern pattern, String value, String expected) {
        if (!pattern.matcher(value).matches()) {
            String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
            throw new ConfigurationException("Malformed environment variable " + name + ": expected " + expected
                    + ", got '" + shown + "'");
        }
        return value;
    }
}
