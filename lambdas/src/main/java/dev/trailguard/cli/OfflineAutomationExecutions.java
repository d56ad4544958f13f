package dev.trailguard.cli;

import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Used when there are no AWS credentials: assumes the execution is TrailGuard's (started with the configured
 * automation role) and records that its trail and failure message could not be looked up.
 */
final class OfflineAutomationExecutions implements AutomationExecutions {

    private final String automationRoleArn;
    private final Set<String> unresolved = new TreeSet<>();

    OfflineAutomationExecutions(String automationRoleArn) {
        this.automationRoleArn = automationRoleArn;
    }

    @Override
    public Optional<AutomationExecution> get(String executionId, String region) {
        unresolved.add("the execution's trail, role and failure message, assumed TrailGuard's "
                + "(ssm:GetAutomationExecution)");
        return Optional.of(new AutomationExecution(executionId, null, null,
                Map.of("AutomationAssumeRole", List.of(automationRoleArn)), null, Optional.empty(), Optional.empty()));
    }

    @Override
    public int countStartedFor(String actor, java.time.Instant since, String region, int limit) {
        unresolved.add("earlier stops by the same actor (ssm:DescribeAutomationExecutions)");
        return 0;
    }

    Set<String> unresolved() {
        return unresolved;
    }
}
