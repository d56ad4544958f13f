package dev.trailguard.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.StackProps;
import software.constructs.Node;

/**
 * Everything a {@link GuardStack} is configured with. Built from CDK context by
 * {@link #fromContext(StackProps, String, String, Node)}; tests build it the same way.
 *
 * @param stackProps                  account/region and description of the stack
 * @param lambdaJar                   path of the shaded Lambda jar that every function deploys
 * @param runbookDir                  folder holding the {@code TrailGuard-*.yaml} runbooks (the repository's {@code runbooks/})
 * @param notificationEmails          e-mail addresses subscribed to the topic (context {@code notificationEmails})
 * @param jsonSubscriberQueueArn      optional SQS queue ARN that receives the SNS envelope (context {@code jsonSubscriberQueueArn})
 * @param jsonSubscriberHttpsUrl      optional HTTPS endpoint that receives the SNS envelope (context {@code jsonSubscriberHttpsUrl})
 * @param guardedTrails               trail names or ARNs to guard; empty means every trail of the account (context {@code guardedTrails})
 * @param sweepMinutes                minutes between two sweeps (context {@code sweepMinutes}, default 5)
 * @param enableLogFileValidationRule also deploy the log-file-validation Config rule (context {@code enableLogFileValidationRule})
 * @param enableEncryptionRule        also deploy the encryption Config rule (context {@code enableEncryptionRule})
 * @param createConfigRecorder        create an AWS Config recorder and delivery channel (context {@code createConfigRecorder})
 * @param authorizedRoleArns          break-glass role ARNs whose trail changes are reported but not reverted
 *                                    (context {@code authorizedRoleArns}; exact ARNs, no wildcards)
 * @param trailCloudWatchLogsRoleArns the guarded trails' CloudWatch Logs delivery roles, which a restore hands back to
 *                                    CloudTrail (context {@code trailCloudWatchLogsRoleArns}; empty = no iam:PassRole)
 * @param trailBaselines              declared baselines, trail name to JSON document (context {@code trailBaselines})
 * @param lakeEventDataStore          optional CloudTrail Lake event data store for the gap queries (context {@code lakeEventDataStore})
 * @param athenaTable                 optional Athena table over the CloudTrail logs (context {@code athenaTable})
 * @param guardIamEvents              create the IAM guard rule: {@code null} means "unless the stack's region is known
 *                                    and is not us-east-1" (context {@code guardIamEvents})
 * @param integrations                Security Hub findings, incident events and the chat card ({@link IntegrationProps})
 * @param fireDrill                   the canary trail and its weekly drill ({@link FireDrillProps}, issue 16); when it is
 *                                    on and {@code guardedTrails} names trails, the canary is guarded too
 */
public record GuardStackProps(
        StackProps stackProps,
        String lambdaJar,
        String runbookDir,
        List<String> notificationEmails,
        String jsonSubscriberQueueArn,
        String jsonSubscriberHttpsUrl,
        List<String> guardedTrails,
        int sweepMinutes,
        boolean enableLogFileValidationRule,
        boolean enableEncryptionRule,
        boolean createConfigRecorder,
        List<String> authorizedRoleArns,
        List<String> trailCloudWatchLogsRoleArns,
        Map<String, String> trailBaselines,
        String lakeEventDataStore,
        String athenaTable,
        Boolean guardIamEvents,
        IntegrationProps integrations,
        FireDrillProps fireDrill) {

    static final int DEFAULT_SWEEP_MINUTES = 5;
    /** The largest value SSM accepts in an Advanced-tier parameter. */
    static final int MAX_BASELINE_BYTES = 8 * 1024;

    // The same shapes ResponseConfig accepts at the functions' start; failing here is better than a function that
    // cannot initialise (GuardStackEnvironmentTest checks both agree).
    private static final Pattern ROLE = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    private static final Pattern LAKE = Pattern.compile("[A-Za-z0-9:/_-]{1,256}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_]{1,128}(\\.[A-Za-z0-9_]{1,128})?");
    /** CloudTrail's trail-name rules: 3-128 characters, letters, digits, '.', '_' and '-', starting and ending alphanumeric. */
    private static final Pattern TRAIL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]");

    public GuardStackProps {
        integrations = integrations == null ? IntegrationProps.NONE : integrations;
        fireDrill = fireDrill == null ? FireDrillProps.disabled() : fireDrill;
        notificationEmails = List.copyOf(notificationEmails);
        guardedTrails = List.copyOf(guardedTrails);
        authorizedRoleArns = List.copyOf(authorizedRoleArns);
        trailCloudWatchLogsRoleArns = List.copyOf(trailCloudWatchLogsRoleArns);
        trailBaselines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trailBaselines));
        if (sweepMinutes < 1) {
            throw new IllegalArgumentException("sweepMinutes must be at least 1, was " + sweepMinutes);
        }
        if (jsonSubscriberHttpsUrl != null && !jsonSubscriberHttpsUrl.startsWith("https://")) {
            // Plain HTTP would send tamper reports, including who did what, in clear text.
            throw new IllegalArgumentException("jsonSubscriberHttpsUrl must start with https://");
        }
        if (jsonSubscriberQueueArn != null && !jsonSubscriberQueueArn.startsWith("arn:")) {
            throw new IllegalArgumentException("jsonSubscriberQueueArn must be a queue ARN, was " + jsonSubscriberQueueArn);
        }
        for (String arn : authorizedRoleArns) {
            // The functions compare the caller's role ARN for equality: a wildcard would never match.
            require(ROLE, arn, "authorizedRoleArns must be exact IAM role ARNs (no wildcards)");
        }
        for (String arn : trailCloudWatchLogsRoleArns) {
            require(ROLE, arn, "trailCloudWatchLogsRoleArns must be exact IAM role ARNs");
        }
        for (Map.Entry<String, String> baseline : trailBaselines.entrySet()) {
            String trail = baseline.getKey();
            String json = baseline.getValue();
            require(TRAIL_NAME, trail, "trailBaselines keys must be trail names (not ARNs)");
            if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BASELINE_BYTES) {
                throw new IllegalArgumentException("trailBaselines." + trail + " is over " + MAX_BASELINE_BYTES
                        + " bytes, the most an SSM parameter holds");
            }
            String logsRole = declaredLogsRole(json);
            if (logsRole != null && !trailCloudWatchLogsRoleArns.contains(logsRole)) {
                // The restore would hand CloudTrail this role and fail with AccessDenied on iam:PassRole.
                throw new IllegalArgumentException("trailBaselines." + trail + " delivers to CloudWatch Logs with role "
                        + logsRole + ", which the automation role may not pass: add it to trailCloudWatchLogsRoleArns");
            }
        }
        if (lakeEventDataStore != null) {
            require(LAKE, lakeEventDataStore, "lakeEventDataStore must be a CloudTrail Lake event data store id or ARN");
        }
        if (athenaTable != null) {
            require(TABLE, athenaTable, "athenaTable must be an Athena table name, optionally database.table");
        }
    }

    /**
     * The hub's props: these without the settings that only the single-account stack can honour in its own account
     * (the member automation role passes no CloudWatch Logs role, and the members hold no declared baselines), so the
     * hub's functions are not told they could.
     */
    public GuardStackProps forHub() {
        return forHub(false);
    }

    /**
     * The hub's props; with {@code memberCanaries} (the organization's fire drills, issue 16) the canary trail is
     * guarded too when the guarded trails are named, as the single-account stack guards its own canary.
     */
    public GuardStackProps forHub(boolean memberCanaries) {
        List<String> guarded = new java.util.ArrayList<>(guardedTrails);
        if (memberCanaries && !guarded.isEmpty() && !guarded.contains(FireDrillProps.CANARY_TRAIL_NAME)) {
            guarded.add(FireDrillProps.CANARY_TRAIL_NAME);
        }
        return new GuardStackProps(stackProps, lambdaJar, runbookDir, notificationEmails, jsonSubscriberQueueArn,
                jsonSubscriberHttpsUrl, guarded, sweepMinutes, enableLogFileValidationRule, enableEncryptionRule,
                createConfigRecorder, authorizedRoleArns, List.of(), Map.of(), lakeEventDataStore, athenaTable,
                guardIamEvents, integrations, FireDrillProps.disabled());
    }

    /** A declared baseline document (validated JSON by the constructor). */
    static com.fasterxml.jackson.databind.JsonNode readBaseline(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("trailBaselines must be JSON documents: " + e.getMessage(), e);
        }
    }

    /** The {@code Trail.CloudWatchLogsRoleArn} of a declared baseline, or {@code null}. */
    private static String declaredLogsRole(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode role = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)
                    .path("Trail").path("CloudWatchLogsRoleArn");
            return role.isTextual() && !role.asText().isEmpty() ? role.asText() : null;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("trailBaselines must be JSON documents: " + e.getMessage(), e);
        }
    }

    private static void require(Pattern pattern, String value, String message) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(message + ", was " + value);
        }
    }

    /** Reads the props from the context keys documented in {@code docs/deploy.md}. */
    public static GuardStackProps fromContext(StackProps stackProps, String lambdaJar, String runbookDir, Node node) {
        ContextValues context = new ContextValues(node);
        FireDrillProps fireDrill = FireDrillProps.fromContext(context);
        List<String> guarded = new java.util.ArrayList<>(context.list("guardedTrails"));
        if (fireDrill.enabled() && !guarded.isEmpty() && !guarded.contains(FireDrillProps.CANARY_TRAIL_NAME)) {
            // A guarded trail like any other: the automation role may restart it, the sweep checks it.
            guarded.add(FireDrillProps.CANARY_TRAIL_NAME);
        }
        return new GuardStackProps(
                stackProps,
                lambdaJar,
                runbookDir,
                context.list("notificationEmails"),
                context.string("jsonSubscriberQueueArn"),
                context.string("jsonSubscriberHttpsUrl"),
                guarded,
                context.integer("sweepMinutes", DEFAULT_SWEEP_MINUTES),
                context.flag("enableLogFileValidationRule", false),
                context.flag("enableEncryptionRule", false),
                context.flag("createConfigRecorder", false),
                context.list("authorizedRoleArns"),
                context.list("trailCloudWatchLogsRoleArns"),
                context.jsonObjects("trailBaselines"),
                context.string("lakeEventDataStore"),
                context.string("athenaTable"),
                context.string("guardIamEvents") == null ? null : context.flag("guardIamEvents", true),
                IntegrationProps.fromContext(context),
                fireDrill);
    }
}
