package dev.trailguard.handler;

import dev.trailguard.aws.AwsClients;
import dev.trailguard.aws.EventBridgeForwardingRules;
import dev.trailguard.aws.MemberClients;
import dev.trailguard.config.MemberAccess;
import dev.trailguard.config.TrailGuardConfig;
import java.util.function.UnaryOperator;

/**
 * The organization hub's way into member accounts: for an event from another account of the organization, the same
 * adapters as for the hub's own account, but signing with the member role's credentials in the event's region and
 * passing the member's automation role to SSM. Notifications still go to the hub's topic. In single-account mode
 * ({@link #NONE}) every event is the function's own account's.
 */
public interface Members {

    /** Single-account mode. */
    Members NONE = new Members() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String roleArn(String account) {
            throw new IllegalStateException("single-account mode");
        }

        @Override
        public void check(String account) {
            throw new IllegalStateException("single-account mode");
        }

        @Override
        public Wiring wire(Dependencies own, String account, String region) {
            throw new IllegalStateException("single-account mode");
        }
    };

    /** True in the organization hub. */
    boolean enabled();

    /** The member role of {@code account}. */
    String roleArn(String account);

    /**
     * Checks that the member role of {@code account} can be assumed (from the credentials cache while valid).
     *
     * @throws dev.trailguard.core.CallFailedException if it cannot
     */
    void check(String account);

    /**
     * The dependencies for {@code account} in {@code region}.
     *
     * @throws dev.trailguard.core.CallFailedException if the member role cannot be assumed
     */
    Wiring wire(Dependencies own, String account, String region);

    /**
     * The same member access, with {@code adjust} applied to every member account's dependencies (the local invoke's
     * dry run replaces the adapters that change anything).
     */
    default Members adjusted(UnaryOperator<Dependencies> adjust) {
        Members base = this;
        return new Members() {
            @Override
            public boolean enabled() {
                return base.enabled();
            }

            @Override
            public String roleArn(String account) {
                return base.roleArn(account);
            }

            @Override
            public void check(String account) {
                base.check(account);
            }

            @Override
            public Wiring wire(Dependencies own, String account, String region) {
                Wiring wiring = base.wire(own, account, region);
                return new Wiring(adjust.apply(wiring.deps()), wiring.clients());
            }
        };
    }

    /**
     * One member account and region's dependencies, and what to close when they are no longer used.
     *
     * @param deps    the dependencies
     * @param clients the member's SDK clients
     */
    record Wiring(Dependencies deps, AutoCloseable clients) { }

    /** The hub's member access over real AWS clients; {@link #NONE} when it is not configured. */
    static Members live(MemberAccess access, AwsClients clients, TrailGuardConfig config) {
        if (!access.enabled()) {
            return NONE;
        }
        MemberClients members = new MemberClients(clients, access, config.partition());
        return new Members() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String roleArn(String account) {
                return members.roleArn(account);
            }

            @Override
            public void check(String account) {
                members.check(account);
            }

            @Override
            public Wiring wire(Dependencies own, String account, String region) {
                AwsClients memberClients = members.in(account, region);
                TrailGuardConfig memberConfig = own.config().forMember(members.roleArn(account),
                        members.automationRoleArn(account));
                Dependencies deps = Dependencies.live(memberConfig,
                                own.response().forMember(config.partition(), account), memberClients)
                        .withNotifier(own.notifier())
                        .withForwarding(new EventBridgeForwardingRules(memberClients.events(), access.hubBusArn()))
                        // That account's canary and drill role only: a drill is recognised per account.
                        .withDrill(own.drill().forAccount(config.partition(), account));
                return new Wiring(deps, memberClients);
            }
        };
    }
}
