package dev.trailguard.restore;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.SsmRemediator;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.ssm.model.StartAutomationExecutionRequest;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * Starts {@value #RESTORE_RUNBOOK} or {@value #RECREATE_RUNBOOK} with {@code StartAutomationExecution} in the trail's
 * home region, with the same deterministic client token and tags as {@link SsmRemediator}.
 */
public final class SsmTrailRestorer implements TrailRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(SsmTrailRestorer.class);

    private final Function<Region, SsmClient> ssmInRegion;
    private final String automationRoleArn;

    public SsmTrailRestorer(Function<Region, SsmClient> ssmInRegion, String automationRoleArn) {
        this.ssmInRegion = ssmInRegion;
        this.automationRoleArn = automationRoleArn;
    }

    @Override
    public RemediationStart restore(RestoreRequest request) {
        String region = request.trail().homeRegion();
        String token = ClientTokens.of(request.incidentKey(), request.trail().arn());
        StartAutomationExecutionRequest start = StartAutomationExecutionRequest.builder()
                .documentName(request.recreate() ? RECREATE_RUNBOOK : RESTORE_RUNBOOK)
                .parameters(RestoreParameters.of(request, automationRoleArn))
                .clientToken(token)
                .tags(Tag.builder().key(SsmRemediator.TAG_INCIDENT)
                                .value(SsmRemediator.tagValue(request.incidentKey())).build(),
                        Tag.builder().key(SsmRemediator.TAG_TRIGGER)
                                .value(SsmRemediator.tagValue(request.trigger())).build())
                .build();
        SsmClient ssm = ssmInRegion.apply(Region.of(region));
        try {
            String executionId = call("ssm:StartAutomationExecution",
                    () -> ssm.startAutomationExecution(start)).automationExecutionId();
            return new RemediationStart(Optional.ofNullable(executionId), region, token, false, false);
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof IdempotentParameterMismatchException) {
                LOG.info("Client token {} already used for {}: restore already started", token,
                        request.trail().arn());
                return new RemediationStart(Optional.empty(), region, token, true, false);
            }
            throw e;
        }
    }
}
