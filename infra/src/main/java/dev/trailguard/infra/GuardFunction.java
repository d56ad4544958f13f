package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.ALIAS_NAME;
import static dev.trailguard.infra.GuardStack.ASYNC_RETRIES;
import static dev.trailguard.infra.GuardStack.LOG_RETENTION;
import static dev.trailguard.infra.GuardStack.MEMORY_MB;
import static dev.trailguard.infra.GuardStack.TIMEOUT;

import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * One of TrailGuard's functions: its retained log group, the SnapStart function (java21, arm64), the alias {@code live}
 * that every event targets (so that SnapStart applies), and the encrypted queue its failed asynchronous invocations go
 * to after the retries. The role comes from {@link GuardRoles}; rules and alarms are wired by the stack.
 */
final class GuardFunction extends Construct implements LegacyIds.Group {

    private final Function function;
    private final Alias alias;
    private final Queue failureQueue;

    GuardFunction(final Construct scope, final String id, final GuardStack.FunctionSpec spec, final Role role,
            final Code code, final Map<String, String> environment) {
        super(scope, id);
        LogGroup logGroup = LogGroup.Builder.create(this, spec.name() + "Logs")
                .retention(LOG_RETENTION)
                // The logs record what TrailGuard did about a tamper attempt: keep them after destroy.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // Scoped to the function's own log group instead of AWSLambdaBasicExecutionRole's logs:*.
        logGroup.grantWrite(role);
        this.function = Function.Builder.create(this, spec.name())
                .description("TrailGuard " + spec.name())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .memorySize(MEMORY_MB)
                .timeout(TIMEOUT)
                .code(code)
                .handler(spec.handler())
                .role(role)
                .logGroup(logGroup)
                .environment(environment)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The alias below publishes a version (currentVersion) and every target invokes the alias");
        this.failureQueue = encryptedQueue(this, spec.name() + "FailedInvocations");
        // Async invoke config belongs on the alias: EventBridge invokes the alias, and a config on
        // the unqualified function would not apply to it.
        this.alias = Alias.Builder.create(this, spec.name() + "Alias")
                .aliasName(ALIAS_NAME)
                .version(function.getCurrentVersion())
                .retryAttempts(ASYNC_RETRIES)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(failureQueue))
                .build();
    }

    Function function() {
        return function;
    }

    Alias alias() {
        return alias;
    }

    Queue failureQueue() {
        return failureQueue;
    }

    /** An SQS-managed-encrypted, TLS-only queue: EventBridge and Lambda can write to it without a grant on a KMS key. */
    static Queue encryptedQueue(Construct scope, String id) {
        return Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
    }
}
