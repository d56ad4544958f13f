package dev.trailguard.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.contract.DeliveryCalls;
import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Functions;
import dev.trailguard.contract.Runbooks;
import dev.trailguard.contract.TamperCalls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.organizations.CfnPolicy;
import software.constructs.Construct;

/**
 * The preventive half of TrailGuard: a service control policy that denies the CloudTrail tamper
 * calls in member accounts to everyone but the break-glass roles (and, for the calls that put a trail
 * back, TrailGuard's automation role), denies borrowing TrailGuard's roles and runbooks, and denies
 * changing or removing TrailGuard itself (its rules, functions, roles, topic, runbooks, declared
 * baselines) and the AWS Config recorder to everyone but the deployment and break-glass roles. Deployed from the
 * organization's management account; SCPs never apply to the management account itself.
 */
public final class GuardrailStack extends Stack {

    /** AWS's limit for an SCP document, counted on the minified JSON. */
    public static final int SCP_MAX_CHARACTERS = 5_120;
    /** At most this many TrailGuard SCPs per target (AWS allows five, one usually {@code FullAWSAccess}). */
    public static final int MAX_PARTS = 2;
    public static final String POLICY_NAME = "trailguard-protect-cloudtrail";
    /** The calls that disable or blind TrailGuard itself; the ones its guard rules watch, plus their close relatives. */
    public static final List<String> SELF_PROTECTED_ACTIONS = List.of(
            "events:DisableRule", "events:DeleteRule",
            "lambda:DeleteFunction", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode",
            "lambda:PutFunctionConcurrency", "lambda:DeleteAlias", "lambda:UpdateAlias", "lambda:RemovePermission",
            "iam:CreateRole", "iam:DeleteRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
            "iam:DetachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
            "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:RemovePermission", "sns:Unsubscribe",
            "sns:PutDataProtectionPolicy",
            "ssm:DeleteDocument", "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion",
            "ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters");
    /**
     * The calls TrailGuard's TamperResponder makes itself to put a changed rule or a muted subscription back (#14 items
     * 8 and 10): denied on TrailGuard's rules and topics to everyone but it, the deployment and break-glass roles.
     */
    public static final List<String> SELF_REPAIRED_ACTIONS = List.of(
            "events:PutRule", "events:PutTargets", "events:RemoveTargets", "sns:SetSubscriptionAttributes");
    /**
     * What disables the notification topic's key or locks the services out of it, and the tag calls that would take
     * the key out of the statement: key ARNs carry an id, not a name, so the statement finds the key by its tag.
     */
    public static final List<String> TOPIC_KEY_ACTIONS = List.of(
            "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:TagResource", "kms:UntagResource");
    /** Config's recorder has no name-based ARN to scope by, so these are denied on every resource. */
    public static final List<String> CONFIG_RECORDER_ACTIONS = List.of(
            "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel");

    /** Redefining the recorder (for example so that it no longer records trails), denied with the calls above. */
    public static final String RECORDER_REDEFINITION = "config:PutConfigurationRecorder";
    /** Delivery calls a restore makes: the TamperResponder writes back a declared bucket policy or lifecycle. */
    public static final List<String> DELIVERY_RESTORING_ACTIONS = List.of("s3:PutBucketPolicy",
            "s3:PutLifecycleConfiguration");

    /**
     * The trails' delivery resources the SCP protects (all optional; no statement without any).
     *
     * @param buckets         log bucket names
     * @param keyArns         trail KMS key ARNs
     * @param eventDataStores CloudTrail Lake event data store ARNs
     */
    public record Delivery(List<String> buckets, List<String> keyArns, List<String> eventDataStores) {
        public static final Delivery NONE = new Delivery(List.of(), List.of(), List.of());
    }

    /** Organization mode: what nobody but the stack sets (and break-glass) may do to the member resources. */
    public static final List<String> MEMBER_PROTECTED_ACTIONS = List.of(
            "events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets",
            "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy",
            "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
            "ssm:DeleteDocument", "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion");
    /** The role service-managed StackSets deploy with in every member account. */
    public static final String STACKSET_EXECUTION_ROLE_PATTERN = "arn:*:iam::*:role/stacksets-exec-*";
    public static final String MEMBER_ROLE_PATTERN = "arn:*:iam::*:role/" + OrganizationProps.MEMBER_ROLE_NAME;
    public static final String MEMBER_AUTOMATION_ROLE_PATTERN = "arn:*:iam::*:role/"
            + OrganizationProps.MEMBER_AUTOMATION_ROLE_NAME;
    /** The members' fire drill role (issue 16 item 5), exempt and restricted as the single account's drill role. */
    public static final String MEMBER_DRILL_ROLE_PATTERN = "arn:*:iam::*:role/"
            + OrganizationProps.MEMBER_DRILL_ROLE_NAME;
    private static final String MEMBER_PREFIX = EventPatterns.MEMBER_RESOURCE_PREFIX;

    private static final ObjectMapper JSON = new ObjectMapper();

    public GuardrailStack(final Construct scope, final String id, final GuardrailStackProps props) {
        super(scope, id, props.stackProps());
        Map<String, Object> content = policyContent(props.breakGlassRoleArns(), props.resourcePrefix(),
                props.deploymentRoleArns(), props.organizationId() != null, new Delivery(props.logBuckets(),
                        props.logKeyArns(), props.eventDataStoreArns()));
        List<Map<String, Object>> parts = policyParts(content);
        for (int i = 0; i < parts.size(); i++) {
            // The first part keeps the policy's logical id and name: a deployed policy is updated, not replaced.
            CfnPolicy.Builder.create(this, i == 0 ? "ProtectCloudTrailPolicy" : "ProtectCloudTrailPolicy" + (i + 1))
                    .name(i == 0 ? POLICY_NAME : POLICY_NAME + "-" + (i + 1))
                    .description("TrailGuard: only break-glass roles may stop, delete or weaken CloudTrail trails;"
                            + " only deployment and break-glass roles may change TrailGuard or stop AWS Config"
                            + (parts.size() > 1 ? " (part " + (i + 1) + " of " + parts.size() + ")" : ""))
                    .type("SERVICE_CONTROL_POLICY")
                    // A Map, not a String: CloudFormation gets JSON, not a string with escaped quotes.
                    .content(parts.get(i))
                    .targetIds(props.targetIds())
                    .build();
        }
    }

    /**
     * The document as one SCP, or, when it is longer than AWS's {@value #SCP_MAX_CHARACTERS} characters, its statements
     * packed in order into as few SCPs as fit (at most {@value #MAX_PARTS}: a target takes five SCPs, one of them
     * usually {@code FullAWSAccess}). A Deny in any SCP attached to a target applies, so the parts deny exactly what the
     * one document would.
     *
     * @throws IllegalArgumentException if one statement alone is too long, or more parts would be needed
     */
    public static List<Map<String, Object>> policyParts(Map<String, Object> content) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) content.get("Statement");
        List<Map<String, Object>> parts = new ArrayList<>();
        List<Map<String, Object>> current = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            List<Map<String, Object>> candidate = new ArrayList<>(current);
            candidate.add(statement);
            if (minifiedLength(document(candidate)) <= SCP_MAX_CHARACTERS) {
                current = candidate;
                continue;
            }
            int alone = minifiedLength(document(List.of(statement)));
            if (current.isEmpty() || alone > SCP_MAX_CHARACTERS) {
                // Fail at synth rather than half-way through a deployment.
                throw new IllegalArgumentException("SCP statement " + statement.get("Sid") + " is " + alone
                        + " characters, over AWS's limit of " + SCP_MAX_CHARACTERS
                        + " for a whole SCP: shorten breakGlassRoleArns (wildcards help)");
            }
            parts.add(document(current));
            current = new ArrayList<>(List.of(statement));
        }
        if (!current.isEmpty()) {
            parts.add(document(current));
        }
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("SCP needs " + parts.size() + " policies of at most "
                    + SCP_MAX_CHARACTERS + " characters, more than " + MAX_PARTS + ": shorten breakGlassRoleArns");
        }
        return parts;
    }

    private static Map<String, Object> document(List<Map<String, Object>> statements) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        return document;
    }

    /**
     * The SCP document, eight statements:
     * <ol>
     *   <li>{@code TrailGuardDenyCloudTrailTampering}: StopLogging and DeleteTrail, for everyone but break-glass (without
     *       break-glass roles, for every principal; TrailGuard itself never calls them);</li>
     *   <li>{@code TrailGuardDenyCloudTrailWeakening}: UpdateTrail, PutEventSelectors and PutInsightSelectors, for
     *       everyone but break-glass and TrailGuard's automation role, whose runbooks make exactly these calls to put a
     *       trail back (StartLogging, CreateTrail and events:EnableRule are not denied at all); and DeleteTrail, which
     *       the first statement denies everyone else already, so that the fire drill's role deletes no trail;</li>
     *   <li>{@code TrailGuardDenyBorrowingItsRoles}: passing TrailGuard's roles and starting TrailGuard's runbooks, for
     *       everyone but the functions that start them, the deployment roles (CloudFormation passes the function roles)
     *       and break-glass: nobody else can run a document as TrailGuard's automation role;</li>
     *   <li>{@code TrailGuardProtectItself} and {@code TrailGuardProtectConfigRecorder}: changing TrailGuard or the
     *       Config recorder, for everyone but the deployment and break-glass roles;</li>
     *   <li>{@code TrailGuardProtectItsRules}: redefining TrailGuard's rules or their targets and a subscription's
     *       filter policy, for everyone but the TamperResponder (which puts them back; in organization mode also the
     *       hub's), deployment and break-glass;</li>
     *   <li>{@code TrailGuardProtectItsKey}: disabling, deleting or re-policing the topic's key (found by its
     *       {@code TrailGuardProtected} tag, whose change is denied too), for everyone but deployment and break-glass;</li>
     *   <li>{@code TrailGuardDrillStopsOnlyTheCanary}: the fire drill's role, exempt from the first statement, may stop
     *       the canary trail and no other (and, by the second, delete none); in organization mode the members'
     *       {@code TrailGuard-MemberDrill} role likewise.</li>
     * </ol>
     * Role patterns match the names CloudFormation generates ({@code TrailGuard-AutomationRoleC58D7324-1A2B3C4D5E6F}):
     * stack name, logical id, random suffix; creating a role under TrailGuard's prefix is itself denied, so nobody can
     * make a role that the patterns exempt. Every ARN is written {@code arn:*:} for aws-cn and aws-us-gov.
     *
     * @param breakGlassRoleArns role ARNs (wildcards allowed) exempt from every statement
     * @param resourcePrefix     the name prefix of TrailGuard's rules, functions, roles and topic (the stack name)
     * @param deploymentRoleArns role ARN patterns that deploy TrailGuard
     */
    public static Map<String, Object> policyContent(List<String> breakGlassRoleArns, String resourcePrefix,
            List<String> deploymentRoleArns) {
        return policyContent(breakGlassRoleArns, resourcePrefix, deploymentRoleArns, false);
    }

    /**
     * The SCP document; in organization mode ({@code memberResources}) the member accounts' TrailGuard roles get the
     * exemptions the single-account stack's roles have (the member automation role puts trails back, the member role
     * passes it and starts the runbooks), the StackSet execution role deploys TrailGuard like the CDK's does, and a
     * sixth statement, {@code TrailGuardProtectMemberResources}, lets nobody but the StackSet execution role and
     * break-glass change the forwarding rules, member roles and runbooks (not even the CDK's deployment roles: the
     * member accounts' TrailGuard comes from the stack sets only).
     */
    public static Map<String, Object> policyContent(List<String> breakGlassRoleArns, String resourcePrefix,
            List<String> deploymentRoleArns, boolean memberResources) {
        return policyContent(breakGlassRoleArns, resourcePrefix, deploymentRoleArns, memberResources, Delivery.NONE);
    }

    /**
     * The SCP document with the trails' delivery resources: {@code TrailGuardProtectTrailDelivery} denies deleting a
     * log bucket, its policy or its versioning, disabling, deleting or re-policing a trail key, and stopping, deleting
     * or updating an event data store, for everyone but the deployment and break-glass roles;
     * {@code TrailGuardProtectTrailBucketSettings} denies writing a log bucket's policy or lifecycle, for everyone but
     * those and the TamperResponder (which writes back a declared one; in organization mode also the member role
     * {@code TrailGuard-Member}, as which the hub writes it back in a member account).
     */
    public static Map<String, Object> policyContent(List<String> breakGlassRoleArns, String resourcePrefix,
            List<String> deploymentRoleArns, boolean memberResources, Delivery delivery) {
        List<String> memberRepairers = memberResources ? List.of(MEMBER_AUTOMATION_ROLE_PATTERN) : List.of();
        List<String> memberStarters = memberResources ? List.of(MEMBER_ROLE_PATTERN, STACKSET_EXECUTION_ROLE_PATTERN)
                : List.of();
        List<String> memberDeployers = memberResources ? List.of(STACKSET_EXECUTION_ROLE_PATTERN) : List.of();
        // The fire drill's role may stop the canary trail, and only it (issue 16): exempt here, denied every other
        // StopLogging by the statement that names it below and every DeleteTrail by the weakening statement.
        // In organization mode the members' drill role (issue 16 item 5) is treated exactly so: it is the role the hub's
        // FireDrill assumes in a member account, and nobody can create a role of that name (TrailGuardProtectItself).
        List<String> drillRoles = new ArrayList<>(List.of(drillRolePattern(resourcePrefix)));
        if (memberResources) {
            drillRoles.add(MEMBER_DRILL_ROLE_PATTERN);
        }
        List<String> tamperers = new ArrayList<>(breakGlassRoleArns);
        tamperers.addAll(drillRoles);
        Map<String, Object> tampering = statement("TrailGuardDenyCloudTrailTampering",
                cloudTrail(TamperCalls.DESTRUCTIVE), "*", tamperers);
        Map<String, Object> drillStopsOnlyTheCanary = drillStatement("TrailGuardDrillStopsOnlyTheCanary",
                List.of("cloudtrail:StopLogging"), "NotResource", canaryPattern(), drillRoles);

        List<String> repairers = new ArrayList<>(List.of(automationRolePattern(resourcePrefix)));
        repairers.addAll(memberRepairers);
        repairers.addAll(breakGlassRoleArns);
        // DeleteTrail here rather than in a statement of the drill role's own: the same denial (the first statement
        // denies it to everyone but break-glass and the drill role) in ~25 characters instead of ~200, which keeps
        // the SCP under 5,120 characters in organization mode with #14's statements.
        List<String> weakeningActions = new ArrayList<>(cloudTrail(TamperCalls.RESTORING));
        weakeningActions.add("cloudtrail:DeleteTrail");
        Map<String, Object> weakening = statement("TrailGuardDenyCloudTrailWeakening", weakeningActions, "*",
                repairers);

        List<String> starters = new ArrayList<>(functionRolePatterns(resourcePrefix, memberResources));
        starters.addAll(memberStarters);
        starters.addAll(deploymentRoleArns);
        starters.addAll(breakGlassRoleArns);
        Map<String, Object> borrowing = statement("TrailGuardDenyBorrowingItsRoles",
                List.of("iam:PassRole", "ssm:StartAutomationExecution"),
                List.of("arn:*:iam::*:role/" + resourcePrefix + "*",
                        "arn:*:ssm:*:*:automation-definition/" + Runbooks.NAME_PREFIX + "*",
                        "arn:*:ssm:*:*:document/" + Runbooks.NAME_PREFIX + "*"),
                starters);

        List<String> deployers = new ArrayList<>(deploymentRoleArns);
        deployers.addAll(memberDeployers);
        deployers.addAll(breakGlassRoleArns);
        // AWS Config rule ARNs carry the rule id, not its name: Config rules are covered by detection only.
        Map<String, Object> itself = statement("TrailGuardProtectItself", SELF_PROTECTED_ACTIONS, List.of(
                "arn:*:events:*:*:rule/" + resourcePrefix + "*",
                "arn:*:lambda:*:*:function:" + resourcePrefix + "*",
                "arn:*:iam::*:role/" + resourcePrefix + "*",
                "arn:*:sns:*:*:" + resourcePrefix + "*",
                "arn:*:ssm:*:*:document/" + Runbooks.NAME_PREFIX + "*",
                "arn:*:ssm:*:*:parameter" + Environment.DEFAULT_BASELINE_PARAMETER_PREFIX + "*",
                "arn:*:ssm:*:*:parameter" + Environment.DEFAULT_RULE_DEFINITION_PREFIX + "*"), deployers);
        List<String> recorderActions = new ArrayList<>(CONFIG_RECORDER_ACTIONS);
        recorderActions.add(RECORDER_REDEFINITION);
        Map<String, Object> recorder = statement("TrailGuardProtectConfigRecorder", recorderActions, "*",
                deployers);

        List<String> selfRepairers = new ArrayList<>(functionRoles(resourcePrefix, Functions.TAMPER_RESPONDER,
                memberResources));
        selfRepairers.addAll(deployers);
        Map<String, Object> rules = statement("TrailGuardProtectItsRules", SELF_REPAIRED_ACTIONS, List.of(
                "arn:*:events:*:*:rule/" + resourcePrefix + "*",
                "arn:*:sns:*:*:" + resourcePrefix + "*"), selfRepairers);
        Map<String, Object> key = statement("TrailGuardProtectItsKey", TOPIC_KEY_ACTIONS, "*", deployers);
        @SuppressWarnings("unchecked")
        Map<String, Object> keyCondition = new LinkedHashMap<>((Map<String, Object>) key.get("Condition"));
        keyCondition.put("StringEquals", Map.of("aws:ResourceTag/" + Notifications.PROTECTED_TAG, "true"));
        key.put("Condition", keyCondition);

        List<Map<String, Object>> statements = new ArrayList<>(List.of(tampering, weakening, borrowing, itself,
                recorder, rules, key, drillStopsOnlyTheCanary));
        List<String> buckets = delivery.buckets().stream().map(b -> "arn:*:s3:::" + b).toList();
        List<String> deliveryResources = new ArrayList<>(buckets);
        deliveryResources.addAll(delivery.keyArns());
        deliveryResources.addAll(delivery.eventDataStores());
        if (!deliveryResources.isEmpty()) {
            List<String> actions = new ArrayList<>();
            if (!buckets.isEmpty()) {
                actions.addAll(DeliveryCalls.S3_ACTIONS.stream()
                        .filter(a -> !DELIVERY_RESTORING_ACTIONS.contains(a)).toList());
            }
            if (!delivery.keyArns().isEmpty()) {
                actions.addAll(DeliveryCalls.KMS_ACTIONS);
            }
            if (!delivery.eventDataStores().isEmpty()) {
                actions.addAll(DeliveryCalls.LAKE_ACTIONS);
            }
            statements.add(statement("TrailGuardProtectTrailDelivery", actions, deliveryResources, deployers));
        }
        if (!buckets.isEmpty()) {
            List<String> restorers = new ArrayList<>(deployers);
            restorers.addAll(functionRoles(resourcePrefix, Functions.TAMPER_RESPONDER, memberResources));
            if (memberResources) {
                // In organization mode the hub writes the declared settings back as the member's TrailGuard-Member.
                restorers.add(MEMBER_ROLE_PATTERN);
            }
            statements.add(statement("TrailGuardProtectTrailBucketSettings", DELIVERY_RESTORING_ACTIONS, buckets,
                    restorers));
        }
        if (memberResources) {
            List<String> stackSets = new ArrayList<>(List.of(STACKSET_EXECUTION_ROLE_PATTERN));
            stackSets.addAll(breakGlassRoleArns);
            statements.add(statement("TrailGuardProtectMemberResources", MEMBER_PROTECTED_ACTIONS, List.of(
                    "arn:*:events:*:*:rule/" + MEMBER_PREFIX + "*",
                    "arn:*:iam::*:role/" + MEMBER_PREFIX + "*",
                    "arn:*:ssm:*:*:document/" + MEMBER_PREFIX + "*"), stackSets));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        return document;
    }

    /** The automation role as CloudFormation names it: {@code <stack>-AutomationRole<hash>-<suffix>}. */
    public static String automationRolePattern(String resourcePrefix) {
        return "arn:*:iam::*:role/" + resourcePrefix + "-" + GuardStack.AUTOMATION_ROLE_ID + "*";
    }

    /** The FireDrill's role as CloudFormation names it: {@code <stack>-FireDrillRole<hash>-<suffix>}. */
    public static String drillRolePattern(String resourcePrefix) {
        return "arn:*:iam::*:role/" + resourcePrefix + "-FireDrillRole*";
    }

    /** The canary trail in any account, region and partition (it is named, not generated). */
    public static String canaryPattern() {
        return "arn:*:cloudtrail:*:*:trail/" + Environment.CANARY_TRAIL_NAME;
    }

    /** A statement that applies to the drill role only ({@code ArnLike}), on {@code Resource} or {@code NotResource}. */
    private static Map<String, Object> drillStatement(String sid, List<String> actions, String resourceElement,
            Object resource, List<String> drillRoles) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Deny");
        statement.put("Action", actions);
        statement.put(resourceElement, resource);
        statement.put("Condition", Map.of("ArnLike", Map.of("aws:PrincipalARN", List.copyOf(drillRoles))));
        return statement;
    }

    /**
     * A TrailGuard function's role as the SCP exempts it: the stack's ({@code <prefix>-<Function>Role...}, the name
     * CloudFormation generates) and, in organization mode, the hub's ({@code TrailGuardHub-<Function>}, which acts in
     * the hub account: it starts runbooks there, puts the hub's rules, subscriptions and declared bucket settings back),
     * as one pattern ({@code <prefix>*-<Function>*}) when the stack's prefix starts the hub's name, which keeps the SCP
     * within one policy in organization mode. Creating a role under TrailGuard's prefix is denied, so nobody else can
     * take a name either matches.
     */
    static List<String> functionRoles(String resourcePrefix, String function, boolean memberResources) {
        if (!memberResources) {
            return List.of("arn:*:iam::*:role/" + resourcePrefix + "-" + function + "Role*");
        }
        if (OrganizationProps.HUB_NAME.startsWith(resourcePrefix)) {
            return List.of("arn:*:iam::*:role/" + resourcePrefix + "*-" + function + "*");
        }
        return List.of("arn:*:iam::*:role/" + resourcePrefix + "-" + function + "Role*",
                "arn:*:iam::*:role/" + OrganizationProps.hubFunctionRoleName(function));
    }

    /** The roles of the functions that start runbooks (and so pass the automation role). */
    public static List<String> functionRolePatterns(String resourcePrefix) {
        return functionRolePatterns(resourcePrefix, false);
    }

    /** The same, in organization mode with the hub's functions, which start runbooks in the hub account. */
    public static List<String> functionRolePatterns(String resourcePrefix, boolean memberResources) {
        return GuardStack.FUNCTIONS.stream()
                .filter(spec -> spec.duty() == GuardStack.Duty.REMEDIATE)
                .flatMap(spec -> functionRoles(resourcePrefix, spec.name(), memberResources).stream())
                .toList();
    }

    private static List<String> cloudTrail(List<String> calls) {
        return calls.stream().map(name -> "cloudtrail:" + name).toList();
    }

    private static Map<String, Object> statement(String sid, List<String> actions, Object resource,
            List<String> exemptPrincipals) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Deny");
        statement.put("Action", actions);
        statement.put("Resource", resource);
        if (!exemptPrincipals.isEmpty()) {
            statement.put("Condition", Map.of("ArnNotLike", Map.of("aws:PrincipalARN", List.copyOf(exemptPrincipals))));
        }
        return statement;
    }

    /** Length of the document as AWS counts it: minified JSON. */
    public static int minifiedLength(Map<String, Object> content) {
        try {
            return JSON.writeValueAsString(content).length();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SCP content is not serializable", e);
        }
    }
}
