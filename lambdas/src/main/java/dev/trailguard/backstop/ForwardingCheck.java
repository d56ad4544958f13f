package dev.trailguard.backstop;

import dev.trailguard.contract.Forwarding;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.member.ForwardingRules;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.RuleReenabler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organization mode, in the sweep of a member account and region: every forwarding rule must exist, be enabled and
 * target the hub bus, or that account's tamper calls, runbook results and compliance changes no longer reach
 * TrailGuard (and a rule cannot report its own disabling). A disabled rule is re-enabled with
 * {@value RuleReenabler#RUNBOOK} (one start per rule and hour: the client token); a missing rule or a changed target
 * needs the member stack instance repaired. Either is CRITICAL, notified on the first sweep of each hour.
 */
final class ForwardingCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardingCheck.class);
    private static final String DEFAULT_BUS = "default";

    private final ForwardingRules rules;
    private final RuleReenabler reenabler;
    private final Notifier notifier;

    ForwardingCheck(ForwardingRules rules, RuleReenabler reenabler, Notifier notifier) {
        this.rules = rules;
        this.reenabler = reenabler;
        this.notifier = notifier;
    }

    /** One item per forwarding rule; none outside a member account. */
    List<Outcome> check(Finding finding, boolean hourly) {
        List<Outcome> items = new ArrayList<>();
        if (!rules.applies()) {
            return items;
        }
        for (String name : Forwarding.RULE_NAMES) {
            items.add(check(finding, name, hourly));
        }
        return items;
    }

    private Outcome check(Finding finding, String name, boolean hourly) {
        Optional<ForwardingRules.Rule> rule;
        try {
            rule = rules.describe(name);
        } catch (CallFailedException e) {
            return report(finding, name, Severity.HIGH, "FORWARDING_UNVERIFIED", "could not be checked ("
                    + e.getMessage() + ")", "Nothing done: check the member role's events:DescribeRule and "
                    + "events:ListTargetsByRule permissions.", null, hourly);
        }
        if (rule.isEmpty()) {
            return report(finding, name, Severity.CRITICAL, "FORWARDING_BROKEN", "is missing", "Nothing started: "
                    + "redeploy the account's TrailGuardMembers stack instance (its template creates the rule).", null,
                    hourly);
        }
        if (!rule.get().enabled()) {
            RemediationStart start;
            try {
                start = reenabler.reenable(name, DEFAULT_BUS, finding.region(), incidentKey(finding, name));
            } catch (CallFailedException e) {
                return report(finding, name, Severity.CRITICAL, "FORWARDING_BROKEN", "is disabled", "Could not "
                        + "start " + RuleReenabler.RUNBOOK + ": " + e.getMessage() + ". Enable the rule by hand.",
                        null, hourly);
            }
            return report(finding, name, Severity.CRITICAL, "FORWARDING_BROKEN", "is disabled",
                    start.describe(RuleReenabler.RUNBOOK, "to enable it again", "for this rule within the hour"),
                    start, hourly);
        }
        String hub = rules.hubBusArn();
        if (hub != null && !rule.get().targetArns().contains(hub)) {
            return report(finding, name, Severity.CRITICAL, "FORWARDING_BROKEN", "no longer targets the hub bus "
                    + "(targets: " + (rule.get().targetArns().isEmpty() ? "none"
                    : String.join(", ", rule.get().targetArns())) + ")", "Nothing started: redeploy the account's "
                    + "TrailGuardMembers stack instance to put the hub bus back as its target.", null, hourly);
        }
        return Outcome.of("FORWARDING_OK", finding.eventId()).note(name).build();
    }

    private Outcome report(Finding finding, String name, Severity severity, String kind, String what, String did,
                           RemediationStart start, boolean hourly) {
        String outcome = start == null ? kind : start.alreadyStarted() ? "FORWARDING_REENABLE_ALREADY_STARTED"
                : "FORWARDING_REENABLE_STARTED";
        LOG.warn("Forwarding rule {} in {} {} {}: {}", name, finding.account(), finding.region(), what, outcome);
        Outcome.Builder item = Outcome.of(outcome, finding.eventId()).note(name + " " + what);
        if (start != null) {
            item.execution(start.executionId().orElse(null), start.clientToken());
        }
        if (!hourly) {
            return item.note("not notified again: reported on the first sweep of each hour").build();
        }
        Notification n = finding.notification(severity, kind)
                .headline("Forwarding to TrailGuard broken in " + finding.account() + " " + finding.region())
                .summary("TrailGuard's forwarding rule " + name + " in account " + finding.account() + " ("
                        + finding.region() + ") " + what + ". Until it forwards again, what it carries from this "
                        + "account and region (" + carries(name) + ") does not reach TrailGuard: the sweep and the "
                        + "Config rules are the only backstop there.")
                .action(new Notification.Action(outcome, did, start == null ? null : start.executionId().orElse(null),
                        start == null ? null : start.region()))
                .detail("Forwarding rule", name)
                .build();
        return item.severity(n.severity().name()).messageId(notifier.publish(n)).build();
    }

    private static String carries(String name) {
        return switch (name) {
            case Forwarding.TAMPER_CALLS -> "StopLogging, DeleteTrail and the other tamper calls";
            case Forwarding.RESOURCE_CALLS -> "calls against TrailGuard's own rules, roles and runbooks";
            case Forwarding.RUNBOOK_RESULTS -> "the results of TrailGuard's runbooks";
            case Forwarding.DELIVERY_CALLS -> "calls that break delivery to the trails' buckets and keys, stop "
                    + "CloudTrail Lake or stop Config recording trails";
            default -> "compliance changes of TrailGuard's Config rules";
        };
    }

    /** One re-enable per rule, account, region and hour. */
    private static String incidentKey(Finding finding, String name) {
        return "forwarding:" + finding.account() + ":" + finding.region() + ":" + name + ":"
                + finding.now().getEpochSecond() / Cadence.RENOTIFY.getSeconds();
    }
}
