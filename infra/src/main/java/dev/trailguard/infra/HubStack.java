package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.FUNCTIONS;

import dev.trailguard.contract.Environment;
import dev.trailguard.contract.Forwarding;
import dev.trailguard.contract.Functions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * TrailGuard's hub, in the security tooling account and hub region: the bus every member account forwards its events
 * to (admitting the organization only), the four functions behind it with the rules that feed them, the topic and key,
 * dead-letter queues and alarms, the Config organization rules and the organization-wide sweep. The functions act in a
 * member account as its {@code TrailGuard-Member} role, which their roles may assume only in the organization's
 * accounts. The hub account is an ordinary member too (it must be in a guarded OU): its own calls are guarded by the
 * same guard rules as the single-account stack's. With the organization's fire drills on (issue 16), the FireDrill
 * function drills a rotating sample of member accounts every day through their {@code TrailGuard-MemberDrill} roles.
 */
public final class HubStack extends Stack {

    private final Map<String, GuardFunction> functions;
    private final Map<String, Role> functionRoles;
    private final HubBus bus;
    private final OrganizationSweep sweep;
    /** The drill in member accounts, or null when context organizationFireDrill is false. */
    private final HubFireDrills fireDrills;
    private Map<String, String> environment;

    public HubStack(final Construct scope, final String id, final StackProps stackProps, final GuardStackProps props,
            final OrganizationProps org) {
        super(scope, id, stackProps);
        Notifications notifications = new Notifications(this, "Notifications", props);
        Topic topic = notifications.topic();
        // In its own account the hub uses the member automation role (the hub account is a member) and the runbook
        // documents of every member region.
        IRole automationRole = Role.fromRoleName(this, "MemberAutomationRole",
                OrganizationProps.MEMBER_AUTOMATION_ROLE_NAME);
        GuardRoles roles = new GuardRoles(this, "Roles", props, topic, notifications.secondChannel(),
                new GuardRoles.Options(
                OrganizationProps::hubFunctionRoleName, automationRole, "*"));
        this.functionRoles = roles.functionRoles();
        functionRoles.values().forEach(role -> grantMemberAccess(role, org));
        // Issue 16 item 5: the drill in member accounts, through their drill roles (never the member role).
        this.fireDrills = org.drill().enabled() ? new HubFireDrills(this, "FireDrill", org, topic) : null;
        List<Role> notifyingRoles = new java.util.ArrayList<>(functionRoles.values());
        if (fireDrills != null) {
            fireDrills.grantMeasuring(functionRoles.get(Functions.REMEDIATION_REPORTER),
                    functionRoles.get(Functions.TRAIL_SWEEPER));
            notifyingRoles.add(fireDrills.role());
        }
        IncidentIntegrations integrations = new IncidentIntegrations(this, "Integrations", props.integrations(),
                notifications.topicKey(), notifyingRoles);
        this.bus = new HubBus(this, "Bus", org);
        OrganizationConfigRules configRules = new OrganizationConfigRules(this, "ConfigRules");
        this.functions = createFunctions(props, notifications, automationRole, configRules.names(), integrations);
        EventRouting routing = new EventRouting(this, "Routing",
                EventPatterns.organizationRuleNames(configRules.names()), functions, bus.bus(), props.guardedTrails());
        if (fireDrills != null) {
            functions.put(Functions.FIRE_DRILL, fireDrills.function(Code.fromAsset(props.lambdaJar()), environment,
                    routing.deadLetters(), topic));
        }
        routing.addMemberResourceCallsRule();
        new GuardTheGuard(this, "GuardTheGuard", new GuardTheGuard.Wiring(OrganizationProps.HUB_NAME,
                configRules.names(), routing.target(Functions.TAMPER_RESPONDER, null), topic,
                notifications.topicKey(), routing.deadLetters(), notifications.secondChannel()),
                GuardStack.IAM_EVENTS_REGION.equals(org.hubRegion()),
                true);
        bus.guard(topic, routing.deadLetters());
        // The members' delivery sabotage, the hub account's own included (its forwarding rule puts it on the bus);
        // calls on the hub's topic key are GuardTheGuard's, on the default bus.
        routing.addDeliveryRule(notifications.topicKey().getKeyArn());
        routing.addKeepalive();
        this.sweep = new OrganizationSweep(this, "Sweep", functions.get(Functions.TRAIL_SWEEPER).alias(), org,
                routing.deadLetters(), topic);
        // After the last rule: GuardAlarms finds every rule of the stack.
        new GuardAlarms(this, "Alarms", topic, functions.values(), routing.deadLetters(),
                notifications.secondChannel());
        // After the last rule: the definitions of the hub's rules on both buses, to put a changed one back.
        new DeployedRules(this, "DeployedRules");
        CfnOutput.Builder.create(this, "HubBusArn").value(bus.bus().getEventBusArn())
                .description("The bus the member accounts forward their events to").build();
        CfnOutput.Builder.create(this, "TopicArn").value(topic.getTopicArn())
                .description("TrailGuard notification topic").build();
        OrganizationNag.forHub(this, roles, functions.values(), sweep, org, props.guardedTrails());
    }

    /** Function name to its deployed function, in {@link GuardStack#FUNCTIONS} order. */
    Map<String, GuardFunction> functions() {
        return functions;
    }

    Map<String, Role> functionRoles() {
        return functionRoles;
    }

    OrganizationSweep sweep() {
        return sweep;
    }

    /** The drill in member accounts, or null when it is off. */
    HubFireDrills fireDrills() {
        return fireDrills;
    }

    private Map<String, GuardFunction> createFunctions(GuardStackProps props, Notifications notifications,
            IRole automationRole, List<String> configRuleNames, IncidentIntegrations integrations) {
        Topic topic = notifications.topic();
        Map<String, String> environment = new LinkedHashMap<>(FunctionEnvironment.of(props,
                new FunctionEnvironment.Wiring(topic.getTopicArn(), automationRole.getRoleArn(),
                        functionRoles.values().stream().map(Role::getRoleArn).toList(), configRuleNames,
                        // The hub's resources are TrailGuardHub-..., the members' TrailGuard-...: both start so.
                        Environment.DEFAULT_RESOURCE_PREFIX,
                        FunctionEnvironment.deploymentRoleArn(this), notifications.secondChannel().getTopicArn(),
                        notifications.topicKey().getKeyArn())));
        environment.put(Environment.MEMBER_ROLE_NAME, OrganizationProps.MEMBER_ROLE_NAME);
        environment.put(Environment.MEMBER_AUTOMATION_ROLE_NAME, OrganizationProps.MEMBER_AUTOMATION_ROLE_NAME);
        // What every member's forwarding rules must target: the sweep compares their targets with it.
        environment.put(Forwarding.HUB_BUS_ARN_VARIABLE, bus.bus().getEventBusArn());
        environment.putAll(integrations.environment());
        if (fireDrills != null) {
            // Before JAVA_TOOL_OPTIONS, which stays last: insertion order is the template's order.
            Map<String, String> withDrill = new LinkedHashMap<>();
            environment.forEach((key, value) -> {
                if (key.equals("JAVA_TOOL_OPTIONS")) {
                    withDrill.putAll(fireDrills.environment());
                }
                withDrill.put(key, value);
            });
            environment = withDrill;
        }
        this.environment = environment;
        Code code = Code.fromAsset(props.lambdaJar());
        Map<String, GuardFunction> deployed = new LinkedHashMap<>();
        for (GuardStack.FunctionSpec spec : FUNCTIONS) {
            deployed.put(spec.name(), new GuardFunction(this, spec.name() + "Function", spec,
                    functionRoles.get(spec.name()), code, environment));
        }
        return deployed;
    }

    /**
     * A function acts in a member account as that account's {@code TrailGuard-Member} role, which it may assume only
     * in the organization's accounts ({@code aws:ResourceOrgID}: the role's account, not the caller's), and names the
     * account in its notifications ({@code organizations:DescribeAccount} for its name, {@code organizations:ListParents}
     * for its organizational unit, which a delegated administrator may call).
     */
    private void grantMemberAccess(Role role, OrganizationProps org) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("AssumeTheMemberRole")
                .actions(List.of("sts:AssumeRole"))
                .resources(List.of("arn:" + getPartition() + ":iam::*:role/" + OrganizationProps.MEMBER_ROLE_NAME))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceOrgID", org.organizationId())))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("NameTheAccount")
                .actions(List.of("organizations:DescribeAccount", "organizations:ListParents"))
                .resources(List.of("arn:" + getPartition() + ":organizations::*:account/" + org.organizationId() + "/*"))
                .build());
    }
}
