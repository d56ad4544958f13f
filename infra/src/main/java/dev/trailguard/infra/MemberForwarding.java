package dev.trailguard.infra;

import dev.trailguard.contract.Forwarding;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.interfaces.events.IRuleRef;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetConfig;
import software.amazon.awscdk.services.iam.FromRoleArnOptions;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The rules a member account keeps on its default bus, one per kind of event the hub handles, each forwarding to the
 * hub bus (another account, possibly another region) as the {@code TrailGuard-Forwarder} role. Their patterns are the
 * single-account stack's ({@link EventPatterns}); their names are fixed ({@code TrailGuard-Forward...}), which is how
 * the SCP protects them and the sweep finds them.
 */
final class MemberForwarding extends Construct {

    /** The forwarding rules' names, by what they forward: the contract's, which the hub's sweep checks by name. */
    static final String TAMPER_CALLS = Forwarding.TAMPER_CALLS;
    static final String RESOURCE_CALLS = Forwarding.RESOURCE_CALLS;
    static final String RUNBOOK_RESULTS = Forwarding.RUNBOOK_RESULTS;
    static final String COMPLIANCE_CHANGES = Forwarding.COMPLIANCE_CHANGES;
    static final String DELIVERY_CALLS = Forwarding.DELIVERY_CALLS;
    static final List<String> RULE_NAMES = Forwarding.RULE_NAMES;

    private final IRuleTarget hubBus;

    MemberForwarding(final Construct scope, final String id, final OrganizationProps org) {
        super(scope, id);
        Stack stack = Stack.of(this);
        // By name: the role is created once per account by the roles stack set, not in every region.
        IRole forwarder = Role.fromRoleArn(this, "Forwarder", "arn:" + stack.getPartition() + ":iam::"
                + stack.getAccount() + ":role/" + OrganizationProps.FORWARDER_ROLE_NAME,
                FromRoleArnOptions.builder().mutable(false).build());
        this.hubBus = new HubBusTarget(org.hubBusArn(stack.getPartition()), forwarder);
        // Every CreateTrail: the member template is the organization's, and the hub's rule keeps the guarded names.
        forward("ForwardTamperCalls", TAMPER_CALLS, "CloudTrail calls that stop, delete or weaken a trail, and "
                + "CreateTrail", EventPatterns.tamperCalls());
        forward("ForwardResourceCalls", RESOURCE_CALLS,
                "calls against TrailGuard's forwarding rules, roles and runbooks in this account",
                EventPatterns.memberResourceCalls());
        forward("ForwardRunbookResults", RUNBOOK_RESULTS, "final status of TrailGuard's runbook executions",
                EventPatterns.runbookResults());
        forward("ForwardComplianceChanges", COMPLIANCE_CHANGES,
                "compliance changes of TrailGuard's Config organization rules",
                EventPatterns.complianceChanges(EventPatterns.organizationRuleNames(
                        OrganizationProps.ORGANIZATION_RULE_NAMES)));
        // Every key: a member has no topic key of TrailGuard's (the hub's rule leaves out the hub's own).
        forward("ForwardDeliveryCalls", DELIVERY_CALLS, "calls that break delivery to a trail's bucket or key, stop "
                + "CloudTrail Lake or stop Config recording trails", EventPatterns.deliveryCalls());
    }

    private void forward(String id, String name, String what, EventPattern pattern) {
        Rule.Builder.create(this, id)
                .ruleName(name)
                .description("TrailGuard: forwards " + what + " to the TrailGuard hub")
                .eventPattern(pattern)
                .targets(List.of(hubBus))
                .build();
    }

    /** The hub's bus as a rule target, put to with the given role (cross-account and cross-region). */
    private static final class HubBusTarget implements IRuleTarget {
        private final String busArn;
        private final IRole role;

        HubBusTarget(String busArn, IRole role) {
            this.busArn = busArn;
            this.role = role;
        }

        @Override
        public RuleTargetConfig bind(final IRuleRef rule) {
            return bind(rule, null);
        }

        @Override
        public RuleTargetConfig bind(final IRuleRef rule, final String id) {
            return RuleTargetConfig.builder().arn(busArn).role(role).build();
        }
    }
}
