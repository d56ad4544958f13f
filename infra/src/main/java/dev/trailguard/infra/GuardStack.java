package dev.trailguard.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.config.CfnConfigurationRecorder;
import software.amazon.awscdk.services.config.CfnDeliveryChannel;
import software.amazon.awscdk.services.config.ManagedRule;
import software.amazon.awscdk.services.config.ManagedRuleIdentifiers;
import software.amazon.awscdk.services.config.MaximumExecutionFrequency;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.sns.SubscriptionProtocol;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscription;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscriptionProps;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscription;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscriptionProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * TrailGuard in one account and region: the four Lambda functions behind aliases, the EventBridge
 * rules that feed them, the SSM Automation role that restarts trails, the notification topic, the
 * AWS Config backstop rules, and a dead-letter queue plus alarm on every path.
 */
public final class GuardStack extends Stack {

    /** The AWS-owned runbook that restarts a trail. */
    public static final String RUNBOOK = "AWS-ConfigureCloudTrailLogging";
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

    public static final List<String> TAMPER_EVENT_NAMES =
            List.of("StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors");
    /** Automation statuses after which nothing changes any more. */
    public static final List<String> TERMINAL_AUTOMATION_STATUSES = List.of(
            "Success", "Failed", "TimedOut", "Cancelled", "Rejected", "ChangeCalendarOverrideRejected",
            "CompletedWithSuccess", "CompletedWithFailure", "Exited");
    public static final String KEEPALIVE_SOURCE = "trailguard.keepalive";
    public static final String KEEPALIVE_DETAIL_TYPE = "TrailGuard Keepalive";

    public static final String RULE_CLOUDTRAIL_ENABLED = "trailguard-cloudtrail-enabled";
    public static final String RULE_MULTI_REGION = "trailguard-multi-region-cloudtrail-enabled";
    public static final String RULE_LOG_FILE_VALIDATION = "trailguard-cloudtrail-log-file-validation-enabled";
    public static final String RULE_ENCRYPTION = "trailguard-cloudtrail-encryption-enabled";

    /** What a function may do besides logging and publishing to the topic. */
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
            new FunctionSpec("TamperResponder", "dev.trailguard.handler.TamperResponder::handleRequest", Duty.REMEDIATE, true),
            new FunctionSpec("ComplianceResponder", "dev.trailguard.handler.ComplianceResponder::handleRequest", Duty.REMEDIATE, true),
            new FunctionSpec("RemediationReporter", "dev.trailguard.handler.RemediationReporter::handleRequest", Duty.REPORT, true),
            new FunctionSpec("TrailSweeper", "dev.trailguard.handler.TrailSweeper::handleRequest", Duty.REMEDIATE, false));

    /** A deployed function with what belongs to it. */
    private record Deployed(FunctionSpec spec, Function function, Alias alias, Queue failureQueue) { }

    private final GuardStackProps props;
    private final Key topicKey;
    private final Topic topic;
    private final Role automationRole;
    private final Map<String, Role> functionRoles;
    private final List<String> configRuleNames;
    private final Map<String, Deployed> functions;
    private final Queue eventDeliveryDlq;

    public GuardStack(final Construct scope, final String id, final GuardStackProps props) {
        super(scope, id, props.stackProps());
        this.props = props;

        this.topicKey = createTopicKey();
        this.topic = createTopic();
        createSubscriptions();
        this.automationRole = createAutomationRole();
        this.functionRoles = createFunctionRoles();
        this.configRuleNames = createConfigRules();
        this.functions = createFunctions();
        this.eventDeliveryDlq = createEventDeliveryDlq();
        createTamperRule();
        createComplianceRule();
        createRemediationStatusRule();
        createSweepSchedule();
        createKeepalive();
        createAlarms();
        createOutputs();
        NagAcknowledgements.forGuardStack(this, functionRoles.values(), automationRole,
                functions.values().stream().map(Deployed::function).toList());
    }

    // --- notification ----------------------------------------------------------------------

    private Key createTopicKey() {
        Key key = Key.Builder.create(this, "TopicKey")
                .description("TrailGuard: encrypts the notification topic")
                .enableKeyRotation(true)
                // Scheduled deletion (30 days, cancellable) on destroy rather than an orphaned key.
                .removalPolicy(RemovalPolicy.DESTROY)
                .pendingWindow(Duration.days(30))
                .build();
        // CloudWatch publishes alarm notifications itself; without this it cannot use the topic's key.
        // The functions get the key through IAM (the default key policy delegates to the account).
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarmsToUseTheKey")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        return key;
    }

    private Topic createTopic() {
        Topic created = Topic.Builder.create(this, "Topic")
                .displayName("TrailGuard")
                .masterKey(topicKey)
                .enforceSsl(true)
                .build();
        // Confused-deputy protection: only this account's alarms may publish as CloudWatch.
        created.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowThisAccountsAlarms")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(created.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", getAccount()),
                        "ArnLike", Map.of("aws:SourceArn",
                                "arn:" + getPartition() + ":cloudwatch:" + getRegion() + ":" + getAccount() + ":alarm:*")))
                .build());
        return created;
    }

    private void createSubscriptions() {
        props.notificationEmails().forEach(email -> topic.addSubscription(new EmailSubscription(email)));
        // Raw delivery stays off: JSON subscribers get the standard SNS envelope (Subject, Timestamp,
        // MessageAttributes, signature) with TrailGuard's JSON document in its Message field.
        if (props.jsonSubscriberQueueArn() != null) {
            topic.addSubscription(new SqsSubscription(
                    Queue.fromQueueArn(this, "JsonSubscriberQueue", props.jsonSubscriberQueueArn()),
                    SqsSubscriptionProps.builder().rawMessageDelivery(false).build()));
        }
        if (props.jsonSubscriberHttpsUrl() != null) {
            topic.addSubscription(new UrlSubscription(props.jsonSubscriberHttpsUrl(),
                    UrlSubscriptionProps.builder().protocol(SubscriptionProtocol.HTTPS).rawMessageDelivery(false).build()));
        }
    }

    // --- roles -----------------------------------------------------------------------------

    private Role createAutomationRole() {
        // Systems Manager runs the runbook, so the role must trust ssm.amazonaws.com (a role that
        // trusts config.amazonaws.com fails with "The defined assume role is unable to be assumed").
        ServicePrincipal ssm = new ServicePrincipal("ssm.amazonaws.com");
        Role role = Role.Builder.create(this, "AutomationRole")
                .description("TrailGuard: assumed by SSM Automation to run " + RUNBOOK)
                .assumedBy(ssm.withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", automationExecutionArn("*")))))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("RestartGuardedTrails")
                .actions(List.of("cloudtrail:StartLogging", "cloudtrail:GetTrailStatus"))
                .resources(guardedTrailArns())
                .build());
        role.addToPolicy(describeTrails());
        return role;
    }

    private Map<String, Role> createFunctionRoles() {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (FunctionSpec spec : FUNCTIONS) {
            Role role = Role.Builder.create(this, spec.name() + "Role")
                    .description("TrailGuard: execution role of " + spec.name())
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                    .build();
            role.addToPolicy(describeTrails());
            role.addToPolicy(PolicyStatement.Builder.create()
                    .sid("ReadGuardedTrailStatus")
                    .actions(List.of("cloudtrail:GetTrailStatus"))
                    .resources(guardedTrailArns())
                    .build());
            // grantPublish also grants kms:Decrypt and kms:GenerateDataKey* on the topic's key.
            topic.grantPublish(role);
            if (spec.duty() == Duty.REMEDIATE) {
                grantStartRunbook(role);
                if (spec.name().equals("TamperResponder")) {
                    role.addToPolicy(PolicyStatement.Builder.create()
                            .sid("CountRepeatedTampering")
                            // Counts this actor's recent runbook executions (by tag key) to escalate repeated
                            // StopLogging; DescribeAutomationExecutions supports no resource-level permissions.
                            .actions(List.of("ssm:DescribeAutomationExecutions"))
                            .resources(List.of("*"))
                            .build());
                }
            } else {
                role.addToPolicy(PolicyStatement.Builder.create()
                        .sid("ReadAutomationResults")
                        .actions(List.of("ssm:GetAutomationExecution"))
                        // Status events only reach this region's bus, so only this region's executions.
                        .resources(List.of("arn:" + getPartition() + ":ssm:" + getRegion() + ":" + getAccount()
                                + ":automation-execution/*"))
                        .build());
            }
            roles.put(spec.name(), role);
        }
        return roles;
    }

    private void grantStartRunbook(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("StartTheRunbook")
                .actions(List.of("ssm:StartAutomationExecution"))
                // Any region: a trail is restarted in its home region. AWS-owned runbooks have no
                // account id in their ARN; the execution is created in this account.
                .resources(List.of(
                        "arn:" + getPartition() + ":ssm:*::automation-definition/" + RUNBOOK + ":*",
                        "arn:" + getPartition() + ":ssm:*::document/" + RUNBOOK,
                        automationExecutionArn("*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("TagTheExecution")
                // StartAutomationExecution with Tags also authorizes ssm:AddTagsToResource on the new execution.
                .actions(List.of("ssm:AddTagsToResource"))
                .resources(List.of(automationExecutionArn("*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("PassTheAutomationRole")
                .actions(List.of("iam:PassRole"))
                .resources(List.of(automationRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ssm.amazonaws.com")))
                .build());
    }

    private static PolicyStatement describeTrails() {
        // cloudtrail:DescribeTrails supports no resource-level permissions.
        return PolicyStatement.Builder.create()
                .sid("DescribeTrails")
                .actions(List.of("cloudtrail:DescribeTrails"))
                .resources(List.of("*"))
                .build();
    }

    /**
     * The guarded trails as IAM resources: ARNs as given, names in any region of this account, or
     * every trail of this account. An organization trail carries the management account's id in
     * its ARN; a member account can read it only if its ARN is listed in guardedTrails.
     */
    private List<String> guardedTrailArns() {
        String anyRegionTrail = "arn:" + getPartition() + ":cloudtrail:*:" + getAccount() + ":trail/";
        if (props.guardedTrails().isEmpty()) {
            return List.of(anyRegionTrail + "*");
        }
        return props.guardedTrails().stream()
                .map(trail -> trail.startsWith("arn:") ? trail : anyRegionTrail + trail)
                .toList();
    }

    private String automationExecutionArn(String region) {
        return "arn:" + getPartition() + ":ssm:" + region + ":" + getAccount() + ":automation-execution/*";
    }

    // --- Config ----------------------------------------------------------------------------

    private List<String> createConfigRules() {
        List<Construct> recorder = props.createConfigRecorder() ? createConfigRecorder() : List.of();
        List<String> names = new ArrayList<>();
        names.add(configRule("CloudTrailEnabledRule", RULE_CLOUDTRAIL_ENABLED,
                ManagedRuleIdentifiers.CLOUD_TRAIL_ENABLED, recorder));
        names.add(configRule("MultiRegionCloudTrailRule", RULE_MULTI_REGION,
                ManagedRuleIdentifiers.CLOUDTRAIL_MULTI_REGION_ENABLED, recorder));
        if (props.enableLogFileValidationRule()) {
            names.add(configRule("LogFileValidationRule", RULE_LOG_FILE_VALIDATION,
                    ManagedRuleIdentifiers.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED, recorder));
        }
        if (props.enableEncryptionRule()) {
            names.add(configRule("EncryptionRule", RULE_ENCRYPTION,
                    ManagedRuleIdentifiers.CLOUD_TRAIL_ENCRYPTION_ENABLED, recorder));
        }
        return List.copyOf(names);
    }

    private String configRule(String id, String name, String identifier, List<Construct> recorder) {
        ManagedRule rule = ManagedRule.Builder.create(this, id)
                .configRuleName(name)
                .identifier(identifier)
                .description("TrailGuard backstop: catches what the event path missed")
                // Periodic rules: one hour is the fastest AWS Config offers.
                .maximumExecutionFrequency(MaximumExecutionFrequency.ONE_HOUR)
                .build();
        // A rule cannot be created before the account has a configuration recorder.
        recorder.forEach(r -> rule.getNode().addDependency(r));
        return name;
    }

    /** Only with createConfigRecorder=true: most accounts already have a recorder (one per region). */
    private List<Construct> createConfigRecorder() {
        Bucket bucket = Bucket.Builder.create(this, "ConfigBucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .versioned(true)
                // Configuration history is audit evidence: keep it when the stack goes.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Role role = Role.Builder.create(this, "ConfigRecorderRole")
                .description("TrailGuard: AWS Config recorder role")
                .assumedBy(new ServicePrincipal("config.amazonaws.com"))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWS_ConfigRole")))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("DeliverConfigurationSnapshots")
                .actions(List.of("s3:PutObject", "s3:PutObjectAcl"))
                .resources(List.of(bucket.arnForObjects("AWSLogs/" + getAccount() + "/Config/*")))
                .conditions(Map.of("StringLike", Map.of("s3:x-amz-acl", "bucket-owner-full-control")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("CheckBucketAcl")
                .actions(List.of("s3:GetBucketAcl"))
                .resources(List.of(bucket.getBucketArn()))
                .build());
        CfnConfigurationRecorder recorder = CfnConfigurationRecorder.Builder.create(this, "ConfigRecorder")
                .roleArn(role.getRoleArn())
                // The rules only look at trails; recording nothing else keeps Config's cost near zero.
                .recordingGroup(CfnConfigurationRecorder.RecordingGroupProperty.builder()
                        .allSupported(false)
                        .includeGlobalResourceTypes(false)
                        .resourceTypes(List.of("AWS::CloudTrail::Trail"))
                        .recordingStrategy(CfnConfigurationRecorder.RecordingStrategyProperty.builder()
                                .useOnly("INCLUSION_BY_RESOURCE_TYPES").build())
                        .build())
                .build();
        CfnDeliveryChannel channel = CfnDeliveryChannel.Builder.create(this, "ConfigDeliveryChannel")
                .s3BucketName(bucket.getBucketName())
                .build();
        // Config checks at creation that it can write to the bucket, and needs the recorder first.
        channel.getNode().addDependency(recorder, bucket, role);
        NagAcknowledgements.forConfigRecorder(bucket, role);
        return List.of(recorder, channel);
    }

    // --- functions -------------------------------------------------------------------------

    private Map<String, Deployed> createFunctions() {
        Map<String, String> environment = functionEnvironment();
        Code code = Code.fromAsset(props.lambdaJar());
        Map<String, Deployed> deployed = new LinkedHashMap<>();
        for (FunctionSpec spec : FUNCTIONS) {
            Role role = functionRoles.get(spec.name());
            LogGroup logGroup = LogGroup.Builder.create(this, spec.name() + "Logs")
                    .retention(LOG_RETENTION)
                    // The logs record what TrailGuard did about a tamper attempt: keep them after destroy.
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            // Scoped to the function's own log group instead of AWSLambdaBasicExecutionRole's logs:*.
            logGroup.grantWrite(role);
            Function function = Function.Builder.create(this, spec.name())
                    .description("TrailGuard " + spec.name())
                    .runtime(Runtime.JAVA_21)
                    .architecture(Architecture.ARM_64)
                    .memorySize(MEMORY_MB)
                    .timeout(TIMEOUT)
                    .code(code)
                    .handler(spec.handler())
                    .role(role)
                    .logGroup(logGroup)
                    .environment(environment)
                    .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                    .build();
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "The alias below publishes a version (currentVersion) and every target invokes the alias");
            Queue failureQueue = encryptedQueue(spec.name() + "FailedInvocations");
            // Async invoke config belongs on the alias: EventBridge invokes the alias, and a config on
            // the unqualified function would not apply to it.
            Alias alias = Alias.Builder.create(this, spec.name() + "Alias")
                    .aliasName(ALIAS_NAME)
                    .version(function.getCurrentVersion())
                    .retryAttempts(ASYNC_RETRIES)
                    .maxEventAge(Duration.hours(6))
                    .onFailure(new SqsDestination(failureQueue))
                    .build();
            deployed.put(spec.name(), new Deployed(spec, function, alias, failureQueue));
        }
        return deployed;
    }

    private Map<String, String> functionEnvironment() {
        List<String> ownRoleArns = new ArrayList<>();
        functionRoles.values().forEach(role -> ownRoleArns.add(role.getRoleArn()));
        ownRoleArns.add(automationRole.getRoleArn());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TRAILGUARD_TOPIC_ARN", topic.getTopicArn());
        environment.put("TRAILGUARD_AUTOMATION_ROLE_ARN", automationRole.getRoleArn());
        // Loop guard: the functions ignore calls made by these roles.
        environment.put("TRAILGUARD_OWN_ROLE_ARNS", String.join(",", ownRoleArns));
        environment.put("TRAILGUARD_GUARDED_TRAILS", String.join(",", props.guardedTrails()));
        environment.put("TRAILGUARD_CONFIG_RULES", String.join(",", configRuleNames));
        environment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        return environment;
    }

    private Queue encryptedQueue(String id) {
        // SQS-managed encryption: EventBridge and Lambda can write without a grant on a KMS key.
        return Queue.Builder.create(this, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
    }

    // --- events ----------------------------------------------------------------------------

    private Queue createEventDeliveryDlq() {
        return encryptedQueue("EventDeliveryDlq");
    }

    private LambdaFunction target(String functionName, RuleTargetInput input) {
        LambdaFunctionProps.Builder target = LambdaFunctionProps.builder()
                .deadLetterQueue(eventDeliveryDlq)
                .retryAttempts(TARGET_RETRIES)
                .maxEventAge(Duration.hours(2));
        if (input != null) {
            target.event(input);
        }
        return new LambdaFunction(functions.get(functionName).alias(), target.build());
    }

    private void createTamperRule() {
        Rule.Builder.create(this, "TamperRule")
                .description("TrailGuard: CloudTrail calls that stop, delete or weaken a trail")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.cloudtrail"))
                        .detailType(List.of("AWS API Call via CloudTrail"))
                        .detail(Map.of(
                                "eventSource", List.of("cloudtrail.amazonaws.com"),
                                "eventName", TAMPER_EVENT_NAMES))
                        .build())
                .targets(List.of(target("TamperResponder", null)))
                .build();
    }

    private void createComplianceRule() {
        Rule.Builder.create(this, "ComplianceRule")
                .description("TrailGuard: compliance changes of TrailGuard's own Config rules")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.config"))
                        .detailType(List.of("Config Rules Compliance Change"))
                        .detail(Map.of(
                                "configRuleName", configRuleNames,
                                // COMPLIANT too: the responder sends a "resolved" note.
                                "newEvaluationResult", Map.of("complianceType", List.of("NON_COMPLIANT", "COMPLIANT"))))
                        .build())
                .targets(List.of(target("ComplianceResponder", null)))
                .build();
    }

    private void createRemediationStatusRule() {
        Rule.Builder.create(this, "RemediationStatusRule")
                .description("TrailGuard: final status of " + RUNBOOK + " executions")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.ssm"))
                        .detailType(List.of("EC2 Automation Execution Status-change Notification"))
                        .detail(Map.of(
                                "Definition", List.of(RUNBOOK),
                                "Status", TERMINAL_AUTOMATION_STATUSES))
                        .build())
                .targets(List.of(target("RemediationReporter", null)))
                .build();
    }

    private void createSweepSchedule() {
        Rule.Builder.create(this, "SweepSchedule")
                .description("TrailGuard: backstop sweep of every guarded trail")
                .schedule(Schedule.rate(Duration.minutes(props.sweepMinutes())))
                .targets(List.of(target("TrailSweeper", null)))
                .build();
    }

    private void createKeepalive() {
        // A SnapStart version unused for 14 days goes inactive and its next invoke fails.
        RuleTargetInput ping = RuleTargetInput.fromObject(Map.of(
                "source", KEEPALIVE_SOURCE,
                "detail-type", KEEPALIVE_DETAIL_TYPE));
        Rule.Builder.create(this, "KeepaliveSchedule")
                .description("TrailGuard: keeps the SnapStart versions of the event-driven functions active")
                .schedule(Schedule.rate(Duration.days(1)))
                .targets(FUNCTIONS.stream().filter(FunctionSpec::keepalive)
                        .map(spec -> target(spec.name(), ping)).toList())
                .build();
    }

    // --- alarms ----------------------------------------------------------------------------

    private void createAlarms() {
        MetricOptions fiveMinuteMax = MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build();
        MetricOptions fiveMinuteSum = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        alarm("EventDeliveryDlqAlarm", eventDeliveryDlq.metricApproximateNumberOfMessagesVisible(fiveMinuteMax),
                "TrailGuard: EventBridge could not deliver an event to a function; inspect the dead-letter queue");
        for (Deployed d : functions.values()) {
            String name = d.spec().name();
            alarm(name + "FailedInvocationsAlarm", d.failureQueue().metricApproximateNumberOfMessagesVisible(fiveMinuteMax),
                    "TrailGuard: " + name + " failed an event after all retries; inspect its failure queue");
            alarm(name + "ErrorsAlarm", d.function().metricErrors(fiveMinuteSum),
                    "TrailGuard: " + name + " reported errors");
        }
    }

    private void createOutputs() {
        // Subscribers in other accounts need the topic ARN for their queue policy.
        CfnOutput.Builder.create(this, "TopicArn").value(topic.getTopicArn())
                .description("TrailGuard notification topic").build();
        CfnOutput.Builder.create(this, "AutomationRoleArn").value(automationRole.getRoleArn())
                .description("Role that AWS-ConfigureCloudTrailLogging runs as").build();
    }

    private void alarm(String id, IMetric metric, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
    }
}
