package dev.trailguard.remediation;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.aws.AwsCallFailedException;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionNotFoundException;
import software.amazon.awssdk.services.ssm.model.GetAutomationExecutionResponse;

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
                Optional.ofNullable(execution.executionStartTime()), Optional.ofNullable(execution.executionEndTime())));
    }
}
