package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.API_CALL;
import static dev.trailguard.infra.GuardStack.BASELINE_PARAMETER_PREFIX;
import static dev.trailguard.infra.GuardStack.RULE_DEFINITION_PREFIX;
import static dev.trailguard.infra.GuardStack.RUNBOOK_NAME_PREFIX;
import static dev.trailguard.infra.GuardStack.TARGET_RETRIES;
import static dev.trailguard.infra.GuardStack.obj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.interfaces.events.IRuleRef;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetConfig;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Guard the guard: one EventBridge rule per service whose calls can disable or blind TrailGuard (EventBridge, Lambda,
 * IAM in us-east-1, SNS, KMS, Config, SSM), each to the TamperResponder, and the backstop rule that alerts the topic
 * directly, with no TrailGuard function in between, when TrailGuard's functions, rules or roles are deleted, disabled,
 * redefined or weakened. No rule sees a change to itself (a disabled or redefined rule no longer matches the event), so
 * each of the two rules that watch TrailGuard's rules is watched by a second one: the rule watch sends changes to the
 * EventBridge guard rule to the TamperResponder, the backstop watch sends changes to the backstop rule to the second
 * channel; and the notification-path rule sends calls against the topic, its key and its subscriptions straight to the
 * second channel, which depends on neither.
 */
final class GuardTheGuard extends Construct implements LegacyIds.Group {

    /**
     * What the rules are wired to.
     *
     * @param resourcePrefix  the name prefix of TrailGuard's resources (the stack name)
     * @param configRuleNames TrailGuard's Config rules
     * @param tamperResponder the target every guard rule sends its calls to
     * @param topic           the notification topic the backstop publishes to
     * @param topicKey        the topic's key, which EventBridge needs to publish
     * @param deadLetters     the dead-letter queue of every rule target
     * @param secondChannel   the topic without TrailGuard's key, for the notification path's alerts
     */
    record Wiring(String resourcePrefix, List<String> configRuleNames, IRuleTarget tamperResponder, Topic topic,
                  Key topicKey, Queue deadLetters, Topic secondChannel) { }

    /** The calls that change or disable an EventBridge rule; RemoveTargets and PutTargets name it "rule". */
    static final List<String> RULE_CALLS_BY_NAME = List.of("DisableRule", "DeleteRule", "PutRule");
    static final List<String> RULE_CALLS_BY_RULE = List.of("RemoveTargets", "PutTargets");
    /** The calls that disable the topic's key or lock the services out of it. */
    static final List<String> KEY_CALLS = List.of("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy");
    /** The calls that delete, silence or mute the topic. */
    static final List<String> TOPIC_CALLS = List.of("DeleteTopic", "SetTopicAttributes", "RemovePermission",
            "PutDataProtectionPolicy");
    static final List<String> SUBSCRIPTION_CALLS = List.of("Unsubscribe", "SetSubscriptionAttributes");
    /** The IAM calls that delete or weaken a role (a Deny attached or written, permissions detached, trust changed). */
    static final List<String> ROLE_CALLS = List.of("DeleteRole", "PutRolePolicy", "DeleteRolePolicy",
            "AttachRolePolicy", "DetachRolePolicy", "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary");

    private final Wiring wiring;
    private final boolean guardIamEvents;
    private final boolean forwardedByMember;
    private Rule iamRule;
    private Rule eventBridgeRule;
    private Rule backstopRule;

    GuardTheGuard(final Construct scope, final String id, final Wiring wiring, final boolean guardIamEvents) {
        this(scope, id, wiring, guardIamEvents, false);
    }

    /**
     * @param forwardedByMember the account is also a member of an organization-mode TrailGuard, whose forwarding rule
     *                          already reports the Config recorder, runbook and baseline calls: no second rule for them
     *                          (one call, one notification)
     */
    GuardTheGuard(final Construct scope, final String id, final Wiring wiring, final boolean guardIamEvents,
            final boolean forwardedByMember) {
        super(scope, id);
        this.wiring = wiring;
        this.guardIamEvents = guardIamEvents;
        this.forwardedByMember = forwardedByMember;
        createGuardRules();
        createBackstopRule();
        createWatchRules();
        createNotificationPathRule();
    }

    /** The IAM guard rule, or null where IAM events never arrive. */
    Rule iamRule() {
        return iamRule;
    }


    /**
     * One rule per service whose calls can disable or blind TrailGuard, each narrowed to TrailGuard's own names where
     * the event carries one; all go to the TamperResponder, which classifies them again (GuardClassifier).
     */
    private void createGuardRules() {
        String p = wiring.resourcePrefix();
        eventBridgeRule = guardRule("GuardEventBridgeRule", "EventBridge calls that disable, delete or redirect "
                        + "TrailGuard's rules",
                "aws.events", obj(
                        "eventSource", List.of("events.amazonaws.com"),
                        "eventName", List.of("DisableRule", "DeleteRule", "PutRule", "RemoveTargets", "PutTargets"),
                        // RemoveTargets and PutTargets name the rule "rule", the others "name".
                        "$or", List.of(
                                obj("requestParameters", obj("name", List.of(obj("prefix", p)))),
                                obj("requestParameters", obj("rule", List.of(obj("prefix", p)))))));
        guardRule("GuardLambdaRule", "Lambda calls that delete, change or throttle TrailGuard's functions",
                "aws.lambda", obj(
                        "eventSource", List.of("lambda.amazonaws.com"),
                        // Lambda records the API version after the name (DeleteFunction20150331, ...UpdateFunctionCode20150331v2).
                        "eventName", List.of(obj("prefix", "DeleteFunction"), obj("prefix", "UpdateFunctionConfiguration"),
                                obj("prefix", "UpdateFunctionCode"), obj("prefix", "PutFunctionConcurrency"),
                                obj("prefix", "DeleteAlias"), obj("prefix", "UpdateAlias"), obj("prefix", "RemovePermission")),
                        "requestParameters", obj("functionName", functionNameMatchers(p))));
        if (guardIamEvents) {
            // The description names no region: it is also in the rule's deployed definition, a parameter's value.
            iamRule = guardRule("GuardIamRule", "IAM calls that delete or weaken TrailGuard's roles (IAM events reach "
                            + "EventBridge in IAM's home Region only)",
                    "aws.iam", obj(
                            "eventSource", List.of("iam.amazonaws.com"),
                            "eventName", ROLE_CALLS,
                            "requestParameters", obj("roleName", List.of(obj("prefix", p)))));
        }
        guardRule("GuardSnsRule", "SNS calls that delete, silence or unsubscribe TrailGuard's topic",
                "aws.sns", snsCalls(p));
        guardRule("GuardKmsRule", "KMS calls that disable, delete or lock the notification topic's key",
                "aws.kms", keyCalls());
        if (forwardedByMember) {
            return;
        }
        List<Object> ownConfigRules = new ArrayList<>(wiring.configRuleNames());
        ownConfigRules.add(obj("prefix", p));
        guardRule("GuardConfigRule", "AWS Config calls that stop the recorder or remove TrailGuard's Config rules",
                "aws.config", obj(
                        "eventSource", List.of("config.amazonaws.com"),
                        "$or", List.of(
                                // The recorder is TrailGuard's backstop and baseline source, whoever's it is.
                                obj("eventName", List.of("StopConfigurationRecorder", "DeleteConfigurationRecorder",
                                        "DeleteDeliveryChannel")),
                                obj("eventName", List.of("DeleteConfigRule", "DeleteRemediationConfiguration"),
                                        "requestParameters", obj("configRuleName", ownConfigRules)),
                                obj("eventName", List.of("PutConfigRule"),
                                        "requestParameters", obj("configRule", obj("configRuleName", ownConfigRules))))));
        guardRule("GuardSsmRule", "SSM calls that change TrailGuard's runbooks or declared baselines",
                "aws.ssm", obj(
                        "eventSource", List.of("ssm.amazonaws.com"),
                        "$or", List.of(
                                obj("eventName", List.of("DeleteDocument", "UpdateDocument", "UpdateDocumentDefaultVersion"),
                                        "requestParameters", obj("name", List.of(obj("prefix", RUNBOOK_NAME_PREFIX)))),
                                // The declared baselines and the deployed rule definitions are restored from.
                                obj("eventName", List.of("PutParameter", "DeleteParameter"),
                                        "requestParameters", obj("name", List.of(obj("prefix", BASELINE_PARAMETER_PREFIX),
                                                obj("prefix", RULE_DEFINITION_PREFIX)))),
                                obj("eventName", List.of("DeleteParameters"),
                                        "requestParameters", obj("names", List.of(obj("prefix", BASELINE_PARAMETER_PREFIX),
                                                obj("prefix", RULE_DEFINITION_PREFIX)))))));
    }

    private Rule guardRule(String id, String description, String source, Map<String, Object> detail) {
        return Rule.Builder.create(this, id)
                .description("TrailGuard guard: " + description)
                .eventPattern(EventPattern.builder()
                        .source(List.of(source))
                        .detailType(List.of(API_CALL))
                        .detail(detail)
                        .build())
                .targets(List.of(wiring.tamperResponder()))
                .build();
    }

    /** A function name, or a full or partial ARN (optionally qualified), of a function whose name starts with the prefix. */
    private static List<Object> functionNameMatchers(String prefix) {
        return List.of(obj("prefix", prefix), obj("wildcard", "*:function:" + prefix + "*"));
    }

    private static String topicArnPattern(String prefix) {
        return "arn:*:sns:*:*:" + prefix + "*";
    }

    /**
     * Deleting or throttling the TamperResponder, or deleting or disabling its rules or roles, must still alert
     * somebody: this rule sends those calls straight to the topic, without any TrailGuard function in between.
     */
    private void createBackstopRule() {
        String p = wiring.resourcePrefix();
        List<String> sources = new ArrayList<>(List.of("aws.lambda", "aws.events"));
        List<Object> calls = new ArrayList<>(List.of(
                obj("eventSource", List.of("lambda.amazonaws.com"),
                        "eventName", List.of(obj("prefix", "DeleteFunction"), obj("prefix", "PutFunctionConcurrency")),
                        "requestParameters", obj("functionName", functionNameMatchers(p))),
                // Every call that can change or disable a rule: PutRule with State=DISABLED or a never-matching
                // pattern, PutTargets with a constant input are as silent as DisableRule.
                obj("eventSource", List.of("events.amazonaws.com"),
                        "eventName", RULE_CALLS_BY_NAME,
                        "requestParameters", obj("name", List.of(obj("prefix", p)))),
                obj("eventSource", List.of("events.amazonaws.com"),
                        "eventName", RULE_CALLS_BY_RULE,
                        "requestParameters", obj("rule", List.of(obj("prefix", p))))));
        if (guardIamEvents) {
            sources.add("aws.iam");
            // A Deny attached to the function's role blinds the function itself: the topic hears it directly.
            calls.add(obj("eventSource", List.of("iam.amazonaws.com"),
                    "eventName", ROLE_CALLS,
                    "requestParameters", obj("roleName", List.of(obj("prefix", p)))));
        }
        Rule rule = Rule.Builder.create(this, "GuardBackstopRule")
                .description("TrailGuard backstop: alerts the topic directly when TrailGuard's function, rules or roles"
                        + " are deleted, disabled, redefined, weakened or throttled")
                .eventPattern(EventPattern.builder()
                        .source(sources)
                        .detailType(List.of(API_CALL))
                        .detail(obj("$or", calls))
                        .build())
                .build();
        // The resource is in whichever field the call uses; the others render empty.
        RuleTargetInput message = RuleTargetInput.fromText("TrailGuard BACKSTOP ALERT (sent by EventBridge directly,"
                + " TrailGuard's function may be down): " + EventField.fromPath("$.detail.eventName")
                + " on " + EventField.fromPath("$.detail.requestParameters.functionName")
                + EventField.fromPath("$.detail.requestParameters.name")
                + EventField.fromPath("$.detail.requestParameters.rule")
                + EventField.fromPath("$.detail.requestParameters.roleName")
                + " by " + EventField.fromPath("$.detail.userIdentity.arn")
                + " from " + EventField.fromPath("$.detail.sourceIPAddress")
                + " at " + EventField.fromPath("$.detail.eventTime")
                + " in account " + EventField.fromPath("$.account") + " region " + EventField.fromPath("$.region")
                + "; error code (empty if it succeeded): " + EventField.fromPath("$.detail.errorCode")
                + ". Check TrailGuard now and redeploy the stack if anything is missing.");
        alertTopicDirectly(rule, message, wiring.topic(), wiring.deadLetters(), "AllowTheBackstopRule");
        this.backstopRule = rule;
        ServicePrincipal events = new ServicePrincipal("events.amazonaws.com");
        // EventBridge publishes to the encrypted topic itself, so SNS uses the key on its behalf. The topic's ARN
        // cannot appear here (the topic depends on the key), so the encryption context is limited by name prefix.
        wiring.topicKey().addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowEventBridgeToPublishToTheTopic")
                .principals(List.of(events))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of("StringLike", Map.of("kms:EncryptionContext:aws:sns:topicArn",
                        "arn:" + Stack.of(this).getPartition() + ":sns:" + Stack.of(this).getRegion() + ":" + Stack.of(this).getAccount() + ":" + p + "*")))
                .build());
    }

    /** SNS calls against TrailGuard's topics: topic calls carry topicArn (resourceArn for PutDataProtectionPolicy),
     *  subscription calls subscriptionArn (the topic ARN + ":<id>"). */
    private static Map<String, Object> snsCalls(String p) {
        return obj(
                "eventSource", List.of("sns.amazonaws.com"),
                "$or", List.of(
                        obj("eventName", List.of("DeleteTopic", "SetTopicAttributes", "RemovePermission"),
                                "requestParameters", obj("topicArn", List.of(obj("wildcard", topicArnPattern(p))))),
                        obj("eventName", List.of("PutDataProtectionPolicy"),
                                "requestParameters", obj("resourceArn", List.of(obj("wildcard", topicArnPattern(p))))),
                        obj("eventName", SUBSCRIPTION_CALLS,
                                "requestParameters", obj("subscriptionArn",
                                        List.of(obj("wildcard", topicArnPattern(p) + ":*"))))));
    }

    /** KMS calls on the topic's key, which CloudTrail names in resources[].ARN whatever the caller passed as keyId. */
    private Map<String, Object> keyCalls() {
        return obj(
                "eventSource", List.of("kms.amazonaws.com"),
                "eventName", KEY_CALLS,
                "resources", obj("ARN", List.of(wiring.topicKey().getKeyArn())));
    }

    /**
     * The two watchers of the watchers. The rule watch: calls against the EventBridge guard rule, to the
     * TamperResponder, which puts the rule back (the guard rule cannot see its own disabling). The backstop watch:
     * calls against the backstop rule, straight to the second channel. The backstop rule covers the watches in turn
     * (their names start with the prefix), so disabling them all takes calls that are each seen by another rule.
     */
    private void createWatchRules() {
        Rule.Builder.create(this, "GuardRuleWatchRule")
                .description("TrailGuard guard: changes to the EventBridge guard rule itself, which cannot see them")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.events"))
                        .detailType(List.of(API_CALL))
                        .detail(ruleCallsNaming(eventBridgeRule))
                        .build())
                .targets(List.of(wiring.tamperResponder()))
                .build();
        Rule watch = Rule.Builder.create(this, "GuardBackstopWatchRule")
                .description("TrailGuard backstop watch: alerts the second channel directly when the backstop rule is"
                        + " changed or disabled")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.events"))
                        .detailType(List.of(API_CALL))
                        .detail(ruleCallsNaming(backstopRule))
                        .build())
                .build();
        alertTopicDirectly(watch, RuleTargetInput.fromText("TrailGuard BACKSTOP WATCH ALERT (sent by EventBridge "
                + "directly): " + EventField.fromPath("$.detail.eventName") + " on TrailGuard's backstop rule "
                + EventField.fromPath("$.detail.requestParameters.name")
                + EventField.fromPath("$.detail.requestParameters.rule")
                + " by " + EventField.fromPath("$.detail.userIdentity.arn")
                + " from " + EventField.fromPath("$.detail.sourceIPAddress")
                + " at " + EventField.fromPath("$.detail.eventTime")
                + " in account " + EventField.fromPath("$.account") + " region " + EventField.fromPath("$.region")
                + "; error code (empty if it succeeded): " + EventField.fromPath("$.detail.errorCode")
                + ". TrailGuard puts the rule back from its deployed definition; check that it did."),
                wiring.secondChannel(), wiring.deadLetters(), "AllowTheBackstopWatchRule");
    }

    private static Map<String, Object> ruleCallsNaming(Rule rule) {
        return obj("eventSource", List.of("events.amazonaws.com"),
                "$or", List.of(
                        obj("eventName", RULE_CALLS_BY_NAME, "requestParameters", obj("name", List.of(rule.getRuleName()))),
                        obj("eventName", RULE_CALLS_BY_RULE, "requestParameters", obj("rule", List.of(rule.getRuleName())))));
    }

    /**
     * Calls that silence the notification path (the topic's key, the topics, their subscriptions) go straight to the
     * second channel: an alert about a disabled key cannot travel through the topic that key encrypts.
     */
    private void createNotificationPathRule() {
        Rule rule = Rule.Builder.create(this, "GuardNotificationPathRule")
                .description("TrailGuard notification path: alerts the second channel directly when the topic, its key"
                        + " or its subscriptions are changed")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.sns", "aws.kms"))
                        .detailType(List.of(API_CALL))
                        .detail(obj("$or", List.of(snsCalls(wiring.resourcePrefix()), keyCalls())))
                        .build())
                .build();
        alertTopicDirectly(rule, RuleTargetInput.fromText("TrailGuard NOTIFICATION PATH ALERT (second channel, sent by"
                + " EventBridge directly): " + EventField.fromPath("$.detail.eventName") + " on "
                + EventField.fromPath("$.detail.requestParameters.topicArn")
                + EventField.fromPath("$.detail.requestParameters.resourceArn")
                + EventField.fromPath("$.detail.requestParameters.subscriptionArn")
                + EventField.fromPath("$.detail.requestParameters.keyId")
                + " by " + EventField.fromPath("$.detail.userIdentity.arn")
                + " from " + EventField.fromPath("$.detail.sourceIPAddress")
                + " at " + EventField.fromPath("$.detail.eventTime")
                + " in account " + EventField.fromPath("$.account") + " region " + EventField.fromPath("$.region")
                + "; error code (empty if it succeeded): " + EventField.fromPath("$.detail.errorCode")
                + ". TrailGuard's own notifications may not reach you: check the topic, its KMS key and its"
                + " subscriptions now."), wiring.secondChannel(), wiring.deadLetters(), "AllowTheNotificationPathRule");
    }

    /**
     * Sends the rule's events straight to the topic as {@code message}, with no TrailGuard function in between, and lets
     * only this rule publish to the topic and write to the dead-letter queue as EventBridge (confused-deputy
     * protection). The topic's key must let EventBridge use it (the backstop rule's key statement does).
     *
     * @param sid the statement id on the topic; the dead-letter queue's is the same plus {@code DeadLetters}
     */
    static void alertTopicDirectly(Rule rule, RuleTargetInput message, Topic topic, Queue deadLetters, String sid) {
        rule.addTarget(new DirectTopicTarget(topic, message, deadLetters));
        ServicePrincipal events = new ServicePrincipal("events.amazonaws.com");
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .principals(List.of(events))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", rule.getRuleArn())))
                .build());
        deadLetters.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(sid + "DeadLetters")
                .principals(List.of(events))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(deadLetters.getQueueArn()))
                .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", rule.getRuleArn())))
                .build());
    }

    /** An SNS topic as a rule target with the same retry policy and dead-letter queue as the function targets. */
    private static final class DirectTopicTarget implements IRuleTarget {
        private final Topic topic;
        private final RuleTargetInput message;
        private final Queue deadLetters;

        DirectTopicTarget(Topic topic, RuleTargetInput message, Queue deadLetters) {
            this.topic = topic;
            this.message = message;
            this.deadLetters = deadLetters;
        }

        @Override
        public RuleTargetConfig bind(final IRuleRef rule) {
            return bind(rule, null);
        }

        @Override
        public RuleTargetConfig bind(final IRuleRef rule, final String id) {
            return RuleTargetConfig.builder()
                    .arn(topic.getTopicArn())
                    .input(message)
                    .deadLetterConfig(CfnRule.DeadLetterConfigProperty.builder().arn(deadLetters.getQueueArn()).build())
                    .retryPolicy(CfnRule.RetryPolicyProperty.builder()
                            .maximumRetryAttempts(TARGET_RETRIES)
                            .maximumEventAgeInSeconds((int) Duration.hours(2).toSeconds().longValue())
                            .build())
                    .targetResource(topic)
                    .build();
        }
    }
}
