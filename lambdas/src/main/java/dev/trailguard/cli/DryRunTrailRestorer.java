package dev.trailguard.cli;

import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.restore.RestoreParameters;
import dev.trailguard.restore.RestoreRequest;
import dev.trailguard.restore.TrailRestorer;
import java.util.Optional;

/** Says which restore would be started, starts nothing; still checks that the baseline fits the runbook. */
final class DryRunTrailRestorer implements TrailRestorer {

    @Override
    public RemediationStart restore(RestoreRequest request) {
        RestoreParameters.of(request, "arn:aws:iam::000000000000:role/dry-run");
        return new RemediationStart(Optional.empty(), request.trail().homeRegion(),
                ClientTokens.of(request.incidentKey(), request.trail().arn()), false, true);
    }
}
