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
 * which recognises the drill by this function's role and the canary together and measures it. The event (the weekly
 * schedule, or anything on demand) is not read: there is nothing in it to trust or to need.
 */
public final class FireDrillService {

    private static final Logger LOG = LoggerFactory.getLogger(FireDrillService.class);

    private final DrillSetup drill;
    private final Notifier notifier;

    public FireDrillService(DrillSetup drill, Notifier notifier) {
        this.drill = drill;
        this.notifier = notifier;
    }

    /** Runs one drill. */
    public Outcome handle(byte[] ignoredEvent) {
        Instant at = drill.clock().instant();
        String eventId = "drill-" + at;
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
        String arn = drill.config().canaryTrailArn().get();
        String[] parts = arn.split(":", 6);
        String region = parts[3];
        try {
            drill.canary().stopLogging(arn, region);
        } catch (CallFailedException e) {
            LOG.error("Fire drill could not stop the canary {}: {}", arn, e.getMessage());
            Notification n = Notification.builder(Severity.HIGH, "DRILL_NOT_STARTED")
                    .account(parts[4])
                    .region(region)
                    .eventName("StopLogging")
                    .eventTime(at.toString())
                    .trail(new Notification.TrailSummary(arn, arn.substring(arn.lastIndexOf('/') + 1), region,
                            false))
                    .detectedBy(DrillReport.DETECTED_BY)
                    .headline("Fire drill not run: the canary could not be stopped")
                    .summary("The fire drill could not stop the canary trail (" + e.getMessage() + "), so this "
                            + "week's measurement is missing. An SCP without the drill's exemption, or a deleted "
                            + "canary, are the usual causes.")
                    .action(new Notification.Action("DRILL_NOT_STARTED", "Nothing stopped.", null, null))
                    .detail("Failed call", e.action())
                    .detail("Error", e.errorCode())
                    .build();
            return Outcome.of("DRILL_NOT_STARTED", eventId).trail(arn, region).severity(n.severity().name())
                    .messageId(notifier.publish(n)).note(e.getMessage()).build();
        }
        LOG.info("Fire drill: stopped the canary {} at {}; the real path restarts and measures it", arn, at);
        return Outcome.of("DRILL_STARTED", eventId).trail(arn, region)
                .note("canary stopped at " + at + "; the drill notification follows from the RemediationReporter")
                .build();
    }
}
