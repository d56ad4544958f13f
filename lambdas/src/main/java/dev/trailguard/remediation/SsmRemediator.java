package dev.trailguard.remediation;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.aws.AwsCallFailedException;
import java.util.List;
import java.util.Map;
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
 * Starts {@code AWS-ConfigureCloudTrailLogging} with {@code StartAutomationExecution} in the trail's home region,
 * with a deterministic client token and tags that tie the execution back to the incident.
 */
public final class SsmRemediator implements Remediator {

    /** Tag keys on every execution TrailGuard starts. */
    public static final String TAG_INCIDENT = "TrailGuard:Incident";
    public static final String TAG_TRIGGER = "TrailGuard:Trigger";

    private static final Logger LOG = LoggerFactory.getLogger(SsmRemediator.class);

    private final Function<Region, SsmClient> ssmInRegion;
    private final String automationRoleArn;

    public SsmRemediator(Function<Region, SsmClient> ssmInRegion, String automationRoleArn) {
        this.ssmInRegion = ssmInRegion;
        this.automationRoleArn = automationRoleArn;
    }

    @Override
    public RemediationStart startLogging(RemediationRequest request) {
        String region = request.trail().homeRegion();
        String token = ClientTokens.of(request.incidentKey(), request.trail().arn());
        StartAutomationExecutionRequest start = StartAutomationExecutionRequest.builder()
                .documentName(RUNBOOK)
                .parameters(Map.of(
                        "CloudTrailArn", List.of(request.trail().arn()),
                        "StartLogging", List.of("True"),
                        "AutomationAssumeRole", List.of(automationRoleArn)))
                .clientToken(token)
                .tags(tags(request))
                .build();
        SsmClient ssm = ssmInRegion.apply(Region.of(region));
        try {
            String executionId = call("ssm:StartAutomationExecution",
                    () -> ssm.startAutomationExecution(start)).automationExecutionId();
            return new RemediationStart(Optional.ofNullable(executionId), region, token, false, false);
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof IdempotentParameterMismatchException) {
                // The token was used before: an earlier delivery of this incident already started the runbook.
                LOG.info("Client token {} already used for {}: execution already started", token,
                        request.trail().arn());
                return new RemediationStart(Optional.empty(), region, token, true, false);
            }
            throw e;
        }
    }

    private static List<Tag> tags(RemediationRequest request) {
        List<Tag> tags = new java.util.ArrayList<>(List.of(
                Tag.builder().key(TAG_INCIDENT).value(tagValue(request.incidentKey())).build(),
                Tag.builder().key(TAG_TRIGGER).value(tagValue(request.trigger())).build()));
        if (request.actor() != null && !request.actor().isBlank()) {
            tags.add(Tag.builder().key(ActorTags.key(request.actor())).value(tagValue(request.actor())).build());
        }
        return tags;
    }

    /** Tag values allow letters, digits, spaces and {@code _.:/=+-@}, up to 256 characters. */
    public static String tagValue(String raw) {
        String value = raw == null ? "" : raw.replaceAll("[^\\p{L}\\p{N} _.:/=+\\-@]", "_");
        return value.length() > 256 ? value.substring(0, 256) : value;
    }
}
