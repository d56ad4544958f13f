package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.member.ForwardingRules;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** A member account's forwarding rules on its default bus, read with {@code DescribeRule} and {@code ListTargetsByRule}. */
public final class EventBridgeForwardingRules implements ForwardingRules {

    private final EventBridgeClient events;
    private final String hubBusArn;

    public EventBridgeForwardingRules(EventBridgeClient events, String hubBusArn) {
        this.events = events;
        this.hubBusArn = hubBusArn;
    }

    @Override
    public boolean applies() {
        return true;
    }

    @Override
    public String hubBusArn() {
        return hubBusArn;
    }

    @Override
    public Optional<Rule> describe(String name) {
        RuleState state;
        try {
            state = call("events:DescribeRule", () -> events.describeRule(b -> b.name(name))).state();
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
        List<String> targets = call("events:ListTargetsByRule", () -> events.listTargetsByRule(b -> b.rule(name)))
                .targets().stream().map(Target::arn).toList();
        return Optional.of(new Rule(name, state == RuleState.ENABLED, targets));
    }
}
