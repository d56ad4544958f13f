package dev.trailguard.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import dev.trailguard.contract.AutomationStatus;
import dev.trailguard.contract.Environment;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.contract.Functions;
import dev.trailguard.contract.Runbooks;
import dev.trailguard.contract.TamperCalls;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.CfnQueuePolicy;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * TrailGuard in one account and region: the four Lambda functions behind aliases, the EventBridge
 * rules that feed them (CloudTrail tampering and tampering with TrailGuard itself), the SSM
 * Automation role and TrailGuard's own runbooks that restart, restore and recreate trails, the
 * declared baselines, the notification topic with a direct backstop rule, the AWS Config backstop
 * rules, and a dead-letter queue plus alarm on every path.
 */
public final class GuardStack extends Stack {

    /** The AWS-owned runbook that restarts a trail. */
    public static final String RUNBOOK = Runbooks.CONFIGURE_LOGGING;
    /** Every TrailGuard runbook's name starts with this (document names are fixed: the functions start them by name). */
    public static final String RUNBOOK_NAME_PREFIX = Runbooks.NAME_PREFIX;
    /** Restores a weakened trail's settings, selectors and Insights (the lambdas' TrailRestorer.RESTORE_RUNBOOK). */
    public static final String RESTORE_RUNBOOK = Runbooks.RESTORE_TRAIL;
    /** Recreates a deleted trail (TrailRestorer.RECREATE_RUNBOOK). */
    public static final String RECREATE_RUNBOOK = Runbooks.RECREATE_TRAIL;
    /** Enables a disabled TrailGuard rule again (RuleReenabler.RUNBOOK). */
    public static final String ENABLE_RULE_RUNBOOK = Runbooks.ENABLE_RULE;
    public static final List<String> TRAILGUARD_RUNBOOKS = Runbooks.TRAILGUARD;
    /** SSM parameter path of the declared baselines (ResponseConfig's default). */
    public static final String BASELINE_PARAMETER_PREFIX = Environment.DEFAULT_BASELINE_PARAMETER_PREFIX;
    /** SSM parameter path of the deployed rule definitions the TamperResponder puts changed rules back from. */
    public static final String RULE_DEFINITION_PREFIX = Environment.DEFAULT_RULE_DEFINITION_PREFIX;
    /** IAM is a global service: EventBridge receives its CloudTrail events only in this region. */
    public static final String IAM_EVENTS_REGION = "us-east-1";
    public static final String API_CALL = EventTypes.API_CALL;
    /** What the automation role may do to a guarded trail: exactly the calls of its runbooks' steps (LeastPrivilegeTest). */
    public static final List<String> TRAIL_RESTORE_ACTIONS = List.of(
            "cloudtrail:UpdateTrail", "cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors",
            "cloudtrail:PutInsightSelectors", "cloudtrail:StartLogging", "cloudtrail:GetTrail",
            "cloudtrail:GetTrailStatus");
    /** Every EventBridge target invokes this alias: SnapStart only applies to published versions. */
    public static final String ALIAS_NAME = "live";
    /** One place to tune JVM start-up flags for every function. */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(60);
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_YEAR;
    /** Lambda's own retries of a failed asynchronous invocation before it goes to the failure queue. */
    public static final int ASYNC_RETRIES = 2;
    /** EventBridge's retries of a target it could not invoke before the event goes to the delivery DLQ. */
    public static final int TARGET_RETRIES = 8;

    public static final List<String> TAMPER_EVENT_NAMES = TamperCalls.ALL;
    /** Automation statuses after which nothing changes any more: the ones the RemediationReporter reports. */
    public static final List<String> TERMINAL_AUTOMATION_STATUSES = AutomationStatus.wireNames();
    public static final String KEEPALIVE_SOURCE = EventTypes.KEEPALIVE_SOURCE;
    public static final String KEEPALIVE_DETAIL_TYPE = EventTypes.KEEPALIVE_DETAIL_TYPE;

    public static final String RULE_CLOUDTRAIL_ENABLED = "trailguard-cloudtrail-enabled";
    public static final String RULE_MULTI_REGION = "trailguard-multi-region-cloudtrail-enabled";
    public static final String RULE_LOG_FILE_VALIDATION = "trailguard-cloudtrail-log-file-validation-enabled";
    public static final String RULE_ENCRYPTION = "trailguard-cloudtrail-encryption-enabled";

    /** What a function may do besides logging and publishing to the topic. */
    /** Construct id (and so the start of the CloudFormation-generated name) of the automation role; the SCP matches it. */
    public static final String AUTOMATION_ROLE_ID = "AutomationRole";

    public enum Duty {
        /** Reads trail status and starts the runbook (passing the automation role). */
        REMEDIATE,
        /** Reads automation results and trail status. */
        REPORT
    }

    /**
     * One Lambda function per handler class of the shared jar.
     *
     * @param name      construct id and name stem
     * @param handler   {@code class::method} of the RequestStreamHandler
     * @param duty      which AWS calls it makes
     * @param keepalive whether the daily keepalive pings its alias (schedules already keep the sweeper warm)
     */
    public record FunctionSpec(String name, String handler, Duty duty, boolean keepalive) { }

    /** Adding a function is one line here. */
    public static final List<FunctionSpec> FUNCTIONS = List.of(
            new FunctionSpec(Functions.TAMPER_RESPONDER, Functions.handler(Functions.TAMPER_RESPONDER), Duty.REMEDIATE, true),
            new FunctionSpec(Functions.COMPLIANCE_RESPONDER, Functions.handler(Functions.COMPLIANCE_RESPONDER), Duty.REMEDIATE, true),
            new FunctionSpec(Functions.REMEDIATION_REPORTER, Functions.handler(Functions.REMEDIATION_REPORTER), Duty.REPORT, true),
            new FunctionSpec(Functions.TRAIL_SWEEPER, Functions.handler(Functions.TRAIL_SWEEPER), Duty.REMEDIATE, false));


    private final GuardStackProps props;
    private final Key topicKey;
    private final Topic topic;
    private final IncidentIntegrations integrations;
    private final Topic secondChannel;
    private final IRole automationRole;
    private final Map<String, Role> functionRoles;
    private final List<String> configRuleNames;
    private final Map<String, GuardFunction> functions;
    private final String resourcePrefix;
    /** The canary trail and its drill, if enabled. */
    private FireDrills fireDrills;
    /** The IAM guard rule, if created. */
    private Rule guardIamRule;
    private CfnCondition iamEventsRegion;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,63}");

    public GuardStack(final Construct scope, final String id, final GuardStackProps props) {
        super(scope, id, props.stackProps());
        this.props = props;
        // CloudFormation names what it creates "<stack name>-<logical id>-<suffix>" (rules, functions, roles, the topic),
        // so the stack name is the prefix the guard rules, the functions and the SCP recognise TrailGuard by.
        this.resourcePrefix = getStackName();
        if (!PREFIX.matcher(resourcePrefix).matches()) {
            throw new IllegalArgumentException("The stack name is TrailGuard's resource prefix and must be 2-64 letters,"
                    + " digits, '-' or '_', was " + resourcePrefix);
        }

        Notifications notifications = new Notifications(this, "Notifications", props);
        this.topicKey = notifications.topicKey();
        this.topic = notifications.topic();
        this.secondChannel = notifications.secondChannel();
        GuardRoles roles = new GuardRoles(this, "Roles", props, topic, secondChannel);
        this.automationRole = roles.automationRole();
        this.functionRoles = roles.functionRoles();
        if (props.fireDrill().enabled()) {
            this.fireDrills = new FireDrills(this, "FireDrill", props.fireDrill(), topic);
        }
        // The FireDrill's role too: its notification goes through the same integrations (it gets their variables).
        List<Role> notifyingRoles = new ArrayList<>(functionRoles.values());
        if (fireDrills != null) {
            notifyingRoles.add(fireDrills.role());
        }
        this.integrations = new IncidentIntegrations(this, "Integrations", props.integrations(), topicKey,
                notifyingRoles);
        this.configRuleNames = new ConfigBackstop(this, "ConfigBackstop", props).ruleNames();
        new RunbooksAndBaselines(this, "Runbooks", props);
        this.functions = createFunctions();
        EventRouting routing = new EventRouting(this, "Routing", configRuleNames, functions, props.guardedTrails());
        if (fireDrills != null) {
            functions.put(Functions.FIRE_DRILL, fireDrills.function(Code.fromAsset(props.lambdaJar()),
                    functionEnvironment(), routing.deadLetters(), topic));
        }
        GuardTheGuard guard = new GuardTheGuard(this, "GuardTheGuard", new GuardTheGuard.Wiring(resourcePrefix,
                configRuleNames, routing.target(Functions.TAMPER_RESPONDER, null), topic, topicKey,
                routing.deadLetters(), secondChannel), guardIamEvents());
        this.guardIamRule = guard.iamRule();
        routing.addDeliveryRule(topicKey.getKeyArn());
        routing.addSchedules(props.sweepMinutes());
        // After the last rule, like the alarms: one deployed definition per rule, which the TamperResponder restores.
        new DeployedRules(this, "DeployedRules");
        new GuardAlarms(this, "Alarms", topic, functions.values(), routing.deadLetters(), secondChannel);
        applyIamEventsCondition(LegacyIds.pin(this));
        createOutputs();
        NagAcknowledgements.forGuardStack(this, functionRoles.values(), automationRole,
                functions.values().stream().map(GuardFunction::function).toList(), functionRoles.get(Functions.TAMPER_RESPONDER),
                functionRoles.get(Functions.REMEDIATION_REPORTER), resourcePrefix, props.guardedTrails());
    }

    // --- functions -------------------------------------------------------------------------

    private Map<String, GuardFunction> createFunctions() {
        Map<String, String> environment = functionEnvironment();
        Code code = Code.fromAsset(props.lambdaJar());
        Map<String, GuardFunction> deployed = new LinkedHashMap<>();
        for (FunctionSpec spec : FUNCTIONS) {
            deployed.put(spec.name(), new GuardFunction(this, spec.name() + "Function", spec,
                    functionRoles.get(spec.name()), code, environment));
        }
        return deployed;
    }

    private Map<String, String> functionEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(FunctionEnvironment.of(props,
                new FunctionEnvironment.Wiring(topic.getTopicArn(), automationRole.getRoleArn(),
                        functionRoles.values().stream().map(Role::getRoleArn).toList(), configRuleNames,
                        resourcePrefix, FunctionEnvironment.deploymentRoleArn(this), secondChannel.getTopicArn(),
                        topicKey.getKeyArn())));
        environment.putAll(integrations.environment());
        if (fireDrills != null) {
            // Before JAVA_TOOL_OPTIONS stays last: insertion order is the template's order.
            Map<String, String> withDrill = new LinkedHashMap<>();
            environment.forEach((key, value) -> {
                if (key.equals("JAVA_TOOL_OPTIONS")) {
                    withDrill.putAll(fireDrills.environment());
                }
                withDrill.put(key, value);
            });
            return withDrill;
        }
        return environment;
    }

    // --- events ----------------------------------------------------------------------------

    /**
     * IAM events reach EventBridge only in us-east-1: elsewhere the IAM guard rule would never fire. Whether to create
     * it: context {@code guardIamEvents} decides when given; a region named at synth decides next; otherwise (an
     * environment-agnostic template, the default) the rule is created under the {@link #iamEventsRegion} condition,
     * so the same template does the right thing in every region.
     */
    private boolean guardIamEvents() {
        if (props.guardIamEvents() != null) {
            return props.guardIamEvents();
        }
        return Token.isUnresolved(getRegion()) || IAM_EVENTS_REGION.equals(getRegion());
    }

    /** The condition the IAM guard rule is created under, or null when synth already decided. */
    private CfnCondition iamEventsCondition() {
        if (props.guardIamEvents() != null || !Token.isUnresolved(getRegion())) {
            return null;
        }
        if (iamEventsRegion == null) {
            iamEventsRegion = CfnCondition.Builder.create(this, "IamEventsRegion")
                    .expression(Fn.conditionEquals(Aws.REGION, IAM_EVENTS_REGION))
                    .build();
        }
        return iamEventsRegion;
    }

    /**
     * Makes the IAM guard rule, the permission it invokes the TamperResponder with and its alarm conditional, and the
     * dead-letter queue's statement for that rule an {@code Fn::If}: a resource that references a resource which
     * CloudFormation leaves out fails the whole deployment outside us-east-1 ("Unresolved resource dependencies").
     * The same pass gives the queue policies' generated statement ids their pre-construct names back.
     */
    private void applyIamEventsCondition(UnaryOperator<String> legacyNames) {
        CfnCondition condition = iamEventsCondition();
        String ruleId = null;
        if (condition != null && guardIamRule != null) {
            for (IConstruct construct : getNode().findAll()) {
                boolean ofTheRule = construct.getNode().getPath().contains("/" + guardIamRule.getNode().getId());
                if (ofTheRule && construct instanceof CfnResource resource) {
                    resource.getCfnOptions().setCondition(condition);
                }
            }
            // The element's own (pinned) id; Stack.getLogicalId would allocate one from the construct path.
            ruleId = (String) resolve(((CfnElement) guardIamRule.getNode().getDefaultChild()).getLogicalId());
        }
        for (IConstruct construct : getNode().findAll()) {
            if (construct instanceof CfnQueuePolicy policy) {
                rewriteStatements(policy, legacyNames, ruleId, condition);
            }
        }
    }

    /** Statement ids renamed; statements naming the conditional resource as {@code Fn::If(condition, it, NoValue)}. */
    @SuppressWarnings("unchecked")
    private void rewriteStatements(CfnQueuePolicy policy, UnaryOperator<String> legacyNames, String conditionalId,
            CfnCondition condition) {
        Map<String, Object> document = (Map<String, Object>) resolve(policy.getPolicyDocument());
        List<Object> statements = new ArrayList<>();
        boolean changed = false;
        for (Object original : (List<Object>) document.get("Statement")) {
            Object statement = original;
            if (statement instanceof Map<?, ?> map && map.get("Sid") instanceof String sid
                    && !legacyNames.apply(sid).equals(sid)) {
                Map<String, Object> renamed = new LinkedHashMap<>((Map<String, Object>) map);
                renamed.put("Sid", legacyNames.apply(sid));
                statement = renamed;
                changed = true;
            }
            if (conditionalId != null && references(statement, conditionalId)) {
                statement = Fn.conditionIf(condition.getLogicalId(), statement, Aws.NO_VALUE);
                changed = true;
            }
            statements.add(statement);
        }
        if (changed) {
            // The whole list: CloudFormation drops the element whose Fn::If yields AWS::NoValue.
            policy.addPropertyOverride("PolicyDocument.Statement", statements);
        }
    }

    private static boolean references(Object value, String logicalId) {
        if (value instanceof Map<?, ?> map) {
            if (logicalId.equals(map.get("Ref"))) {
                return true;
            }
            if (map.get("Fn::GetAtt") instanceof List<?> getAtt && !getAtt.isEmpty() && logicalId.equals(getAtt.get(0))) {
                return true;
            }
            return map.values().stream().anyMatch(v -> references(v, logicalId));
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(v -> references(v, logicalId));
        }
        return false;
    }

    /** An insertion-ordered JSON object, so the synthesized patterns read the same on every run. */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // --- alarms ----------------------------------------------------------------------------

    private void createOutputs() {
        // Subscribers in other accounts need the topic ARN for their queue policy.
        CfnOutput.Builder.create(this, "TopicArn").value(topic.getTopicArn())
                .description("TrailGuard notification topic").build();
        CfnOutput.Builder.create(this, "SecondChannelArn").value(secondChannel.getTopicArn())
                .description("TrailGuard second channel: alerts about the notification path itself").build();
        CfnOutput.Builder.create(this, "AutomationRoleArn").value(automationRole.getRoleArn())
                .description("Role that AWS-ConfigureCloudTrailLogging runs as").build();
    }

}
