package dev.trailguard.report;

import dev.trailguard.remediation.Remediator;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.restore.TrailRestorer;
import java.util.Optional;

/**
 * The runbooks whose results the RemediationReporter reports, with the parameter that names what each one acts on
 * and the words its notifications use.
 */
public enum Runbook {

    /** Restarts logging: {@code CloudTrailArn}. */
    LOGGING(Remediator.RUNBOOK, "CloudTrailArn", "Restart", "cloudtrail:StartLogging", "start logging by hand"),
    /** Puts a weakened trail back to its baseline: {@code TrailName} (the ARN). */
    RESTORE(TrailRestorer.RESTORE_RUNBOOK, "TrailName", "Restore",
            "cloudtrail:UpdateTrail, PutEventSelectors, PutInsightSelectors or StartLogging",
            "restore the trail's baseline by hand"),
    /** Recreates a deleted trail: {@code TrailName} (the name, as CreateTrail takes it). */
    RECREATE(TrailRestorer.RECREATE_RUNBOOK, "TrailName", "Recreation",
            "cloudtrail:CreateTrail, UpdateTrail, PutEventSelectors, PutInsightSelectors or StartLogging",
            "recreate the trail by hand"),
    /** Enables one of TrailGuard's EventBridge rules again: {@code RuleName}, not a trail. */
    ENABLE_RULE(RuleReenabler.RUNBOOK, "RuleName", "Re-enabling", "events:EnableRule",
            "enable the rule by hand");

    private final String document;
    private final String targetParameter;
    private final String noun;
    private final String actions;
    private final String byHand;

    Runbook(String document, String targetParameter, String noun, String actions, String byHand) {
        this.document = document;
        this.targetParameter = targetParameter;
        this.noun = noun;
        this.actions = actions;
        this.byHand = byHand;
    }

    /** The runbook with this document name, if it is one of these. */
    public static Optional<Runbook> of(String documentName) {
        for (Runbook runbook : values()) {
            if (runbook.document.equals(documentName)) {
                return Optional.of(runbook);
            }
        }
        return Optional.empty();
    }

    /** The SSM document name. */
    public String document() {
        return document;
    }

    /** The parameter that names the trail (or, for {@link #ENABLE_RULE}, the rule). */
    public String targetParameter() {
        return targetParameter;
    }

    /** Whether the runbook acts on a trail (all but {@link #ENABLE_RULE}). */
    public boolean actsOnTrail() {
        return this != ENABLE_RULE;
    }

    /** The act, as a headline starts it: "Restart of management-events failed", "Re-enabling rule r failed". */
    String act(String target) {
        return this == ENABLE_RULE ? noun + " rule " + target : noun + " of " + target;
    }

    /** The calls the automation role makes, for a diagnosis that cannot name the one that was denied. */
    String actions() {
        return actions;
    }

    /** What to do by hand while the cause is fixed. */
    String byHand() {
        return byHand;
    }
}
