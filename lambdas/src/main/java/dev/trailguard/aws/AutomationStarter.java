package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.remediation.ActorTags;
import dev.trailguard.remediation.RemediationStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * Starts an SSM Automation runbook idempotently: the one place for the execution's tags and for treating a reused
 * client token as "already started". Every runbook TrailGuard starts goes through here.
 */
public final class AutomationStarter {

    private static final Logger LOG = LoggerFactory.getLogger(AutomationStarter.class);

    private final Function<Region, SsmClient> ssmInRegion;

    public AutomationStarter(Function<Region, SsmClient> ssmInRegion) {
        this.ssmInRegion = ssmInRegion;
    }

    /**
     * Starts the document in the region with the token.
     *
     * @throws AwsCallFailedException if SSM refused or could not be reached after retries
     */
    public RemediationStart start(String region, String document, Map<String, List<String>> parameters,
                                  String clientToken, List<Tag> tags) {
        SsmClient ssm = ssmInRegion.apply(Region.of(region));
        try {
            String executionId = call("ssm:StartAutomationExecution", () -> ssm.startAutomationExecution(b -> b
                    .documentName(document).parameters(parameters).clientToken(clientToken).tags(tags)))
                    .automationExecutionId();
            return new RemediationStart(Optional.ofNullable(executionId), region, clientToken, false, false);
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof IdempotentParameterMismatchException) {
                // The token was used before: an earlier delivery of this incident already started the runbook.
                LOG.info("Client token {} already used for {}: execution already started", clientToken, document);
                return new RemediationStart(Optional.empty(), region, clientToken, true, false);
            }
            throw e;
        }
    }

    /** The tags every execution carries: the incident, what noticed it and, if known, the actor. */
    public static List<Tag> tags(String incidentKey, String trigger, String actor) {
        return tags(incidentKey, trigger, actor, java.util.Map.of());
    }

    /** As {@link #tags(String, String, String)}, plus {@code extra} (a fire drill's stage times). */
    public static List<Tag> tags(String incidentKey, String trigger, String actor, java.util.Map<String, String> extra) {
        List<Tag> tags = new ArrayList<>(List.of(
                Tag.builder().key(SsmRemediator.TAG_INCIDENT).value(SsmRemediator.tagValue(incidentKey)).build(),
                Tag.builder().key(SsmRemediator.TAG_TRIGGER).value(SsmRemediator.tagValue(trigger)).build()));
        if (actor != null && !actor.isBlank()) {
            tags.add(Tag.builder().key(ActorTags.key(actor)).value(SsmRemediator.tagValue(actor)).build());
        }
        extra.forEach((key, value) -> tags.add(Tag.builder().key(key).value(SsmRemediator.tagValue(value)).build()));
        return tags;
    }
}
