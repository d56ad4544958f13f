package dev.trailguard.cli;

import dev.trailguard.guard.RuleReenabler;
import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationStart;
import java.util.Optional;

/** Says which rule would be re-enabled, starts nothing. */
final class DryRunRuleReenabler implements RuleReenabler {

    @Override
    public RemediationStart reenable(String ruleName, String busName, String region, String incidentKey) {
        return new RemediationStart(Optional.empty(), region, ClientTokens.of(incidentKey, "events:rule/" + ruleName),
                false, true);
    }
}
