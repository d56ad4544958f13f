package dev.trailguard.infra;

import java.util.List;
import software.amazon.awscdk.StackProps;
import software.constructs.Node;

/**
 * Configuration of the {@link GuardrailStack} (the SCP), deployed from the organization's
 * management account.
 *
 * @param stackProps         account/region and description of the stack
 * @param targetIds          root, OU or account ids the SCP is attached to (context {@code organizationTargetIds})
 * @param breakGlassRoleArns IAM role ARNs (wildcards allowed) still allowed to change trails (context {@code breakGlassRoleArns})
 * @param resourcePrefix     name prefix of TrailGuard's own resources (the GuardStack's stack name)
 * @param deploymentRoleArns role ARN patterns that deploy TrailGuard and may therefore change its resources (context
 *                           {@code deploymentRoleArns}, default the CDK bootstrap's CloudFormation execution roles)
 * @param organizationId     organization mode (context {@code organizationId}): the SCP also protects the member
 *                           accounts' TrailGuard resources; {@code null} otherwise
 * @param logBuckets         names of the trails' S3 buckets whose policy, lifecycle, versioning and existence the SCP
 *                           protects (context {@code protectedLogBuckets}; wildcards allowed)
 * @param logKeyArns         ARNs (or patterns) of the trails' KMS keys the SCP protects (context
 *                           {@code protectedLogKeyArns})
 * @param eventDataStoreArns ARNs (or patterns) of the CloudTrail Lake event data stores the SCP protects (context
 *                           {@code protectedEventDataStoreArns})
 */
public record GuardrailStackProps(StackProps stackProps, List<String> targetIds, List<String> breakGlassRoleArns,
                                  String resourcePrefix, List<String> deploymentRoleArns, String organizationId,
                                  List<String> logBuckets, List<String> logKeyArns, List<String> eventDataStoreArns) {

    public GuardrailStackProps(StackProps stackProps, List<String> targetIds, List<String> breakGlassRoleArns,
            String resourcePrefix, List<String> deploymentRoleArns) {
        this(stackProps, targetIds, breakGlassRoleArns, resourcePrefix, deploymentRoleArns, null);
    }

    /** Without delivery resources to protect. */
    public GuardrailStackProps(StackProps stackProps, List<String> targetIds, List<String> breakGlassRoleArns,
            String resourcePrefix, List<String> deploymentRoleArns, String organizationId) {
        this(stackProps, targetIds, breakGlassRoleArns, resourcePrefix, deploymentRoleArns, organizationId, List.of(),
                List.of(), List.of());
    }

    /** The CloudFormation execution role of the default CDK bootstrap (qualifier hnb659fds), in any account and region. */
    public static final String CDK_EXECUTION_ROLE_PATTERN = "arn:*:iam::*:role/cdk-hnb659fds-cfn-exec-role-*";

    public GuardrailStackProps {
        targetIds = List.copyOf(targetIds);
        breakGlassRoleArns = List.copyOf(breakGlassRoleArns);
        deploymentRoleArns = List.copyOf(deploymentRoleArns);
        logBuckets = List.copyOf(logBuckets);
        logKeyArns = List.copyOf(logKeyArns);
        eventDataStoreArns = List.copyOf(eventDataStoreArns);
        for (String bucket : logBuckets) {
            if (bucket.startsWith("arn:") || bucket.contains("/")) {
                throw new IllegalArgumentException("protectedLogBuckets must be bucket names, was " + bucket);
            }
        }
        for (String arn : logKeyArns) {
            if (!arn.startsWith("arn:") || !arn.contains(":key/")) {
                throw new IllegalArgumentException("protectedLogKeyArns must be KMS key ARNs, was " + arn);
            }
        }
        for (String arn : eventDataStoreArns) {
            if (!arn.startsWith("arn:") || !arn.contains(":eventdatastore/")) {
                throw new IllegalArgumentException("protectedEventDataStoreArns must be event data store ARNs, was "
                        + arn);
            }
        }
        if (targetIds.isEmpty()) {
            throw new IllegalArgumentException("organizationTargetIds must name at least one root, OU or account");
        }
        for (String arn : breakGlassRoleArns) {
            if (!arn.startsWith("arn:")) {
                throw new IllegalArgumentException("breakGlassRoleArns must be IAM role ARNs, was " + arn);
            }
        }
        for (String arn : deploymentRoleArns) {
            if (!arn.startsWith("arn:")) {
                throw new IllegalArgumentException("deploymentRoleArns must be IAM role ARNs or ARN patterns, was " + arn);
            }
        }
        if (deploymentRoleArns.isEmpty()) {
            // Without an exempt deployment role the SCP would block TrailGuard's own next deployment.
            throw new IllegalArgumentException("deploymentRoleArns must name the role that deploys TrailGuard");
        }
    }

    /** The props, or {@code null} when context {@code organizationTargetIds} is not set. */
    public static GuardrailStackProps fromContext(StackProps stackProps, String resourcePrefix, Node node) {
        ContextValues context = new ContextValues(node);
        List<String> targets = context.list("organizationTargetIds");
        if (targets.isEmpty()) {
            return null;
        }
        List<String> deployment = context.list("deploymentRoleArns");
        return new GuardrailStackProps(stackProps, targets, context.list("breakGlassRoleArns"), resourcePrefix,
                deployment.isEmpty() ? List.of(CDK_EXECUTION_ROLE_PATTERN) : deployment,
                OrganizationProps.organizationIdFromContext(node), context.list("protectedLogBuckets"),
                context.list("protectedLogKeyArns"), context.list("protectedEventDataStoreArns"));
    }
}
