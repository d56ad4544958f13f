package dev.trailguard.guard;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.SsmRemediator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.ssm.model.Tag;

/** Starts {@value #RUNBOOK} with a deterministic client token and the same tags as {@link SsmRemediator}. */
public final class SsmRuleReenabler implements RuleReenabler {

    private final Function<Region, SsmClient> ssmInRegion;
    private final String automationRoleArn;

    public SsmRuleReenabler(Function<Region, SsmClient> ssmInRegion, String automationRoleArn) {
        this.ssmInRegion = ssmInRegion;
        this.automationRoleArn = automationRoleArn;
    }

    @Override
    public RemediationStart reenable(String ruleName, String busName, String region, String incidentKey) {
        String token = ClientTokens.of(incidentKey, "events:rule/" + ruleName);
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("AutomationAssumeRole", List.of(automationRoleArn));
        parameters.put("RuleName", List.of(ruleName));
        if (busName != null && !busName.isBlank()) {
            parameters.put("EventBusName", List.of(busName));
        }
        SsmClient ssm = ssmInRegion.apply(Region.of(region));
        try {
            String id = call("ssm:StartAutomationExecution", () -> ssm.startAutomationExecution(b -> b
                    .documentName(RUNBOOK)
                    .parameters(parameters)
                    .clientToken(token)
                    .tags(Tag.builder().key(SsmRemediator.TAG_INCIDENT)
                                    .value(SsmRemediator.tagValue(incidentKey)).build(),
                            Tag.builder().key(SsmRemediator.TAG_TRIGGER).value("DisableRule").build())))
                    .automationExecutionId();
            return new RemediationStart(Optional.ofNullable(id), region, token, false, false);
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof IdempotentParameterMismatchException) {
                return new RemediationStart(Optional.empty(), region, token, true, false);
            }
            throw e;
        }
    }
}
