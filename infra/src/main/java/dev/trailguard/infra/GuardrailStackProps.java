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
 */
public record GuardrailStackProps(StackProps stackProps, List<String> targetIds, List<String> breakGlassRoleArns) {

    public GuardrailStackProps {
        targetIds = List.copyOf(targetIds);
        breakGlassRoleArns = List.copyOf(breakGlassRoleArns);
        if (targetIds.isEmpty()) {
            throw new IllegalArgumentException("organizationTargetIds must name at least one root, OU or account");
        }
        for (String arn : breakGlassRoleArns) {
            if (!arn.startsWith("arn:")) {
                throw new IllegalArgumentException("breakGlassRoleArns must be IAM role ARNs, was " + arn);
            }
        }
    }

    /** The props, or {@code null} when context {@code organizationTargetIds} is not set. */
    public static GuardrailStackProps fromContext(StackProps stackProps, Node node) {
        ContextValues context = new ContextValues(node);
        List<String> targets = context.list("organizationTargetIds");
        if (targets.isEmpty()) {
            return null;
        }
        return new GuardrailStackProps(stackProps, targets, context.list("breakGlassRoleArns"));
    }
}
