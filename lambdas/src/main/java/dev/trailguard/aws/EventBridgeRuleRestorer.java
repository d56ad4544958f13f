package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.remediation.RuleRestorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DeadLetterConfig;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.InputTransformer;
import software.amazon.awssdk.services.eventbridge.model.PutRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RetryPolicy;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Puts a TrailGuard rule back from the deployed definition the stack wrote to {@code <prefix><rule name>} (an SSM
 * parameter holding the rule's CloudFormation properties: {@code description}, {@code eventPattern} or
 * {@code scheduleExpression}, {@code state}, {@code targets}, and {@code eventBusName} for a rule on another bus than
 * the default, such as the organization hub's): {@code DescribeRule} and {@code ListTargetsByRule} read
 * what is there, {@code PutRule} puts the definition back when it differs (or the rule is gone),
 * {@code RemoveTargets} drops targets the stack did not deploy and {@code PutTargets} puts the deployed ones back when
 * any is missing or changed. Called directly rather than through SSM Automation: the definition and targets would
 * otherwise have to travel as runbook parameters, and the repair must not wait for automation capacity an attacker
 * can exhaust (docs/restore.md).
 */
public final class EventBridgeRuleRestorer implements RuleRestorer {

    private final EventBridgeClient events;
    private final SsmClient ssm;
    private final String definitionPrefix;
    private final ObjectMapper json;

    public EventBridgeRuleRestorer(EventBridgeClient events, SsmClient ssm, String definitionPrefix,
                                   ObjectMapper json) {
        this.events = events;
        this.ssm = ssm;
        this.definitionPrefix = definitionPrefix;
        this.json = json;
    }

    @Override
    public List<String> restore(String ruleName, String eventBusName) {
        JsonNode deployed = definition(ruleName);
        String bus = busName(deployed.path("eventBusName").asText(null));
        if (!Objects.equals(bus, busName(eventBusName))) {
            // A rule of that name on another bus is not the one TrailGuard deployed: putting the deployed definition
            // on it would create a second TrailGuard rule there.
            throw new RepairRefusedException("events:DescribeRule", "OtherEventBus", "the call named " + ruleName
                    + " on the " + busLabel(busName(eventBusName)) + ", but TrailGuard deployed its rule of that name"
                    + " on the " + busLabel(bus), null);
        }
        List<String> changes = new ArrayList<>();
        DescribeRuleResponse current = describe(ruleName, bus);
        String state = deployed.path("state").asText("ENABLED");
        String description = deployed.path("description").asText(null);
        String schedule = deployed.path("scheduleExpression").asText(null);
        JsonNode pattern = deployed.path("eventPattern");
        if (current == null) {
            changes.add("recreated the deleted rule");
        } else {
            if (!state.equals(current.stateAsString())) {
                changes.add("state " + current.stateAsString() + " -> " + state);
            }
            if (!pattern.isMissingNode() && !pattern.equals(parse(current.eventPattern(), ruleName))) {
                changes.add("event pattern put back");
            }
            if (schedule != null && !schedule.equals(current.scheduleExpression())) {
                changes.add("schedule " + current.scheduleExpression() + " -> " + schedule);
            }
            if (!Objects.equals(description, current.description())) {
                changes.add("description put back");
            }
        }
        if (!changes.isEmpty()) {
            PutRuleRequest.Builder put = PutRuleRequest.builder().name(ruleName).eventBusName(bus).state(state)
                    .description(description);
            if (!pattern.isMissingNode()) {
                put.eventPattern(pattern.toString());
            }
            if (schedule != null) {
                put.scheduleExpression(schedule);
            }
            call("events:PutRule", () -> events.putRule(put.build()));
        }
        changes.addAll(restoreTargets(ruleName, bus, targets(deployed.path("targets"))));
        return changes;
    }

    /**
     * The bus's name as the EventBridge calls take it, {@code null} for the default bus (named {@code default}, by
     * name or ARN, or not named at all).
     */
    static String busName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isBlank()) {
            return null;
        }
        String name = nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.indexOf("event-bus/")
                + "event-bus/".length()) : nameOrArn;
        return "default".equals(name) ? null : name;
    }

    private static String busLabel(String bus) {
        return bus == null ? "default bus" : "bus " + bus;
    }

    private List<String> restoreTargets(String ruleName, String bus, Map<String, Target> deployed) {
        List<String> changes = new ArrayList<>();
        Map<String, Target> current = new LinkedHashMap<>();
        String next = null;
        do {
            String token = next;
            var page = call("events:ListTargetsByRule", () -> events.listTargetsByRule(b -> b.rule(ruleName)
                    .eventBusName(bus).nextToken(token)));
            page.targets().forEach(t -> current.put(t.id(), t));
            next = page.nextToken();
        } while (next != null);
        List<String> extra = current.keySet().stream().filter(id -> !deployed.containsKey(id)).toList();
        if (!extra.isEmpty()) {
            call("events:RemoveTargets", () -> events.removeTargets(b -> b.rule(ruleName).eventBusName(bus)
                    .ids(extra).force(false)));
            changes.add("removed targets " + extra.stream().map(id -> id + " (" + current.get(id).arn() + ")")
                    .toList());
        }
        List<String> changed = deployed.keySet().stream().filter(id -> !deployed.get(id).equals(current.get(id)))
                .toList();
        if (!changed.isEmpty()) {
            var put = call("events:PutTargets", () -> events.putTargets(b -> b.rule(ruleName).eventBusName(bus)
                    .targets(changed.stream().map(deployed::get).toList())));
            if (put.failedEntryCount() != null && put.failedEntryCount() > 0) {
                throw new RepairRefusedException("events:PutTargets", put.failedEntries().get(0).errorCode(),
                        "EventBridge refused target " + put.failedEntries().get(0).targetId() + ": "
                                + put.failedEntries().get(0).errorMessage(), null);
            }
            changes.add("put back targets " + changed);
        }
        return changes;
    }

    private DescribeRuleResponse describe(String ruleName, String bus) {
        try {
            return call("events:DescribeRule", () -> events.describeRule(b -> b.name(ruleName).eventBusName(bus)));
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private JsonNode definition(String ruleName) {
        String value = call("ssm:GetParameter", () -> ssm.getParameter(b -> b.name(definitionPrefix + ruleName)))
                .parameter().value();
        JsonNode definition = parse(value, ruleName);
        if (!definition.isObject() || !definition.path("targets").isArray()) {
            throw new RepairRefusedException("ssm:GetParameter", "MalformedDefinition", "the deployed definition of "
                    + ruleName + " is not a rule definition", null);
        }
        return definition;
    }

    private JsonNode parse(String text, String ruleName) {
        if (text == null) {
            return json.missingNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new RepairRefusedException("ssm:GetParameter", "MalformedDefinition", "unreadable JSON in the "
                    + "definition or pattern of " + ruleName, e);
        }
    }

    /** The deployed targets as EventBridge returns them, by id. */
    private static Map<String, Target> targets(JsonNode list) {
        Map<String, Target> targets = new LinkedHashMap<>();
        for (JsonNode t : list) {
            Target.Builder b = Target.builder().id(t.path("id").asText()).arn(t.path("arn").asText());
            if (t.hasNonNull("input")) {
                b.input(t.path("input").asText());
            }
            if (t.hasNonNull("inputPath")) {
                b.inputPath(t.path("inputPath").asText());
            }
            if (t.hasNonNull("roleArn")) {
                b.roleArn(t.path("roleArn").asText());
            }
            JsonNode transformer = t.path("inputTransformer");
            if (transformer.isObject()) {
                Map<String, String> paths = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = transformer.path("inputPathsMap").fields();
                     it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    paths.put(e.getKey(), e.getValue().asText());
                }
                b.inputTransformer(InputTransformer.builder().inputPathsMap(paths)
                        .inputTemplate(transformer.path("inputTemplate").asText()).build());
            }
            if (t.path("deadLetterConfig").hasNonNull("arn")) {
                b.deadLetterConfig(DeadLetterConfig.builder().arn(t.path("deadLetterConfig").path("arn").asText())
                        .build());
            }
            JsonNode retry = t.path("retryPolicy");
            if (retry.isObject()) {
                b.retryPolicy(RetryPolicy.builder()
                        .maximumRetryAttempts(retry.hasNonNull("maximumRetryAttempts")
                                ? retry.path("maximumRetryAttempts").asInt() : null)
                        .maximumEventAgeInSeconds(retry.hasNonNull("maximumEventAgeInSeconds")
                                ? retry.path("maximumEventAgeInSeconds").asInt() : null)
                        .build());
            }
            Target target = b.build();
            targets.put(target.id(), target);
        }
        return targets;
    }
}
