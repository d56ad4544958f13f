package dev.trailguard.remediation;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Port: reads automation executions in the region they ran in ({@code ssm:GetAutomationExecution},
 * {@code ssm:DescribeAutomationExecutions}).
 */
public interface AutomationExecutions {

    /**
     * The execution, or empty if SSM does not know it in that region.
     *
     * @throws dev.trailguard.core.CallFailedException if SSM could not be asked
     */
    Optional<AutomationExecution> get(String executionId, String region);

    /**
     * How many executions of the logging runbook TrailGuard started for this actor since the given time, counting
     * at most {@code limit}.
     *
     * @throws dev.trailguard.core.CallFailedException if SSM could not be asked
     */
    int countStartedFor(String actor, Instant since, String region, int limit);

    /**
     * The execution's tags ({@code ssm:ListTagsForResource}); asked only for a fire drill's canary. Without a way to
     * read them (offline, older fakes): none, so nothing is taken for a drill.
     *
     * @throws dev.trailguard.core.CallFailedException if SSM could not be asked
     */
    default Map<String, String> tags(String executionId, String region) {
        return Map.of();
    }
}
