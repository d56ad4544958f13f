package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.TARGET_RETRIES;

import dev.trailguard.contract.EventTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.events.targets.SfnStateMachineProps;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.DistributedMap;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.Result;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.Timeout;
import software.amazon.awscdk.services.stepfunctions.tasks.CallAwsService;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The sweep at organization scale, on Step Functions. A schedule starts one execution, which starts one execution per
 * guarded OU; each lists the OU's accounts page by page (Organizations {@code ListAccountsForParent}, 20 at most per
 * page), sweeps every active account in every member region, then starts one execution per child OU (StackSets deploy
 * to nested OUs too). Each page is a Distributed Map over its accounts (at most {@value #ACCOUNT_CONCURRENCY} at a time,
 * each account an Express child that sweeps all member regions at once), so an execution's history stays small however
 * large the OU. Each account-region item invokes the hub's TrailSweeper with the EventBridge "Scheduled Event" the
 * single-account schedule sends, with the member's account and region; a failed item is retried, then recorded, and
 * the others go on; an execution with a failed item fails at the end, which the ExecutionsFailed alarm reports.
 */
final class OrganizationSweep extends Construct {

    /** Fixed, so the definition can start executions of itself without a circular reference. */
    static final String STATE_MACHINE_NAME = OrganizationProps.HUB_NAME + "-OrganizationSweep";
    /** Accounts swept at the same time (each with all member regions at once). */
    static final int ACCOUNT_CONCURRENCY = 10;
    /** Longer than the sweeper's own 60 s timeout: the function's timeout decides, not the task's. */
    static final Duration ITEM_TIMEOUT = Duration.seconds(70);
    static final String FAILED = "FAILED";
    static final String OK = "OK";

    private final StateMachine stateMachine;

    OrganizationSweep(final Construct scope, final String id, final IFunction sweeper, final OrganizationProps org,
            final Queue deadLetters, final Topic topic) {
        super(scope, id);
        Stack stack = Stack.of(this);
        String self = "arn:" + stack.getPartition() + ":states:" + stack.getRegion() + ":" + stack.getAccount()
                + ":stateMachine:" + STATE_MACHINE_NAME;
        LogGroup logs = LogGroup.Builder.create(this, "SweepLogs")
                .retention(GuardStack.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Choice start = Choice.Builder.create(this, "OneOrganizationalUnit?").build()
                .when(Condition.isPresent("$.parentId"), sweepOneParent(sweeper, org, self))
                .otherwise(startEach("StartEachOrganizationalUnit", "$.parentIds", "$$.Map.Item.Value", self));
        this.stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(STATE_MACHINE_NAME)
                .stateMachineType(StateMachineType.STANDARD)
                .comment("TrailGuard: sweeps every account of the guarded OUs in every member region")
                .definitionBody(DefinitionBody.fromChainable(start))
                .timeout(Duration.hours(1))
                // Failures only, without data: ALL would log every state of every account-region at every sweep.
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ERROR).includeExecutionData(false).build())
                .build();
        Rule.Builder.create(this, "SweepSchedule")
                .description("TrailGuard hub: sweep of every guarded account and member region")
                .schedule(Schedule.rate(Duration.minutes(org.sweepMinutes())))
                .targets(List.of(new SfnStateMachine(stateMachine, SfnStateMachineProps.builder()
                        .input(RuleTargetInput.fromObject(Map.of(
                                "parentIds", org.memberOrganizationalUnitIds(),
                                "regions", org.memberRegions())))
                        .deadLetterQueue(deadLetters)
                        .retryAttempts(TARGET_RETRIES)
                        .maxEventAge(Duration.hours(2))
                        .build())))
                .build();
        MetricOptions fiveMinutes = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        GuardAlarms.alarmToTopic(this, "SweepExecutionsFailedAlarm", stateMachine.metricFailed(fiveMinutes),
                "TrailGuard: an organization sweep failed: an account-region could not be swept, or an OU could not"
                        + " be listed; see the execution in the Step Functions console", topic);
        GuardAlarms.alarmToTopic(this, "SweepExecutionsTimedOutAlarm", stateMachine.metricTimedOut(fiveMinutes),
                "TrailGuard: an organization sweep did not finish within its hour", topic);
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    /** One OU: its accounts page by page, then its child OUs, each as an execution of its own. */
    private IChainable sweepOneParent(IFunction sweeper, OrganizationProps org, String self) {
        String organization = org.organizationId();
        List<String> parents = List.of(
                "arn:" + Stack.of(this).getPartition() + ":organizations::*:ou/" + organization + "/*",
                "arn:" + Stack.of(this).getPartition() + ":organizations::*:root/" + organization + "/*");
        Pass init = Pass.Builder.create(this, "NothingFailedYet").result(Result.fromBoolean(false))
                .resultPath("$.failed").build();
        CallAwsService listAccounts = listPage("ListAccounts", "listAccountsForParent", "$.page", null, parents);
        CallAwsService listMoreAccounts = listPage("ListMoreAccounts", "listAccountsForParent", "$.page",
                "$.page.NextToken", parents);
        DistributedMap sweepAccounts = DistributedMap.Builder.create(this, "SweepAccounts")
                .itemsPath("$.page.Accounts")
                .itemSelector(Map.of(
                        "account", JsonPath.stringAt("$$.Map.Item.Value.Id"),
                        "status", JsonPath.stringAt("$$.Map.Item.Value.Status"),
                        "regions", JsonPath.listAt("$.regions")))
                .maxConcurrency(ACCOUNT_CONCURRENCY)
                .mapExecutionType(StateMachineType.EXPRESS)
                // Every item records its own failure; a child that fails anyway fails the page (caught below).
                .toleratedFailurePercentage(0)
                .resultPath("$.sweep")
                .build();
        sweepAccounts.itemProcessor(sweepAccount(sweeper, org));
        Pass markFailed = Pass.Builder.create(this, "MarkFailed").result(Result.fromBoolean(true))
                .resultPath("$.failed").build();
        sweepAccounts.addCatch(markFailed, CatchProps.builder().errors(List.of("States.ALL"))
                .resultPath("$.pageError").build());
        Pass checkPage = Pass.Builder.create(this, "CheckPage")
                .parameters(Map.of("value", JsonPath.arrayContains(JsonPath.listAt("$.sweep"), FAILED)))
                .resultPath("$.pageFailed").build();
        CallAwsService listUnits = listPage("ListChildUnits", "listOrganizationalUnitsForParent", "$.units", null,
                parents);
        CallAwsService listMoreUnits = listPage("ListMoreChildUnits", "listOrganizationalUnitsForParent", "$.units",
                "$.units.NextToken", parents);
        software.amazon.awscdk.services.stepfunctions.Map startChildren =
                startEach("StartEachChildUnit", "$.units.OrganizationalUnits", "$$.Map.Item.Value.Id", self);
        Choice finish = Choice.Builder.create(this, "AnythingFailed?").build()
                .when(Condition.booleanEquals("$.failed", true), Fail.Builder.create(this, "SweepIncomplete")
                        .error("TrailGuard.SweepIncomplete")
                        .cause("At least one account-region could not be swept; the failed items are in this"
                                + " execution's Map Runs")
                        .build())
                .otherwise(Succeed.Builder.create(this, "Swept").build());
        Choice moreUnits = Choice.Builder.create(this, "MoreChildUnits?").build()
                .when(morePages("$.units.NextToken"), listMoreUnits)
                .otherwise(finish);
        listUnits.next(startChildren);
        listMoreUnits.next(startChildren);
        startChildren.next(moreUnits);
        Choice moreAccounts = Choice.Builder.create(this, "MoreAccounts?").build()
                .when(morePages("$.page.NextToken"), listMoreAccounts)
                .otherwise(listUnits);
        markFailed.next(moreAccounts);
        Choice pageFailed = Choice.Builder.create(this, "PageFailed?").build()
                .when(Condition.booleanEquals("$.pageFailed.value", true), markFailed)
                .otherwise(moreAccounts);
        listAccounts.next(sweepAccounts);
        listMoreAccounts.next(sweepAccounts);
        sweepAccounts.next(checkPage).next(pageFailed);
        return init.next(listAccounts);
    }

    /**
     * The Express child of one account: all member regions at once, each item one sweep; its output is
     * {@value #FAILED} if any region failed, else {@value #OK} (suspended and closing accounts are skipped).
     */
    private IChainable sweepAccount(IFunction sweeper, OrganizationProps org) {
        LambdaInvoke sweep = LambdaInvoke.Builder.create(this, "SweepAccountRegion")
                .lambdaFunction(sweeper)
                .payload(TaskInput.fromObject(scheduledEvent()))
                .payloadResponseOnly(true)
                .retryOnServiceExceptions(false)
                .taskTimeout(Timeout.duration(ITEM_TIMEOUT))
                .resultSelector(Map.of("result", OK))
                .outputPath("$.result")
                .build();
        // Bounded so that three attempts of every region still end within an Express child's five minutes.
        sweep.addRetry(RetryProps.builder()
                .errors(List.of("Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                        "Lambda.TooManyRequestsException", "States.TaskFailed", "States.Timeout"))
                .interval(Duration.seconds(5)).backoffRate(2).maxAttempts(2).build());
        sweep.addCatch(Pass.Builder.create(this, "RecordFailure").result(Result.fromString(FAILED)).build(),
                CatchProps.builder().errors(List.of("States.ALL")).build());
        software.amazon.awscdk.services.stepfunctions.Map regions =
                software.amazon.awscdk.services.stepfunctions.Map.Builder.create(this, "SweepRegions")
                        .itemsPath("$.regions")
                        .itemSelector(Map.of(
                                "account", JsonPath.stringAt("$.account"),
                                "region", JsonPath.stringAt("$$.Map.Item.Value")))
                        .maxConcurrency(org.memberRegions().size())
                        .resultPath("$.results")
                        .build();
        regions.itemProcessor(sweep);
        Pass summarize = Pass.Builder.create(this, "Summarize")
                .parameters(Map.of("failed", JsonPath.arrayContains(JsonPath.listAt("$.results"), FAILED)))
                .build();
        Choice anyRegionFailed = Choice.Builder.create(this, "AnyRegionFailed?").build()
                .when(Condition.booleanEquals("$.failed", true),
                        Pass.Builder.create(this, "AccountFailed").result(Result.fromString(FAILED)).build())
                .otherwise(Pass.Builder.create(this, "AccountSwept").result(Result.fromString(OK)).build());
        return Choice.Builder.create(this, "Active?").build()
                .when(Condition.stringEquals("$.status", "ACTIVE"), regions.next(summarize).next(anyRegionFailed))
                .otherwise(Pass.Builder.create(this, "SkipInactive").result(Result.fromString(OK)).build());
    }

    /**
     * The event the single-account schedule sends the sweeper, with the member's account and region (the sweeper reads
     * {@code account}, {@code region}, {@code id} and {@code time} as in any EventBridge envelope).
     */
    static Map<String, Object> scheduledEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", JsonPath.uuid());
        event.put("detail-type", EventTypes.SCHEDULED_EVENT);
        event.put("source", EventTypes.SCHEDULE_SOURCE);
        event.put("account", JsonPath.stringAt("$.account"));
        event.put("time", JsonPath.stringAt("$$.State.EnteredTime"));
        event.put("region", JsonPath.stringAt("$.region"));
        event.put("resources", JsonPath.array(JsonPath.stringAt("$$.Execution.Id")));
        event.put("detail", Map.of());
        return event;
    }

    /** Organizations leaves NextToken out (or null) on the last page. */
    private static Condition morePages(String tokenPath) {
        return Condition.and(Condition.isPresent(tokenPath), Condition.isNotNull(tokenPath));
    }

    /** One page of an Organizations listing of a parent's children; {@code tokenPath} names the page to continue. */
    private CallAwsService listPage(String id, String action, String resultPath, String tokenPath,
            List<String> parents) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("ParentId", JsonPath.stringAt("$.parentId"));
        if (tokenPath != null) {
            parameters.put("NextToken", JsonPath.stringAt(tokenPath));
        }
        CallAwsService call = CallAwsService.Builder.create(this, id)
                .service("organizations")
                .action(action)
                .iamAction("organizations:" + Character.toUpperCase(action.charAt(0)) + action.substring(1))
                .iamResources(parents)
                .parameters(parameters)
                .resultPath(resultPath)
                .build();
        // Organizations throttles its API hard across the whole organization.
        call.addRetry(RetryProps.builder()
                .errors(List.of("Organizations.TooManyRequestsException", "Organizations.ServiceException"))
                .interval(Duration.seconds(2)).backoffRate(2).maxAttempts(5).build());
        return call;
    }

    /** Starts one execution of this state machine per parent in the list (an OU or the root), and waits for none. */
    private software.amazon.awscdk.services.stepfunctions.Map startEach(String id, String itemsPath, String parentPath,
            String self) {
        software.amazon.awscdk.services.stepfunctions.Map each =
                software.amazon.awscdk.services.stepfunctions.Map.Builder.create(this, id)
                        .itemsPath(itemsPath)
                        .itemSelector(Map.of(
                                "parentId", JsonPath.stringAt(parentPath),
                                "regions", JsonPath.listAt("$.regions")))
                        .maxConcurrency(5)
                        .resultPath(JsonPath.DISCARD)
                        .build();
        each.itemProcessor(CallAwsService.Builder.create(this, id + "Execution")
                .service("sfn")
                .action("startExecution")
                .iamAction("states:StartExecution")
                .iamResources(List.of(self))
                .parameters(Map.of(
                        "StateMachineArn", JsonPath.stringAt("$$.StateMachine.Id"),
                        "Input", JsonPath.jsonToString(JsonPath.objectAt("$"))))
                .build());
        return each;
    }
}
