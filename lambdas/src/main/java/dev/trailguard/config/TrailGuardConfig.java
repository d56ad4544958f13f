package dev.trailguard.config;

import dev.trailguard.contract.Environment;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * TrailGuard's configuration, read once from the function's environment and validated before the first event.
 *
 * @param topicArn          SNS topic that receives every notification ({@code TRAILGUARD_TOPIC_ARN})
 * @param automationRoleArn role that SSM Automation assumes to run the runbook ({@code TRAILGUARD_AUTOMATION_ROLE_ARN})
 * @param ownRoleArns       TrailGuard's own role ARNs; calls made by them are ignored ({@code TRAILGUARD_OWN_ROLE_ARNS})
 * @param guardedTrails     trail names or ARNs that must exist ({@code TRAILGUARD_GUARDED_TRAILS}); empty means all trails
 * @param configRules       names of TrailGuard's AWS Config rules ({@code TRAILGUARD_CONFIG_RULES})
 * @param functionRoleArns  the roles of TrailGuard's functions ({@code TRAILGUARD_FUNCTION_ROLE_ARNS}): the only
 *                          principals whose runbook executions are TrailGuard's own
 */
public record TrailGuardConfig(
        String topicArn,
        String automationRoleArn,
        Set<String> ownRoleArns,
        List<String> guardedTrails,
        Set<String> configRules,
        Set<String> functionRoleArns) {

    public static final String TOPIC_ARN = Environment.TOPIC_ARN;
    public static final String AUTOMATION_ROLE_ARN = Environment.AUTOMATION_ROLE_ARN;
    public static final String OWN_ROLE_ARNS = Environment.OWN_ROLE_ARNS;
    public static final String GUARDED_TRAILS = Environment.GUARDED_TRAILS;
    public static final String CONFIG_RULES = Environment.CONFIG_RULES;
    public static final String FUNCTION_ROLE_ARNS = Environment.FUNCTION_ROLE_ARNS;

    private static final Pattern TOPIC = Pattern.compile("arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    private static final Pattern ROLE = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** How AWS Config names an organization rule's copy in a member account (prefix, then a random suffix). */
    private static final String ORG_RULE_PREFIX = "OrgConfigRule-";
    private static final Pattern ORG_RULE_SUFFIX = Pattern.compile("[a-z0-9]{6,12}");

    public TrailGuardConfig {
        ownRoleArns = Set.copyOf(ownRoleArns);
        guardedTrails = List.copyOf(guardedTrails);
        configRules = Set.copyOf(configRules);
        functionRoleArns = Set.copyOf(functionRoleArns);
    }

    /** Without function roles: no runbook execution can be verified as TrailGuard's own. */
    public TrailGuardConfig(String topicArn, String automationRoleArn, Set<String> ownRoleArns,
                            List<String> guardedTrails, Set<String> configRules) {
        this(topicArn, automationRoleArn, ownRoleArns, guardedTrails, configRules, Set.of());
    }

    /**
     * The configuration for a member account that the organization hub reaches with {@code memberRoleArn}: the
     * member's automation role replaces this one (it is passed to SSM there, and its calls are TrailGuard's own),
     * and the member role counts as a function role there (the executions it starts are the hub functions').
     */
    public TrailGuardConfig forMember(String memberRoleArn, String memberAutomationRoleArn) {
        Set<String> own = new LinkedHashSet<>(ownRoleArns);
        own.add(memberAutomationRoleArn);
        own.add(memberRoleArn);
        Set<String> functions = new LinkedHashSet<>(functionRoleArns);
        functions.add(memberRoleArn);
        return new TrailGuardConfig(topicArn, memberAutomationRoleArn, own, guardedTrails, configRules, functions);
    }

    /** The function's own account: the topic's. */
    public String ownAccount() {
        return topicArn.split(":", 6)[4];
    }

    /** The function's partition: the topic's. */
    public String partition() {
        return topicArn.split(":", 6)[1];
    }

    /**
     * True if {@code ruleName} is one of TrailGuard's AWS Config rules: by its name, or, for an organization rule
     * that the hub deploys, by the name AWS Config gives its copy in each member account,
     * {@code OrgConfigRule-<organization rule name>-<suffix>}.
     */
    public boolean isConfigRule(String ruleName) {
        if (ruleName == null) {
            return false;
        }
        if (configRules.contains(ruleName)) {
            return true;
        }
        if (!ruleName.startsWith(ORG_RULE_PREFIX)) {
            return false;
        }
        String rest = ruleName.substring(ORG_RULE_PREFIX.length());
        int dash = rest.lastIndexOf('-');
        return dash > 0 && ORG_RULE_SUFFIX.matcher(rest.substring(dash + 1)).matches()
                && configRules.contains(rest.substring(0, dash));
    }

    /** True if the call was made with the automation role (as the session's role, or the principal itself). */
    public boolean isAutomationRole(String principalArn, String sessionIssuerArn) {
        return automationRoleArn.equals(principalArn) || automationRoleArn.equals(sessionIssuerArn);
    }

    /**
     * True if {@code principalArn} is one of TrailGuard's function roles: the role ARN itself, or a session of it
     * ({@code arn:<partition>:sts::<account>:assumed-role/<role name>/<session>}, which names the role without its
     * path, so it is matched by partition, account and role name).
     */
    public boolean isFunctionRole(String principalArn) {
        if (principalArn == null || principalArn.isBlank()) {
            return false;
        }
        if (functionRoleArns.contains(principalArn)) {
            return true;
        }
        String[] parts = principalArn.split(":", 6);
        if (parts.length != 6 || !"sts".equals(parts[2]) || !parts[5].startsWith("assumed-role/")) {
            return false;
        }
        String[] resource = parts[5].split("/");
        if (resource.length != 3) {
            return false;
        }
        return functionRoleArns.stream().anyMatch(role -> {
            String[] r = role.split(":", 6);
            String name = r[5].substring(r[5].lastIndexOf('/') + 1);
            return r[1].equals(parts[1]) && r[4].equals(parts[4]) && name.equals(resource[1]);
        });
    }

    /**
     * True if the call was made by one of TrailGuard's own roles, named as the principal or as the session issuer.
     * Either ARN may be null or empty (an AWS service principal has neither); an immutable set's
     * {@code contains(null)} would throw.
     */
    public boolean isOwnRole(String principalArn, String sessionIssuerArn) {
        return principalArn != null && ownRoleArns.contains(principalArn)
                || sessionIssuerArn != null && !sessionIssuerArn.isEmpty() && ownRoleArns.contains(sessionIssuerArn);
    }

    /** Reads and validates the configuration; the exception names the first bad variable. */
    public static TrailGuardConfig fromEnvironment(Map<String, String> env) {
        String topic = required(env, TOPIC_ARN);
        if (!TOPIC.matcher(topic).matches()) {
            throw malformed(TOPIC_ARN, "an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)", topic);
        }
        String role = required(env, AUTOMATION_ROLE_ARN);
        if (!ROLE.matcher(role).matches()) {
            throw malformed(AUTOMATION_ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)", role);
        }
        Set<String> own = new LinkedHashSet<>();
        for (String arn : list(env.get(OWN_ROLE_ARNS))) {
            if (!ROLE.matcher(arn).matches()) {
                throw malformed(OWN_ROLE_ARNS, "a comma-separated list of IAM role ARNs", arn);
            }
            own.add(arn);
        }
        // The automation role acts on trails (StartLogging, later restores): never react to it.
        own.add(role);
        List<String> trails = list(env.get(GUARDED_TRAILS));
        for (String trail : trails) {
            if (!dev.trailguard.trail.TrailRef.isValid(trail)) {
                throw malformed(GUARDED_TRAILS, "a comma-separated list of CloudTrail trail names or ARNs", trail);
            }
        }
        Set<String> rules = new LinkedHashSet<>();
        for (String rule : list(env.get(CONFIG_RULES))) {
            if (!RULE.matcher(rule).matches()) {
                throw malformed(CONFIG_RULES, "a comma-separated list of AWS Config rule names", rule);
            }
            rules.add(rule);
        }
        Set<String> functions = new LinkedHashSet<>();
        for (String arn : list(env.get(FUNCTION_ROLE_ARNS))) {
            if (!ROLE.matcher(arn).matches()) {
                throw malformed(FUNCTION_ROLE_ARNS, "a comma-separated list of IAM role ARNs", arn);
            }
            functions.add(arn);
        }
        return new TrailGuardConfig(topic, role, own, trails, rules, functions);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("Missing environment variable " + name);
        }
        return value.trim();
    }

    private static ConfigurationException malformed(String name, String expected, String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return new ConfigurationException("Malformed environment variable " + name + ": expected " + expected
                + ", got '" + shown + "'");
    }

    private static List<String> list(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
