package dev.trailguard.remediation;

import java.util.List;

/**
 * Port: puts one of TrailGuard's EventBridge rules back exactly as the stack deployed it (state ENABLED, its event
 * pattern or schedule, its description, exactly its deployed targets), from the deployed definition the stack wrote to
 * an SSM parameter, on the default bus of the function's own region. A deleted rule is recreated under the same name, so the invoke permissions and topic policies that
 * name its ARN apply again.
 */
public interface RuleRestorer {

    /**
     * Compares the rule with its deployed definition and puts back what differs.
     *
     * @param ruleName the rule (its name starts with TrailGuard's prefix)
     * @return what was changed, for people ("state DISABLED -> ENABLED", ...); empty when nothing differed
     * @throws dev.trailguard.core.CallFailedException if a call failed after retries or no definition is deployed
     */
    List<String> restore(String ruleName);

    /** Restores nothing (offline use, an older stack without deployed definitions). */
    static RuleRestorer none() {
        return rule -> {
            throw new UnsupportedOperationException("no deployed rule definitions are configured here");
        };
    }
}
