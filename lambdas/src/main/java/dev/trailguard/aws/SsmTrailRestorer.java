package dev.trailguard.aws;

import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.restore.RestoreParameters;
import dev.trailguard.restore.RestoreRequest;
import dev.trailguard.restore.TrailRestorer;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Starts {@value #RESTORE_RUNBOOK} or {@value #RECREATE_RUNBOOK} with {@code StartAutomationExecution} in the trail's
 * home region, with the same deterministic client token and tags as {@link SsmRemediator}.
 */
public final class SsmTrailRestorer implements TrailRestorer {

    private final AutomationStarter starter;
    private final String automationRoleArn;

    public SsmTrailRestorer(Function<Region, SsmClient> ssmInRegion, String automationRoleArn) {
        this.starter = new AutomationStarter(ssmInRegion);
        this.automationRoleArn = automationRoleArn;
    }

    @Override
    public RemediationStart restore(RestoreRequest request) {
        String token = ClientTokens.of(request.incidentKey(), request.trail().arn());
        return starter.start(request.trail().homeRegion(), request.recreate() ? RECREATE_RUNBOOK : RESTORE_RUNBOOK,
                RestoreParameters.of(request, automationRoleArn), token,
                AutomationStarter.tags(request.incidentKey(), request.trigger(), null));
    }
}
