package dev.trailguard.remediation;

import java.util.Optional;

/** Port: reads automation executions ({@code ssm:GetAutomationExecution}) in the region they ran in. */
public interface AutomationExecutions {

    /**
     * The execution, or empty if SSM does not know it in that region.
     *
     * @throws dev.trailguard.aws.AwsCallFailedException if SSM could not be asked
     */
    Optional<AutomationExecution> get(String executionId, String region);
}
