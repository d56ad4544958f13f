package dev.trailguard.aws;

import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.RuleReenabler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Starts {@value #RUNBOOK} with a deterministic client token and the same tags as {@link SsmRemediator}. */
public final class SsmRuleReenabler implements RuleReenabler {

    private final AutomationStarter starter;
    private final String automationRoleArn;

    public SsmRuleReenabler(Function<Region, SsmClient> ssmInRegion, String automationRoleArn) {
        this.starter = new AutomationStarter(ssmInRegion);
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
        return starter.start(region, RUNBOOK, parameters, token,
                AutomationStarter.tags(incidentKey, "DisableRule", null));
    }
}
