package dev.trailguard.cli;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.Runbooks;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Used when there are no AWS credentials: assumes the execution is TrailGuard's (a TrailGuard runbook started by one
 * of its function roles with the configured automation role) and records that its trail, starter and failure message
 * could not be looked up.
 */
final class OfflineAutomationExecutions implements AutomationExecutions {

    private final String automationRoleArn;
    private final String functionRoleArn;
    private final Set<String> unresolved = new TreeSet<>();

    OfflineAutomationExecutions(TrailGuardConfig config) {
        this.automationRoleArn = config.automationRoleArn();
        this.functionRoleArn = config.functionRoleArns().stream().sorted().findFirst().orElse(null);
    }

    @Override
    public Optional<AutomationExecution> get(String executionId, String region) {
        unresolved.add("the execution's runbook, trail, role, starter and failure message, assumed TrailGuard's "
                + "(ssm:GetAutomationExecution)");
        return Optional.of(new AutomationExecution(executionId, Runbooks.RESTORE_TRAIL, null,
                Map.of("AutomationAssumeRole", List.of(automationRoleArn)), null, Optional.empty(), Optional.empty(),
                null, functionRoleArn));
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
