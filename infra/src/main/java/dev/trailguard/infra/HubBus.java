package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.API_CALL;
import static dev.trailguard.infra.GuardStack.obj;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The hub's event bus, where the member accounts' forwarding rules put their events: its resource policy admits
 * {@code events:PutEvents} from principals of the organization only ({@code aws:PrincipalOrgID}). Whoever deletes the
 * bus or rewrites its policy silences every member at once, so those calls alert the topic directly.
 */
final class HubBus extends Construct {

    private final EventBus bus;

    HubBus(final Construct scope, final String id, final OrganizationProps org) {
        super(scope, id);
        this.bus = EventBus.Builder.create(this, "Bus")
                .eventBusName(OrganizationProps.HUB_NAME)
                .description("TrailGuard hub: events forwarded by the member accounts of the organization")
                .build();
        bus.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowTheOrganizationToPutEvents")
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:PrincipalOrgID", org.organizationId())))
                .build());
    }

    EventBus bus() {
        return bus;
    }

    /** Calls that delete the bus or change who may put events on it go straight to the topic. */
    void guard(Topic topic, Queue deadLetters) {
        Rule rule = Rule.Builder.create(this, "GuardHubBusRule")
                .description("TrailGuard hub: alerts the topic directly when the hub bus is deleted or its policy changed")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.events"))
                        .detailType(List.of(API_CALL))
                        .detail(obj(
                                "eventSource", List.of("events.amazonaws.com"),
                                "$or", List.of(
                                        obj("eventName", List.of("DeleteEventBus", "UpdateEventBus"),
                                                "requestParameters", obj("name", List.of(OrganizationProps.HUB_NAME))),
                                        obj("eventName", List.of("PutPermission", "RemovePermission"),
                                                "requestParameters", obj("eventBusName",
                                                        List.of(OrganizationProps.HUB_NAME))))))
                        .build())
                .build();
        RuleTargetInput message = RuleTargetInput.fromText("TrailGuard HUB BUS ALERT (sent by EventBridge directly): "
                + EventField.fromPath("$.detail.eventName") + " on the hub bus " + OrganizationProps.HUB_NAME
                + " by " + EventField.fromPath("$.detail.userIdentity.arn")
                + " from " + EventField.fromPath("$.detail.sourceIPAddress")
                + " at " + EventField.fromPath("$.detail.eventTime")
                + "; error code (empty if it succeeded): " + EventField.fromPath("$.detail.errorCode")
                + ". Without the bus or its organization policy no member account's events reach TrailGuard:"
                + " redeploy the TrailGuardHub stack.");
        GuardTheGuard.alertTopicDirectly(rule, message, topic, deadLetters, "AllowTheHubBusGuardRule");
    }
}
