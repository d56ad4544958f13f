package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.RULE_CLOUDTRAIL_ENABLED;
import static dev.trailguard.infra.GuardStack.RULE_ENCRYPTION;
import static dev.trailguard.infra.GuardStack.RULE_LOG_FILE_VALIDATION;
import static dev.trailguard.infra.GuardStack.RULE_MULTI_REGION;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.config.CfnConfigurationRecorder;
import software.amazon.awscdk.services.config.CfnDeliveryChannel;
import software.amazon.awscdk.services.config.ManagedRule;
import software.amazon.awscdk.services.config.ManagedRuleIdentifiers;
import software.amazon.awscdk.services.config.MaximumExecutionFrequency;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.constructs.Construct;

/**
 * The backstop for what the event path misses: AWS Config's managed CloudTrail rules (hourly, the fastest Config
 * offers) and, with {@code createConfigRecorder}, a recorder that records trails only, with its bucket and role.
 */
final class ConfigBackstop extends Construct implements LegacyIds.Group {

    private final GuardStackProps props;
    private final List<String> ruleNames;

    ConfigBackstop(final Construct scope, final String id, final GuardStackProps props) {
        super(scope, id);
        this.props = props;
        this.ruleNames = createConfigRules();
    }

    /** The names of the rules created, which the functions watch. */
    List<String> ruleNames() {
        return ruleNames;
    }

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
                .resources(List.of(bucket.arnForObjects("AWSLogs/" + Stack.of(this).getAccount() + "/Config/*")))
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
}
