package dev.trailguard.guard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.SelfGuardConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.event.CloudTrailRecord;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a CloudTrail call tampers with TrailGuard itself: its EventBridge rules, functions, roles, topic and
 * subscriptions, runbooks and declared baselines, its AWS Config rules, and the Config recorder it relies on. Its
 * resources are recognised by the name prefix ({@code TRAILGUARD_RESOURCE_PREFIX}), the topic ARN, the role ARNs and
 * the Config rule names in the configuration. Pure: no AWS calls.
 */
public final class GuardClassifier {

    /** EventBridge sources of the services whose calls are watched. */
    public static final Set<String> SOURCES =
            Set.of("aws.events", "aws.lambda", "aws.iam", "aws.sns", "aws.config", "aws.ssm", "aws.kms");

    /** Watched calls per event source (Lambda's names without their API-version suffix). */
    public static final Map<String, Set<String>> CALLS = Map.of(
            "events.amazonaws.com", Set.of("DisableRule", "DeleteRule", "RemoveTargets", "PutRule", "PutTargets"),
            "lambda.amazonaws.com", Set.of("DeleteFunction", "UpdateFunctionConfiguration", "UpdateFunctionCode",
                    "PutFunctionConcurrency", "DeleteAlias", "UpdateAlias", "RemovePermission"),
            "iam.amazonaws.com", Set.of("DeleteRole", "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy",
                    "DetachRolePolicy", "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary"),
            "sns.amazonaws.com", Set.of("DeleteTopic", "SetTopicAttributes", "RemovePermission", "Unsubscribe",
                    "SetSubscriptionAttributes", "PutDataProtectionPolicy"),
            "kms.amazonaws.com", Set.of("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy"),
            "config.amazonaws.com", Set.of("StopConfigurationRecorder", "DeleteConfigurationRecorder",
                    "DeleteDeliveryChannel", "DeleteConfigRule", "PutConfigRule", "DeleteRemediationConfiguration"),
            "ssm.amazonaws.com", Set.of("DeleteDocument", "UpdateDocument", "UpdateDocumentDefaultVersion",
                    "PutParameter", "DeleteParameter", "DeleteParameters"));

    // Lambda records its calls with the API version appended: DeleteFunction20150331, UpdateFunctionCode20150331v2.
    private static final Pattern LAMBDA_VERSION = Pattern.compile("20\\d{6}(v\\d+)?$");

    private final TrailGuardConfig config;
    private final ResponseConfig response;
    private final SelfGuardConfig self;

    public GuardClassifier(TrailGuardConfig config, ResponseConfig response) {
        this(config, response, SelfGuardConfig.none());
    }

    public GuardClassifier(TrailGuardConfig config, ResponseConfig response, SelfGuardConfig self) {
        this.config = config;
        this.response = response;
        this.self = self;
    }

    /** The call's name as the API documents it (Lambda's version suffix removed). */
    public static String operation(CloudTrailRecord record) {
        String name = record.eventName();
        return "lambda.amazonaws.com".equals(record.eventSource()) ? LAMBDA_VERSION.matcher(name).replaceFirst("")
                : name;
    }

    /** The finding, or empty if the call does not touch TrailGuard. */
    public Optional<GuardFinding> classify(CloudTrailRecord record) {
        String source = record.eventSource();
        String call = operation(record);
        if (source == null || !CALLS.getOrDefault(source, Set.of()).contains(call)) {
            return Optional.empty();
        }
        JsonNode p = record.requestParameters();
        if ("kms.amazonaws.com".equals(source)) {
            return kms(call, record);
        }
        return switch (source) {
            case "events.amazonaws.com" -> events(call, p);
            case "lambda.amazonaws.com" -> lambda(call, p);
            case "iam.amazonaws.com" -> iam(call, p);
            case "sns.amazonaws.com" -> sns(call, p);
            case "config.amazonaws.com" -> config(call, p);
            default -> ssm(call, p);
        };
    }

    private Optional<GuardFinding> events(String call, JsonNode p) {
        String rule = "RemoveTargets".equals(call) || "PutTargets".equals(call) ? text(p, "rule") : text(p, "name");
        if (!ours(rule)) {
            return Optional.empty();
        }
        String effect = switch (call) {
            case "DisableRule" -> "the rule no longer delivers events to TrailGuard";
            case "DeleteRule" -> "the rule is gone: TrailGuard receives none of its events";
            case "RemoveTargets" -> "the rule no longer targets TrailGuard";
            case "PutTargets" -> "the rule's targets were replaced or added to";
            default -> "DISABLED".equals(text(p, "state")) ? "the rule was redefined as DISABLED"
                    : "the rule's event pattern or schedule was redefined";
        };
        // DisableRule: TrailGuard-EnableRule (SSM); every other change: the deployed definition put back.
        return Optional.of(new GuardFinding("EventBridge rule", rule, effect, "DisableRule".equals(call)
                ? GuardFinding.Repair.REENABLE_RULE : GuardFinding.Repair.RESTORE_RULE, false));
    }

    private Optional<GuardFinding> lambda(String call, JsonNode p) {
        String function = functionName(text(p, "functionName"));
        if (!ours(function)) {
            return Optional.empty();
        }
        String effect = switch (call) {
            case "DeleteFunction" -> "the function is gone";
            case "UpdateFunctionCode" -> "the function now runs other code";
            case "UpdateFunctionConfiguration" -> "the function's role, environment or settings changed";
            case "PutFunctionConcurrency" -> p != null && p.path("reservedConcurrentExecutions").asInt(-1) == 0
                    ? "reserved concurrency set to 0: the function is throttled and never runs"
                    : "the function's reserved concurrency changed";
            case "DeleteAlias" -> "the alias EventBridge invokes is gone";
            case "UpdateAlias" -> "the alias EventBridge invokes now points elsewhere";
            default -> "a permission to invoke the function was removed";
        };
        return Optional.of(new GuardFinding("Lambda function", function, effect, false));
    }

    private Optional<GuardFinding> iam(String call, JsonNode p) {
        String role = text(p, "roleName");
        boolean own = ours(role) || config.ownRoleArns().stream().anyMatch(a -> a.endsWith(":role/" + role)
                || a.endsWith("/" + role));
        if (role == null || !own) {
            return Optional.empty();
        }
        String effect = switch (call) {
            case "DeleteRole" -> "the role is gone: whatever uses it fails";
            case "UpdateAssumeRolePolicy" -> "who may assume the role changed";
            case "DetachRolePolicy", "DeleteRolePolicy" -> "the role lost permissions";
            case "AttachRolePolicy" -> "a managed policy was attached to the role (AWSDenyAll or any Deny silences it)";
            case "PutRolePermissionsBoundary" -> "a permissions boundary now limits the role";
            default -> "an inline policy on the role was written (could deny what TrailGuard needs)";
        };
        return Optional.of(new GuardFinding("IAM role", role, effect, false));
    }

    private Optional<GuardFinding> sns(String call, JsonNode p) {
        boolean subscription = "Unsubscribe".equals(call) || "SetSubscriptionAttributes".equals(call);
        String arn = subscription ? text(p, "subscriptionArn")
                : "PutDataProtectionPolicy".equals(call) ? text(p, "resourceArn") : text(p, "topicArn");
        if (arn == null) {
            return Optional.empty();
        }
        boolean own = arn.equals(config.topicArn()) || arn.startsWith(config.topicArn() + ":")
                || ours(topicName(arn)) || (self.hasSecondChannel() && arn.startsWith(self.secondChannelTopicArn()));
        if (!own) {
            return Optional.empty();
        }
        String effect = switch (call) {
            case "DeleteTopic" -> "the notification topic is gone: nobody hears from TrailGuard";
            case "Unsubscribe" -> "a subscriber no longer receives TrailGuard's notifications";
            case "SetSubscriptionAttributes" -> "a subscription's filter or delivery changed (can silence it)";
            case "RemovePermission" -> "a permission on the topic was removed";
            case "PutDataProtectionPolicy" -> "a data-protection policy now inspects the topic's messages (it can "
                    + "deny or mask them)";
            default -> "the topic's policy, encryption or delivery settings changed";
        };
        boolean restorable = subscription && !self.subscriptions().isEmpty();
        return Optional.of(new GuardFinding("SNS topic", arn, effect, restorable
                ? GuardFinding.Repair.RESTORE_SUBSCRIPTIONS : GuardFinding.Repair.NONE, true));
    }

    private Optional<GuardFinding> config(String call, JsonNode p) {
        return switch (call) {
            case "StopConfigurationRecorder" -> Optional.of(new GuardFinding("AWS Config recorder",
                    text(p, "configurationRecorderName"), "Config stopped recording: TrailGuard's backstop rules and "
                    + "the settings baseline go stale", false));
            case "DeleteConfigurationRecorder" -> Optional.of(new GuardFinding("AWS Config recorder",
                    text(p, "configurationRecorderName"), "the Config recorder is gone: no backstop rules, no new "
                    + "baseline items", false));
            case "DeleteDeliveryChannel" -> Optional.of(new GuardFinding("AWS Config delivery channel",
                    text(p, "deliveryChannelName"), "Config can no longer deliver (recording stops)", false));
            default -> {
                String rule = "PutConfigRule".equals(call) ? text(p == null ? null : p.get("configRule"),
                        "configRuleName") : text(p, "configRuleName");
                if (!ourRule(rule)) {
                    yield Optional.empty();
                }
                yield Optional.of(new GuardFinding("AWS Config rule", rule, switch (call) {
                    case "DeleteConfigRule" -> "the backstop rule is gone";
                    case "DeleteRemediationConfiguration" -> "the rule's automatic remediation is gone";
                    default -> "the backstop rule was redefined";
                }, false));
            }
        };
    }

    private Optional<GuardFinding> kms(String call, CloudTrailRecord record) {
        String keyId = text(record.requestParameters(), "keyId");
        if (!record.namesResource(self.topicKeyArn()) && !self.isTopicKey(keyId)) {
            return Optional.empty();
        }
        String effect = switch (call) {
            case "DisableKey" -> "the topic's key is disabled: every notification, alarm and backstop alert fails";
            case "ScheduleKeyDeletion" -> "the topic's key is scheduled for deletion (disabled meanwhile): every "
                    + "notification, alarm and backstop alert fails";
            default -> "the topic's key policy was replaced (can lock out SNS, CloudWatch and EventBridge)";
        };
        return Optional.of(new GuardFinding("KMS key of the notification topic", self.topicKeyArn(), effect,
                GuardFinding.Repair.NONE, true));
    }

    private Optional<GuardFinding> ssm(String call, JsonNode p) {
        if (call.endsWith("Parameter") || call.endsWith("Parameters")) {
            String name = text(p, "name");
            if (name == null && p != null && p.path("names").isArray() && !p.path("names").isEmpty()) {
                for (JsonNode n : p.path("names")) {
                    if (n.asText().startsWith(response.baselineParameterPrefix())
                            || n.asText().startsWith(self.ruleDefinitionPrefix())) {
                        name = n.asText();
                        break;
                    }
                }
            }
            if (name != null && name.startsWith(self.ruleDefinitionPrefix())) {
                return Optional.of(new GuardFinding("Deployed rule definition", name, "PutParameter".equals(call)
                        ? "the definition TrailGuard restores its rules from was rewritten"
                        : "the definition TrailGuard restores its rules from was deleted: that rule cannot be put "
                        + "back until the stack is redeployed", false));
            }
            if (name == null || !name.startsWith(response.baselineParameterPrefix())) {
                return Optional.empty();
            }
            return Optional.of(new GuardFinding("Declared baseline", name, "PutParameter".equals(call)
                    ? "the known-good baseline was rewritten: a restore would apply the new one"
                    : "the known-good baseline was deleted", false));
        }
        String document = text(p, "name");
        if (!ours(document)) {
            return Optional.empty();
        }
        return Optional.of(new GuardFinding("SSM Automation runbook", document, "DeleteDocument".equals(call)
                ? "the runbook is gone: restores fail" : "the runbook's steps changed", false));
    }

    private boolean ours(String name) {
        return name != null && name.startsWith(response.resourcePrefix());
    }

    private boolean ourRule(String name) {
        return name != null && (config.configRules().contains(name) || ours(name));
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    /** The function name from a name, a full ARN or a partial ARN, without a version or alias qualifier. */
    static String functionName(String raw) {
        if (raw == null) {
            return null;
        }
        int at = raw.indexOf("function:");
        String name = at >= 0 ? raw.substring(at + "function:".length()) : raw;
        int colon = name.indexOf(':');
        return colon >= 0 ? name.substring(0, colon) : name;
    }

    private static String topicName(String arn) {
        String[] parts = arn.split(":");
        return parts.length >= 6 ? parts[5] : arn;
    }
}
