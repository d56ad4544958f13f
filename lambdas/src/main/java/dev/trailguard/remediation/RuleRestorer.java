package dev.trailguard.remediation;

import java.util.List;

/**
 * Port: puts one of TrailGuard's EventBridge rules back exactly as the stack deployed it (state ENABLED, its event
 * pattern or schedule, its description, exactly its deployed targets), from the deployed definition the stack wrote to
 * an SSM parameter, in the function's own region, on the bus the stack deployed it on (the default bus, or in the
 * organization hub also the hub bus). A deleted rule is recreated under the same name, so the invoke permissions and
 * topic policies that name its ARN apply again.
 */
public interface RuleRestorer {

    /**
     * Compares the rule with its deployed definition and puts back what differs.
     *
     * @param ruleName     the rule (its name starts with TrailGuard's prefix)
     * @param eventBusName the bus the call named ({@code eventBusName}: a name or an ARN), {@code null} or
     *                     {@code default} for the default bus; it must be the bus of the deployed definition
     * @return what was changed, for people ("state DISABLED -> ENABLED", ...); empty when nothing differed
     * @throws dev.trailguard.core.CallFailedException if a call failed after retries, no definition is deployed, or the
     *                                                 call named a rule of that name on another bus
     */
    List<String> restore(String ruleName, String eventBusName);

    /** A rule on the default bus. */
    default List<String> restore(String ruleName) {
        return restore(ruleName, null);
    }

    /** Restores nothing (offline use, an older stack without deployed definitions). */
    static RuleRestorer none() {
        return (rule, bus) -> {
            throw new UnsupportedOperationException("no deployed rule definitions are configured here");
        };
    }
}
