package dev.trailguard.drill;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FireDrill function's whole job: stop the canary trail, with the drill role, and nothing else. Everything after
 * that is TrailGuard's real path (the StopLogging event, EventBridge, the TamperResponder, the runbook, the reporter),
 * which recognises the drill by this function's role and the canary together and measures it. In single-account mode
 * the event (the schedule, or anything on demand) is not read: there is nothing in it to trust or to need. In
 * the organization hub it is the day's sample of member accounts, or the accounts an on-demand event names
 * ({@link OrganizationDrill}), each stopped through its own drill role.
 */
public final class FireDrillService {

    private static final Logger LOG = LoggerFactory.getLogger(FireDrillService.class);

    private final DrillSetup drill;
    private final Notifier notifier;
    private final String partition;

    /** Single-account mode (the partition is the canary's). */
    public FireDrillService(DrillSetup drill, Notifier notifier) {
        this(drill, notifier, null);
    }

    /**
     * @param partition the hub's partition, for the member accounts' canary and drill role ARNs (unused in
     *                  single-account mode)
     */
    public FireDrillService(DrillSetup drill, Notifier notifier, String partition) {
        this.drill = drill;
        this.notifier = notifier;
        this.partition = partition;
    }

    /** Runs one drill: the own canary's, or in the organization hub the day's sample of member accounts. */
    public Outcome handle(byte[] event) {
        Instant at = drill.clock().instant();
        String eventId = "drill-" + at;
        if (drill.config().organization()) {
            return new OrganizationDrill(drill, this, partition).handle(event, at, eventId);
        }
        if (!drill.config().enabled()) {
            LOG.error("Fire drill invoked, but no canary trail is configured ({} is unset)",
                    dev.trailguard.config.DrillConfig.CANARY_TRAIL_ARN);
            Notification n = Notification.builder(Severity.MEDIUM, "DRILL_NOT_STARTED")
                    .headline("Fire drill not run: no canary trail configured")
                    .summary("The FireDrill function ran, but " + dev.trailguard.config.DrillConfig.CANARY_TRAIL_ARN
                            + " is not set, so there is no canary to stop. Deploy with the canary enabled.")
                    .detectedBy(DrillReport.DETECTED_BY)
                    .action(new Notification.Action("DRILL_NOT_STARTED", "Nothing stopped.", null, null))
                    .build();
            return Outcome.of("DRILL_NOT_CONFIGURED", eventId).severity(n.severity().name())
                    .messageId(notifier.publish(n)).build();
        }
        return stop(drill.config().canaryTrailArn().get(), eventId, at, null).build();
    }

    /**
     * Stops one canary (the own, or a member's through its drill role): DRILL_STARTED, or DRILL_NOT_STARTED with a
     * HIGH notification naming the account, the failed call and its error.
     *
     * @param memberRole the member drill role used, for the notification; null in single-account mode
     */
    Outcome.Builder stop(String arn, String eventId, Instant at, String memberRole) {
        String[] parts = arn.split(":", 6);
        String region = parts[3];
        String account = parts[4];
        try {
            drill.canary().stopLogging(arn, region);
        } catch (CallFailedException e) {
            LOG.error("Fire drill could not stop the canary {}: {}", arn, e.getMessage());
            boolean assume = "sts:AssumeRole".equals(e.action());
            String cause = memberRole == null
                    ? "An SCP without the drill's exemption, or a deleted canary, are the usual causes."
                    : assume ? "The hub's FireDrill role could not assume " + memberRole + ": the account is not "
                    + "onboarded yet, its roles stack set instance failed, or the role was changed."
                    : "CloudTrail refused to stop the canary: the canary stack set instance is missing in this "
                    + "account (TrailNotFoundException), or an SCP lacks the member drill role's exemption.";
            Notification n = Notification.builder(Severity.HIGH, "DRILL_NOT_STARTED")
                    .account(account)
                    .region(region)
                    .eventName("StopLogging")
                    .eventTime(at.toString())
                    .trail(new Notification.TrailSummary(arn, arn.substring(arn.lastIndexOf('/') + 1), region,
                            false))
                    .detectedBy(DrillReport.DETECTED_BY)
                    .headline(memberRole == null ? "Fire drill not run: the canary could not be stopped"
                            : "Fire drill not run in account " + account + ": the canary could not be stopped")
                    .summary("The fire drill could not stop the canary trail " + (memberRole == null ? ""
                            : "of account " + account + " ") + "(" + e.getMessage() + "), so "
                            + (memberRole == null ? "this week's" : "this account's") + " measurement is missing. "
                            + cause + (memberRole == null ? "" : " The other accounts' drills went on."))
                    .action(new Notification.Action("DRILL_NOT_STARTED", "Nothing stopped.", null, null))
                    .detail("Member drill role", memberRole)
                    .detail("Failed call", e.action())
                    .detail("Error", e.errorCode())
                    .build();
            return Outcome.of("DRILL_NOT_STARTED", eventId).trail(arn, region).severity(n.severity().name())
                    .messageId(notifier.publish(n)).note((memberRole == null ? "" : "account " + account + ": ")
                            + e.getMessage());
        }
        LOG.info("Fire drill: stopped the canary {} at {}; the real path restarts and measures it", arn, at);
        return Outcome.of("DRILL_STARTED", eventId).trail(arn, region)
                .note((memberRole == null ? "" : "account " + account + ": ") + "canary stopped at " + at
                        + "; the drill notification follows from the RemediationReporter");
    }

    Notifier notifier() {
        return notifier;
    }
}
