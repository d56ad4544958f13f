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
 */
public record TrailGuardConfig(
        String topicArn,
        String automationRoleArn,
        Set<String> ownRoleArns,
        List<String> guardedTrails,
        Set<String> configRules) {

    public static final String TOPIC_ARN = Environment.TOPIC_ARN;
    public static final String AUTOMATION_ROLE_ARN = Environment.AUTOMATION_ROLE_ARN;
    public static final String OWN_ROLE_ARNS = Environment.OWN_ROLE_ARNS;
    public static final String GUARDED_TRAILS = Environment.GUARDED_TRAILS;
    public static final String CONFIG_RULES = Environment.CONFIG_RULES;

    private static final Pattern TOPIC = Pattern.compile("arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    private static final Pattern ROLE = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public TrailGuardConfig {
        ownRoleArns = Set.copyOf(ownRoleArns);
        guardedTrails = List.copyOf(guardedTrails);
        configRules = Set.copyOf(configRules);
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
        return new TrailGuardConfig(topic, role, own, trails, rules);
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
