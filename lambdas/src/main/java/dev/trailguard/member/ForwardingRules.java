package dev.trailguard.member;

import java.util.List;
import java.util.Optional;

/**
 * Organization mode: a member account's forwarding rules on its default bus, as EventBridge describes them (the port;
 * the adapter reads them with the member role). {@link #NONE} outside a member account: nothing to check.
 */
public interface ForwardingRules {

    /** Outside a member account. */
    ForwardingRules NONE = new ForwardingRules() {
        @Override
        public boolean applies() {
            return false;
        }

        @Override
        public Optional<Rule> describe(String name) {
            return Optional.empty();
        }
    };

    /**
     * A rule as it is now.
     *
     * @param name       its name
     * @param enabled    its state is ENABLED
     * @param targetArns the ARNs of its targets
     */
    record Rule(String name, boolean enabled, List<String> targetArns) {

        public Rule {
            targetArns = List.copyOf(targetArns);
        }
    }

    /** True in a member account reached by the hub. */
    boolean applies();

    /**
     * The rule, or empty if it does not exist.
     *
     * @throws dev.trailguard.core.CallFailedException if EventBridge could not be read
     */
    Optional<Rule> describe(String name);

    /** The hub bus the rules must target; null where not known. */
    default String hubBusArn() {
        return null;
    }
}
