package dev.trailguard.infra;

import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Functions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudtrail.CfnTrail;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The fire drill (issue 16): the canary trail, which records nothing (no management events, no data events) into a
 * small encrypted, TLS-only bucket of its own whose objects expire after a week; the FireDrill function, whose role may
 * call {@code cloudtrail:StopLogging} on the canary and nothing else besides publishing and logging; its schedule; and
 * the alarm "canary not restored within the deadline" on the sweep's {@code CanaryStoppedSeconds} metric. Everything
 * that restarts and measures the canary is TrailGuard's ordinary path.
 */
final class FireDrills extends Construct {

    /** Log files and digests of the canary (there are only digests: it records nothing) expire after this. */
    static final int LOG_EXPIRY_DAYS = 7;
    static final String METRIC_CANARY_STOPPED = "CanaryStoppedSeconds";

    private final FireDrillProps props;
    private final Bucket bucket;
    private final CfnTrail canary;
    private final Role role;
    private final String canaryArn;

    FireDrills(final Construct scope, final String id, final FireDrillProps props, final Topic topic) {
        super(scope, id);
        this.props = props;
        Stack stack = Stack.of(this);
        this.canaryArn = canaryArn(stack);
        Canary created = createCanary(this);
        this.bucket = created.bucket();
        this.canary = created.trail();
        this.role = Role.Builder.create(this, "Role")
                .description("TrailGuard: execution role of the FireDrill, which may stop the canary trail only")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("StopTheCanaryOnly")
                // The drill's one AWS call. TrailGuard recognises a drill only by this role AND this trail together.
                .actions(List.of("cloudtrail:StopLogging"))
                .resources(List.of(canaryArn))
                .build());
        // A drill that cannot even stop the canary says so (grantPublish adds the topic key's data-key calls).
        topic.grantPublish(role);
    }

    /**
     * The canary trail and its bucket, under {@code scope} (ids {@code CanaryLogs} and {@code CanaryTrail}), in the
     * scope's stack's account and region: the single-account stack's, and every member account's in organization mode.
     *
     * @param bucket the small encrypted, TLS-only bucket whose objects expire after {@value #LOG_EXPIRY_DAYS} days
     * @param trail  {@code TrailGuard-Canary}, which records nothing
     */
    record Canary(Bucket bucket, CfnTrail trail) { }

    /** The canary's ARN in the stack's account and region. */
    static String canaryArn(Stack stack) {
        return "arn:" + stack.getPartition() + ":cloudtrail:" + stack.getRegion() + ":" + stack.getAccount()
                + ":trail/" + Environment.CANARY_TRAIL_NAME;
    }

    static Canary createCanary(Construct scope) {
        Stack stack = Stack.of(scope);
        String canaryArn = canaryArn(stack);
        Bucket bucket = Bucket.Builder.create(scope, "CanaryLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("ExpireCanaryLogs")
                        .expiration(Duration.days(LOG_EXPIRY_DAYS)).build()))
                // CloudFormation cannot delete a bucket that still holds digests (they expire within a week), so a
                // destroy leaves it behind rather than failing; it holds no evidence.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        ServicePrincipal cloudTrail = new ServicePrincipal("cloudtrail.amazonaws.com");
        Map<String, Object> onlyTheCanary = Map.of("StringEquals", Map.of("aws:SourceArn", canaryArn));
        bucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CanaryAclCheck").effect(Effect.ALLOW).principals(List.of(cloudTrail))
                .actions(List.of("s3:GetBucketAcl")).resources(List.of(bucket.getBucketArn()))
                .conditions(onlyTheCanary).build());
        bucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CanaryWrite").effect(Effect.ALLOW).principals(List.of(cloudTrail))
                .actions(List.of("s3:PutObject"))
                .resources(List.of(bucket.arnForObjects("AWSLogs/" + stack.getAccount() + "/*")))
                .conditions(onlyTheCanary).build());
        CfnTrail trail = CfnTrail.Builder.create(scope, "CanaryTrail")
                .trailName(Environment.CANARY_TRAIL_NAME)
                .s3BucketName(bucket.getBucketName())
                .isLogging(true)
                .isMultiRegionTrail(false)
                .includeGlobalServiceEvents(false)
                .enableLogFileValidation(true)
                // Records nothing: no management events and no data resources, so CloudTrail charges nothing for it.
                .eventSelectors(List.of(CfnTrail.EventSelectorProperty.builder()
                        .includeManagementEvents(false)
                        .readWriteType("All")
                        .dataResources(List.of())
                        .build()))
                .build();
        trail.getNode().addDependency(bucket.getPolicy());
        NagAcknowledgements.suppress(bucket, "AwsSolutions-S1",
                "The canary trail records nothing; its bucket receives only CloudTrail's hourly digest files, which"
                        + " expire after a week. Server access logs would need another bucket to log an empty one.");
        return new Canary(bucket, trail);
    }

    /** The canary's ARN (in the stack's region and account). */
    String canaryArn() {
        return canaryArn;
    }

    Role role() {
        return role;
    }

    Bucket bucket() {
        return bucket;
    }

    /** What every function must know to recognise and measure the drill. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(Environment.CANARY_TRAIL_ARN, canaryArn);
        environment.put(Environment.DRILL_ROLE_ARN, role.getRoleArn());
        environment.put(Environment.DRILL_TARGET_SECONDS, String.valueOf(props.targetSeconds()));
        environment.put(Environment.DRILL_DEADLINE_MINUTES, String.valueOf(props.deadlineMinutes()));
        return environment;
    }

    /** The FireDrill function itself, its schedule (through the same dead-letter queue as every rule) and the alarm. */
    GuardFunction function(final Code code, final Map<String, String> environment, final Queue deadLetters,
            final Topic topic) {
        GuardFunction function = new GuardFunction(this, Functions.FIRE_DRILL + "Function",
                new GuardStack.FunctionSpec(Functions.FIRE_DRILL, Functions.handler(Functions.FIRE_DRILL),
                        GuardStack.Duty.REPORT, false), role, code, environment);
        Rule.Builder.create(this, "DrillSchedule")
                .description("TrailGuard: runs the fire drill (stops the canary trail; TrailGuard restarts and times it)")
                .schedule(Schedule.expression(props.schedule()))
                .targets(List.of(new LambdaFunction(function.alias(), LambdaFunctionProps.builder()
                        .deadLetterQueue(deadLetters)
                        .retryAttempts(GuardStack.TARGET_RETRIES)
                        .maxEventAge(Duration.hours(1))
                        .build())))
                .build();
        canaryNotRestoredAlarm(this, "TrailGuard: the canary trail was not logging again within "
                + props.deadlineMinutes() + " minutes of being stopped; a real StopLogging would not be answered in "
                + "time either", Map.of("Account", Aws.ACCOUNT_ID, "Region", Aws.REGION), props.deadlineMinutes(),
                topic);
        NagAcknowledgements.suppress(role, "AwsSolutions-IAM5",
                "The topic key is used for SNS server-side encryption, which needs kms:GenerateDataKey with any"
                        + " suffix; the statement is scoped to the one TrailGuard topic key.",
                "Action::kms:GenerateDataKey*");
        return function;
    }

    /**
     * The alarm "canary not restored within the deadline" on the sweep's {@value #METRIC_CANARY_STOPPED} metric (the
     * longest a canary has been seen stopped, in a 5-minute period), to the topic. The sweep writes the metric every
     * few minutes while a canary is stopped; missing data is no breach (the sweep's own failures have their alarms).
     *
     * @param dimensions the series: this account and region, or none for the organization-wide series
     */
    static Alarm canaryNotRestoredAlarm(Construct scope, String description, Map<String, String> dimensions,
            int deadlineMinutes, Topic topic) {
        Metric.Builder metric = Metric.Builder.create()
                .namespace(Environment.DRILL_METRIC_NAMESPACE)
                .metricName(METRIC_CANARY_STOPPED)
                .statistic("Maximum")
                .period(Duration.minutes(5));
        if (!dimensions.isEmpty()) {
            metric.dimensionsMap(dimensions);
        }
        Alarm alarm = Alarm.Builder.create(scope, "CanaryNotRestoredAlarm")
                .alarmDescription(description)
                .metric(metric.build())
                .threshold(deadlineMinutes * 60)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        return alarm;
    }
}
