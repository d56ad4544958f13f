package dev.trailguard.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.organizations.CfnPolicy;
import software.constructs.Construct;

/**
 * The preventive half of TrailGuard: a service control policy that denies the CloudTrail tamper
 * calls in member accounts to everyone but the break-glass roles, and denies changing or removing
 * TrailGuard itself (its rules, functions, roles, topic, runbooks, declared baselines) and the AWS
 * Config recorder to everyone but the deployment and break-glass roles. Deployed from the
 * organization's management account; SCPs never apply to the management account itself.
 */
public final class GuardrailStack extends Stack {

    /** The calls the SCP denies; the same set the tamper rule watches. */
    public static final List<String> DENIED_ACTIONS = GuardStack.TAMPER_EVENT_NAMES.stream()
            .map(name -> "cloudtrail:" + name).toList();
    /** AWS's limit for an SCP document, counted on the minified JSON. */
    public static final int SCP_MAX_CHARACTERS = 5_120;
    public static final String POLICY_NAME = "trailguard-protect-cloudtrail";
    /** The calls that disable or blind TrailGuard itself; the ones its guard rules watch, plus their close relatives. */
    public static final List<String> SELF_PROTECTED_ACTIONS = List.of(
            "events:DisableRule", "events:DeleteRule", "events:RemoveTargets", "events:PutRule", "events:PutTargets",
            "lambda:DeleteFunction", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode",
            "lambda:PutFunctionConcurrency", "lambda:DeleteAlias", "lambda:UpdateAlias", "lambda:RemovePermission",
            "iam:DeleteRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
            "iam:DetachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
            "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:RemovePermission", "sns:Unsubscribe",
            "sns:SetSubscriptionAttributes",
            "ssm:DeleteDocument", "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion",
            "ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters");
    /** Config's recorder has no name-based ARN to scope by, so these are denied on every resource. */
    public static final List<String> CONFIG_RECORDER_ACTIONS = List.of(
            "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel");

    private static final ObjectMapper JSON = new ObjectMapper();

    public GuardrailStack(final Construct scope, final String id, final GuardrailStackProps props) {
        super(scope, id, props.stackProps());
        Map<String, Object> content = policyContent(props.breakGlassRoleArns(), props.resourcePrefix(),
                props.deploymentRoleArns());
        int size = minifiedLength(content);
        if (size > SCP_MAX_CHARACTERS) {
            // Fail at synth rather than half-way through a deployment.
            throw new IllegalArgumentException("SCP is " + size + " characters, over AWS's limit of "
                    + SCP_MAX_CHARACTERS + ": shorten breakGlassRoleArns (wildcards help)");
        }
        CfnPolicy.Builder.create(this, "ProtectCloudTrailPolicy")
                .name(POLICY_NAME)
                .description("TrailGuard: only break-glass roles may stop, delete or weaken CloudTrail trails;"
                        + " only deployment and break-glass roles may change TrailGuard or stop AWS Config")
                .type("SERVICE_CONTROL_POLICY")
                // A Map, not a String: CloudFormation gets JSON, not a string with escaped quotes.
                .content(content)
                .targetIds(props.targetIds())
                .build();
    }

    /**
     * The SCP document. The CloudTrail statement exempts only the break-glass roles (without any it denies every
     * principal); the two statements protecting TrailGuard and the Config recorder also exempt the deployment roles,
     * or TrailGuard could never be updated.
     *
     * @param breakGlassRoleArns role ARNs (wildcards allowed) exempt from every statement
     * @param resourcePrefix     the name prefix of TrailGuard's rules, functions, roles and topic
     * @param deploymentRoleArns role ARN patterns that deploy TrailGuard
     */
    public static Map<String, Object> policyContent(List<String> breakGlassRoleArns, String resourcePrefix,
            List<String> deploymentRoleArns) {
        Map<String, Object> cloudTrail = new LinkedHashMap<>();
        cloudTrail.put("Sid", "TrailGuardDenyCloudTrailTampering");
        cloudTrail.put("Effect", "Deny");
        cloudTrail.put("Action", DENIED_ACTIONS);
        cloudTrail.put("Resource", "*");
        if (!breakGlassRoleArns.isEmpty()) {
            cloudTrail.put("Condition", Map.of("ArnNotLike", Map.of("aws:PrincipalARN", breakGlassRoleArns)));
        }
        List<String> exempt = new ArrayList<>(deploymentRoleArns);
        exempt.addAll(breakGlassRoleArns);
        Map<String, Object> exemptCondition = Map.of("ArnNotLike", Map.of("aws:PrincipalARN", List.copyOf(exempt)));

        Map<String, Object> itself = new LinkedHashMap<>();
        itself.put("Sid", "TrailGuardProtectItself");
        itself.put("Effect", "Deny");
        itself.put("Action", SELF_PROTECTED_ACTIONS);
        // AWS Config rule ARNs carry the rule id, not its name: Config rules are covered by detection only.
        itself.put("Resource", List.of(
                "arn:aws:events:*:*:rule/" + resourcePrefix + "*",
                "arn:aws:lambda:*:*:function:" + resourcePrefix + "*",
                "arn:aws:iam::*:role/" + resourcePrefix + "*",
                "arn:aws:sns:*:*:" + resourcePrefix + "*",
                "arn:aws:ssm:*:*:document/" + GuardStack.RUNBOOK_NAME_PREFIX + "*",
                "arn:aws:ssm:*:*:parameter" + GuardStack.BASELINE_PARAMETER_PREFIX + "*"));
        itself.put("Condition", exemptCondition);

        Map<String, Object> recorder = new LinkedHashMap<>();
        recorder.put("Sid", "TrailGuardProtectConfigRecorder");
        recorder.put("Effect", "Deny");
        recorder.put("Action", CONFIG_RECORDER_ACTIONS);
        recorder.put("Resource", "*");
        recorder.put("Condition", exemptCondition);

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", List.of(cloudTrail, itself, recorder));
        return document;
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
