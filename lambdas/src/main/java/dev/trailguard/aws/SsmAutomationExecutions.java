package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.remediation.ActorTags;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionFilter;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionFilterKey;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionNotFoundException;
import software.amazon.awssdk.services.ssm.model.DescribeAutomationExecutionsResponse;
import software.amazon.awssdk.services.ssm.model.GetAutomationExecutionResponse;
import software.amazon.awssdk.services.ssm.model.StepExecution;

/** {@link AutomationExecutions} over {@code GetAutomationExecution}, with one SSM client per region. */
public final class SsmAutomationExecutions implements AutomationExecutions {

    private final Function<Region, SsmClient> ssmInRegion;

    public SsmAutomationExecutions(Function<Region, SsmClient> ssmInRegion) {
        this.ssmInRegion = ssmInRegion;
    }

    @Override
    public Optional<AutomationExecution> get(String executionId, String region) {
        SsmClient ssm = ssmInRegion.apply(Region.of(region));
        GetAutomationExecutionResponse response;
        try {
            response = call("ssm:GetAutomationExecution",
                    () -> ssm.getAutomationExecution(b -> b.automationExecutionId(executionId)));
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof AutomationExecutionNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
        var execution = response.automationExecution();
        if (execution == null) {
            return Optional.empty();
        }
        return Optional.of(new AutomationExecution(execution.automationExecutionId(), execution.documentName(),
                execution.automationExecutionStatusAsString(),
                execution.hasParameters() ? execution.parameters() : null, execution.failureMessage(),
                Optional.ofNullable(execution.executionStartTime()), Optional.ofNullable(execution.executionEndTime()),
                failedStep(execution.hasStepExecutions() ? execution.stepExecutions() : List.of()),
                execution.executedBy()));
    }

    /**
     * The first step that did not succeed: names which assertion or call stopped the runbook. A step that is not
     * critical may fail on purpose (TrailGuard-RecreateTrail's GetTrail on a trail that is gone), so it is skipped.
     */
    static String failedStep(List<StepExecution> steps) {
        for (StepExecution step : steps) {
            String status = step.stepStatusAsString();
            if (Boolean.FALSE.equals(step.isCritical())) {
                continue;
            }
            if ("Failed".equals(status) || "TimedOut".equals(status) || "Cancelled".equals(status)) {
                return step.stepName();
            }
        }
        return null;
    }

    @Override
    public int countStartedFor(String actor, Instant since, String region, int limit) {
        SsmClient ssm = ssmInRegion.apply(Region.of(region));
        List<AutomationExecutionFilter> filters = List.of(
                filter(AutomationExecutionFilterKey.DOCUMENT_NAME_PREFIX, Remediator.RUNBOOK),
                filter(AutomationExecutionFilterKey.TAG_KEY, ActorTags.key(actor)),
                filter(AutomationExecutionFilterKey.START_TIME_AFTER,
                        since.truncatedTo(ChronoUnit.SECONDS).toString()));
        int count = 0;
        String next = null;
        do {
            String token = next;
            DescribeAutomationExecutionsResponse page = call("ssm:DescribeAutomationExecutions",
                    () -> ssm.describeAutomationExecutions(b -> b.filters(filters).maxResults(50).nextToken(token)));
            count += page.automationExecutionMetadataList().size();
            next = page.nextToken();
        } while (next != null && count < limit);
        return Math.min(count, limit);
    }

    @Override
    public Map<String, String> tags(String executionId, String region) {
        SsmClient ssm = ssmInRegion.apply(Region.of(region));
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        call("ssm:ListTagsForResource", () -> ssm.listTagsForResource(b -> b
                .resourceType(software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging.AUTOMATION)
                .resourceId(executionId))).tagList().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private static AutomationExecutionFilter filter(AutomationExecutionFilterKey key, String value) {
        return AutomationExecutionFilter.builder().key(key).values(value).build();
    }
}
