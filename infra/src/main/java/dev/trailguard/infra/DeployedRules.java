package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.RULE_DEFINITION_PREFIX;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.ssm.ParameterTier;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The deployed definition of every TrailGuard rule of the stack, one SSM parameter each
 * ({@code /trailguard/rules/<rule name>}: description, event pattern or schedule, state and targets, as CloudFormation
 * deploys them, and the bus of a rule that is not on the default bus, such as the hub's routing rules), which the
 * TamperResponder puts a changed or deleted rule back from (#14 item 8). An SSM parameter
 * rather than the function's environment: Lambda allows 4 KB of variables for all of them, and one guard rule's pattern
 * and targets take 1-2 KB. The stack owns the parameters; changing or deleting one is watched (GuardSsmRule) and denied
 * by the SCP like the declared baselines. Create it after the last rule.
 */
final class DeployedRules extends Construct implements LegacyIds.Group {

    DeployedRules(final Construct scope, final String id) {
        super(scope, id);
        for (IConstruct child : Stack.of(this).getNode().findAll()) {
            if (child instanceof Rule rule) {
                definition(rule);
            }
        }
    }

    private void definition(Rule rule) {
        CfnRule cfn = (CfnRule) rule.getNode().getDefaultChild();
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("description", cfn.getDescription());
        if (cfn.getEventPattern() != null) {
            definition.put("eventPattern", cfn.getEventPattern());
        }
        if (cfn.getScheduleExpression() != null) {
            definition.put("scheduleExpression", cfn.getScheduleExpression());
        }
        definition.put("state", cfn.getState() != null ? cfn.getState() : "ENABLED");
        definition.put("targets", cfn.getTargets());
        if (cfn.getEventBusName() != null) {
            // The hub's routing rules are on the hub bus: the restore must put them back there, not on the default bus.
            definition.put("eventBusName", cfn.getEventBusName());
        }
        StringParameter.Builder.create(this, rule.getNode().getId() + "Definition")
                .parameterName(RULE_DEFINITION_PREFIX + rule.getRuleName())
                .description("TrailGuard: the deployed definition of a rule, to put it back when it is changed")
                .stringValue(Stack.of(this).toJsonString(definition))
                // A path ("/trailguard/rules/..."), which the CDK cannot see in a name that is still a token.
                .simpleName(false)
                // Standard (free) while under 4 KB; a definition that grows never fails a deployment (SSM cannot
                // downgrade a tier, so an explicit Standard would fail once a parameter was Advanced)
                .tier(ParameterTier.INTELLIGENT_TIERING)
                .build();
    }
}
