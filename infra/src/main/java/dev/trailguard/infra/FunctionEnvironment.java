package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.BASELINE_PARAMETER_PREFIX;
import static dev.trailguard.infra.GuardStack.JAVA_TOOL_OPTIONS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.contract.Environment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;

/**
 * The environment variables every function starts with (README, "Configuration"), for the single-account stack and the
 * hub alike: one place decides what the functions are told, in one order (a new order is a new template).
 */
final class FunctionEnvironment {

    /**
     * What the stack knows only once its resources exist.
     *
     * @param topicArn          the notification topic
     * @param automationRoleArn the role the runbooks run as in the functions' own account
     * @param functionRoleArns  the four functions' roles, in {@link GuardStack#FUNCTIONS} order
     * @param configRuleNames   the Config rules the ComplianceResponder acts on
     * @param resourcePrefix    the name prefix of TrailGuard's own resources
     * @param deploymentRoleArn the role that deploys the stack (its trail changes are reported, never reverted)
     * @param secondChannelArn  the topic without TrailGuard's key (the notification path's alerts)
     * @param topicKeyArn       the notification topic's KMS key
     */
    record Wiring(String topicArn, String automationRoleArn, List<String> functionRoleArns, List<String> configRuleNames,
                  String resourcePrefix, String deploymentRoleArn, String secondChannelArn, String topicKeyArn) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionEnvironment() {
    }

    /** The variables, in the order the single-account stack has always set them. */
    static Map<String, String> of(GuardStackProps props, Wiring wiring) {
        List<String> ownRoleArns = new ArrayList<>(wiring.functionRoleArns());
        ownRoleArns.add(wiring.automationRoleArn());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(Environment.TOPIC_ARN, wiring.topicArn());
        environment.put(Environment.AUTOMATION_ROLE_ARN, wiring.automationRoleArn());
        // Loop guard: the functions ignore calls made by these roles.
        environment.put(Environment.OWN_ROLE_ARNS, String.join(",", ownRoleArns));
        // Only runbook executions started by these roles are TrailGuard's own (not every use of the automation role).
        environment.put(Environment.FUNCTION_ROLE_ARNS, String.join(",", wiring.functionRoleArns()));
        // A recorded trail whose CloudWatch Logs role is not among these cannot be restored: the notification says so.
        environment.put(Environment.PASSABLE_LOGS_ROLE_ARNS, String.join(",", props.trailCloudWatchLogsRoleArns()));
        environment.put(Environment.GUARDED_TRAILS, String.join(",", props.guardedTrails()));
        environment.put(Environment.CONFIG_RULES, String.join(",", wiring.configRuleNames()));
        // Restore and guard-the-guard (ResponseConfig).
        environment.put(Environment.RESOURCE_PREFIX, wiring.resourcePrefix());
        List<String> authorized = new ArrayList<>();
        authorized.add(wiring.deploymentRoleArn());
        authorized.addAll(props.authorizedRoleArns());
        // Changes by these roles are reported, never reverted: a deployment must be able to change a trail.
        environment.put(Environment.AUTHORIZED_ROLE_ARNS, String.join(",", authorized));
        environment.put(Environment.BASELINE_PARAMETER_PREFIX, BASELINE_PARAMETER_PREFIX);
        if (props.lakeEventDataStore() != null) {
            environment.put(Environment.LAKE_EVENT_DATA_STORE, props.lakeEventDataStore());
        }
        if (props.athenaTable() != null) {
            environment.put(Environment.ATHENA_TABLE, props.athenaTable());
        }
        // Guard the guard's repairs (#14 items 8-10): the second channel, the key it watches, the subscriptions to put back.
        environment.put(Environment.SECOND_CHANNEL_TOPIC_ARN, wiring.secondChannelArn());
        environment.put(Environment.TOPIC_KEY_ARN, wiring.topicKeyArn());
        environment.put(Environment.SUBSCRIPTIONS, subscriptions(props));
        environment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        return environment;
    }

    /** The topic's subscriptions as the context configures them, JSON for the TamperResponder to put back. */
    static String subscriptions(GuardStackProps props) {
        List<Map<String, String>> list = new ArrayList<>();
        props.notificationEmails().forEach(email -> list.add(subscription("email", email)));
        if (props.jsonSubscriberQueueArn() != null) {
            list.add(subscription("sqs", props.jsonSubscriberQueueArn()));
        }
        if (props.jsonSubscriberHttpsUrl() != null) {
            list.add(subscription("https", props.jsonSubscriberHttpsUrl()));
        }
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("subscriptions are not serializable", e);
        }
    }

    private static Map<String, String> subscription(String protocol, String endpoint) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("protocol", protocol);
        map.put("endpoint", endpoint);
        return map;
    }

    /**
     * The CloudFormation execution role that deploys the stack: the bootstrap's
     * {@code cdk-<qualifier>-cfn-exec-role-<account>-<region>}, an exact ARN (the functions compare ARNs for equality).
     */
    static String deploymentRoleArn(Stack stack) {
        if (stack.getSynthesizer() instanceof DefaultStackSynthesizer synthesizer) {
            // The synthesizer's ARN carries ${AWS::Partition} (and unresolved account/region) placeholders.
            return Fn.sub(synthesizer.getCloudFormationExecutionRoleArn());
        }
        return "arn:" + stack.getPartition() + ":iam::" + stack.getAccount() + ":role/cdk-"
                + DefaultStackSynthesizer.DEFAULT_QUALIFIER + "-cfn-exec-role-" + stack.getAccount() + "-"
                + stack.getRegion();
    }
}
