package dev.trailguard.aws;

import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Starts {@code AWS-ConfigureCloudTrailLogging} with {@code StartAutomationExecution} in the trail's home region,
 * with a deterministic client token and tags that tie the execution back to the incident.
 */
public final class SsmRemediator implements Remediator {

    /** Tag keys on every execution TrailGuard starts. */
    public static final String TAG_INCIDENT = "TrailGuard:Incident";
    public static final String TAG_TRIGGER = "TrailGuard:Trigger";

    private final AutomationStarter starter;
    private final String automationRoleArn;

    public SsmRemediator(Function<Region, SsmClient> ssmInRegion, String automationRoleArn) {
        this.starter = new AutomationStarter(ssmInRegion);
        this.automationRoleArn = automationRoleArn;
    }

    @Override
    public RemediationStart startLogging(RemediationRequest request) {
        String token = ClientTokens.of(request.incidentKey(), request.trail().arn());
        return starter.start(request.trail().homeRegion(), RUNBOOK, Map.of(
                        "CloudTrailArn", List.of(request.trail().arn()),
                        "StartLogging", List.of("True"),
                        "AutomationAssumeRole", List.of(automationRoleArn)),
                token, AutomationStarter.tags(request.incidentKey(), request.trigger(), request.actor(),
                        request.tags()));
    }

    /** Tag values allow letters, digits, spaces and {@code _.:/=+-@}, up to 256 characters. */
    public static String tagValue(String raw) {
        String value = raw == null ? "" : raw.replaceAll("[^\\p{L}\\p{N} _.:/=+\\-@]", "_");
        return value.length() > 256 ? value.substring(0, 256) : value;
    }
}
