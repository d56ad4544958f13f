package dev.trailguard.cli;

import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.RuleReenabler;
import java.util.Optional;

/** Says which rule would be re-enabled, starts nothing. */
final class DryRunRuleReenabler implements RuleReenabler {

    @Override
    public RemediationStart reenable(String ruleName, String busName, String region, String incidentKey) {
        return new RemediationStart(Optional.empty(), region, ClientTokens.of(incidentKey, "events:rule/" + ruleName),
                false, true);
    }
}
