package dev.trailguard.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ssm:GetAutomationExecution} says about one runbook execution. Tags are not part of that response, so
 * TrailGuard recognises its own executions by the {@code AutomationAssumeRole} parameter and by who started them
 * ({@code ExecutedBy}: one of TrailGuard's function roles).
 *
 * @param executionId    the execution id
 * @param documentName   the runbook, for example {@code AWS-ConfigureCloudTrailLogging}
 * @param status         {@code AutomationExecutionStatus}, for example {@code Failed}
 * @param parameters     the parameters it was started with
 * @param failureMessage why it failed, if it did
 * @param startTime      when it started, if known
 * @param endTime        when it ended, if known
 * @param failedStep     the name of the first step that failed, timed out or was cancelled, if any (for example
 *                       {@code verifyLogging}); null otherwise
 * @param executedBy     {@code ExecutedBy}: the principal that started the execution (for a role, its assumed-role
 *                       session ARN); null if SSM did not say
 */
public record AutomationExecution(String executionId, String documentName, String status,
                                  Map<String, List<String>> parameters, String failureMessage,
                                  Optional<Instant> startTime, Optional<Instant> endTime, String failedStep,
                                  String executedBy) {

    public AutomationExecution {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** An execution whose starter is not known. */
    public AutomationExecution(String executionId, String documentName, String status,
                               Map<String, List<String>> parameters, String failureMessage,
                               Optional<Instant> startTime, Optional<Instant> endTime, String failedStep) {
        this(executionId, documentName, status, parameters, failureMessage, startTime, endTime, failedStep, null);
    }

    /** An execution whose failed step is not known. */
    public AutomationExecution(String executionId, String documentName, String status,
                               Map<String, List<String>> parameters, String failureMessage,
                               Optional<Instant> startTime, Optional<Instant> endTime) {
        this(executionId, documentName, status, parameters, failureMessage, startTime, endTime, null, null);
    }

    /** The first value of a parameter, or null. */
    public String parameter(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
