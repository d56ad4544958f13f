package dev.trailguard.cli;

import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import java.util.Optional;

/** Says what would be started, starts nothing. */
final class DryRunRemediator implements Remediator {

    @Override
    public RemediationStart startLogging(RemediationRequest request) {
        return new RemediationStart(Optional.empty(), request.trail().homeRegion(),
                ClientTokens.of(request.incidentKey(), request.trail().arn()), false, true);
    }
}
