package dev.trailguard.backstop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.edge.EventEdge;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.restore.Reconciler;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Responds to AWS Config compliance changes of TrailGuard's rules. The {@code cloudtrail-enabled} rule evaluates
 * the account ({@code AWS::::Account}), not a trail, so this finds the stopped trails itself and restarts each one
 * as the event path would. Other rules and other compliance types are ignored.
 */
public final class ComplianceService {

    static final String SOURCE = dev.trailguard.contract.EventTypes.CONFIG_SOURCE;
    static final String DETAIL_TYPE = dev.trailguard.contract.EventTypes.CONFIG_COMPLIANCE_CHANGE;
    static final EventEdge.Kind KIND = EventEdge.Kind.of("AWS Config compliance change", SOURCE, DETAIL_TYPE);

    private static final Logger LOG = LoggerFactory.getLogger(ComplianceService.class);
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final EventReader reader;
    private final TrailLocator locator;
    private final Notifier notifier;
    private final TrailGuardConfig config;
    private final StoppedTrailRestarter restarter;
    private final GuardScope scope;
    private final Clock clock;
    private final EventEdge edge;

    /** Without baselines: stopped trails are restarted as they are. */
    public ComplianceService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                             TrailGuardConfig config) {
        this(reader, locator, remediator, notifier, config, Reconciler.none(), Clock.systemUTC());
    }

    /** Compares each stopped trail with its baseline first, and restores it when it differs. */
    public ComplianceService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                             TrailGuardConfig config, Reconciler reconciler) {
        this(reader, locator, remediator, notifier, config, reconciler, Clock.systemUTC());
    }

    ComplianceService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                      TrailGuardConfig config, Clock clock) {
        this(reader, locator, remediator, notifier, config, Reconciler.none(), clock);
    }

    ComplianceService(EventReader reader, TrailLocator locator, Remediator remediator, Notifier notifier,
                      TrailGuardConfig config, Reconciler reconciler, Clock clock) {
        this.reader = reader;
        this.locator = locator;
        this.notifier = notifier;
        this.config = config;
        this.restarter = new StoppedTrailRestarter(remediator, notifier, reconciler);
        this.scope = new GuardScope(config.guardedTrails());
        this.clock = clock;
        this.edge = new EventEdge(reader, notifier);
    }

    /**
     * The parts of a compliance change this service reads.
     *
     * @param ruleName       {@code detail.configRuleName}
     * @param resourceType   {@code detail.resourceType}, {@code AWS::::Account} for cloudtrail-enabled
     * @param resourceId     {@code detail.resourceId}
     * @param complianceType {@code detail.newEvaluationResult.complianceType}
     * @param oldCompliance  {@code detail.oldEvaluationResult.complianceType}, if any
     */
    record ComplianceChange(String ruleName, String resourceType, String resourceId, String complianceType,
                            String oldCompliance) {

        static ComplianceChange of(EventEnvelope envelope) {
            JsonNode detail = envelope.detail();
            if (detail == null || !detail.isObject()) {
                throw new UnreadableEventException("event has no detail object", envelope.id());
            }
            String rule = detail.path("configRuleName").asText("");
            if (!RULE.matcher(rule).matches()) {
                throw new UnreadableEventException("detail.configRuleName is missing or malformed", envelope.id());
            }
            String compliance = detail.path("newEvaluationResult").path("complianceType").asText("");
            if (compliance.isEmpty()) {
                throw new UnreadableEventException("detail.newEvaluationResult.complianceType is missing",
                        envelope.id());
            }
            String old = detail.path("oldEvaluationResult").path("complianceType").asText(null);
            return new ComplianceChange(rule, detail.path("resourceType").asText(null),
                    detail.path("resourceId").asText(null), compliance, old);
        }
    }

    /** Handles one event as delivered by EventBridge. */
    public Outcome handle(byte[] rawEvent) {
        return edge.handle(rawEvent, KIND, envelope -> {
            Events.requireRegion(envelope);
            return ComplianceChange.of(envelope);
        }, EventEdge.EventId.envelope(), this::respond);
    }

    private Outcome respond(EventEnvelope envelope, ComplianceChange change) {
        MDC.put("configRule", change.ruleName());
        if (!config.isConfigRule(change.ruleName())) {
            LOG.info("Ignoring compliance change of rule {}: not one of TrailGuard's rules {}", change.ruleName(),
                    config.configRules());
            return Outcome.of("IGNORED", envelope.id()).note("rule " + change.ruleName() + " is not in "
                    + TrailGuardConfig.CONFIG_RULES).build();
        }
        Finding finding = new Finding("ConfigRule", "ConfigRule", envelope.account(), envelope.region(),
                envelope.detailType(), envelope.id(), envelope.time(), Events.time(envelope, clock));
        return switch (change.complianceType()) {
            case "NON_COMPLIANT" -> nonCompliant(finding, change);
            case "COMPLIANT" -> resolved(finding, change);
            default -> {
                LOG.info("Ignoring {} evaluation of rule {}", change.complianceType(), change.ruleName());
                yield Outcome.of("IGNORED", envelope.id())
                        .note(change.complianceType() + " is neither COMPLIANT nor NON_COMPLIANT").build();
            }
        };
    }

    private Outcome nonCompliant(Finding finding, ComplianceChange change) {
        List<Trail> trails = locator.listTrails();
        if (trails.isEmpty()) {
            Notification n = ruleNotification(finding, change, Severity.CRITICAL, "NO_TRAIL")
                    .headline("No CloudTrail trail in " + finding.region())
                    .summary("AWS Config rule " + change.ruleName() + " reports account " + finding.account()
                            + " non-compliant, and this account has no trail in " + finding.region()
                            + ": nothing records its API activity there. Create a trail (ideally multi-region) "
                            + "from your infrastructure code.")
                    .action(new Notification.Action("NO_TRAIL",
                            "Nothing started: there is no trail to restart.", null, null))
                    .build();
            return published("NO_TRAIL", finding, n).build();
        }
        GuardScope.Selection selection = scope.select(trails, finding.account(), finding.region());
        List<Outcome> items = new ArrayList<>();
        for (Trail trail : selection.candidates()) {
            MDC.put("trailArn", trail.arn());
            TrailStatus status = locator.status(trail);
            if (status.logging()) {
                items.add(Outcome.of("LOGGING", finding.eventId()).trail(trail.arn(), trail.homeRegion()).build());
                continue;
            }
            String why = "AWS Config rule " + change.ruleName() + " reports account " + finding.account()
                    + " non-compliant, and trail " + trail.name() + " in " + trail.homeRegion()
                    + " is not logging.";
            items.add(restarter.restart(finding, trail, status, why, true, ruleDetails(change)));
        }
        MDC.remove("trailArn");
        boolean anyStopped = items.stream().anyMatch(i -> !"LOGGING".equals(i.outcome()));
        if (anyStopped) {
            Outcome.Builder out = Outcome.of("REMEDIATED", finding.eventId());
            items.forEach(out::item);
            return out.build();
        }
        Notification n = ruleNotification(finding, change, Severity.MEDIUM, "NO_STOPPED_TRAIL")
                .headline("Config rule " + change.ruleName() + " non-compliant, no stopped trail")
                .summary("AWS Config rule " + change.ruleName() + " reports account " + finding.account()
                        + " non-compliant in " + finding.region() + ", but none of the " + selection.candidates().size()
                        + " trail(s) TrailGuard can start here is stopped. The rule may ask for more than logging "
                        + "(for example a multi-region trail) or another account manages the trail: check the rule.")
                .action(new Notification.Action("NO_STOPPED_TRAIL", "Nothing started: no stopped trail found.",
                        null, null))
                .details(checked(selection, items))
                .build();
        Outcome.Builder out = published("NO_STOPPED_TRAIL", finding, n);
        items.forEach(out::item);
        return out.build();
    }

    private Outcome resolved(Finding finding, ComplianceChange change) {
        Notification n = ruleNotification(finding, change, Severity.INFO, "COMPLIANCE_RESOLVED")
                .headline("Config rule " + change.ruleName() + " compliant again")
                .summary("AWS Config rule " + change.ruleName() + " reports account " + finding.account()
                        + " compliant again in " + finding.region() + ".")
                .action(new Notification.Action("RESOLVED", "Nothing to do.", null, null))
                .build();
        return published("RESOLVED", finding, n).build();
    }

    private Notification.Builder ruleNotification(Finding finding, ComplianceChange change, Severity severity,
                                                  String kind) {
        return finding.notification(severity, kind).details(ruleDetails(change));
    }

    private static Map<String, String> ruleDetails(ComplianceChange change) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Config rule", change.ruleName());
        details.put("Compliance", (change.oldCompliance() == null ? "" : change.oldCompliance() + " -> ")
                + change.complianceType());
        if (change.resourceType() != null) {
            details.put("Resource", change.resourceType() + " " + (change.resourceId() == null ? ""
                    : change.resourceId()));
        }
        return details;
    }

    private static Map<String, String> checked(GuardScope.Selection selection, List<Outcome> items) {
        Map<String, String> details = new LinkedHashMap<>();
        int n = 0;
        for (Outcome item : items) {
            details.put("Logging " + (++n), item.trailArn());
        }
        n = 0;
        for (Map.Entry<String, String> skipped : selection.skipped().entrySet()) {
            details.put("Not checked " + (++n), skipped.getKey() + ": " + skipped.getValue());
        }
        return details;
    }

    private Outcome.Builder published(String outcome, Finding finding, Notification n) {
        return Outcome.of(outcome, finding.eventId()).severity(n.severity().name()).messageId(notifier.publish(n));
    }
}
