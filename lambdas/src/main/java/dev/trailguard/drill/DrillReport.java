package dev.trailguard.drill;

import dev.trailguard.core.Outcome;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drill notification and metrics: INFO when the canary logged again within the target, HIGH when later or when a
 * stage failed while there is still time ({@code DRILL_FAILED}), CRITICAL when the canary is still stopped at the
 * deadline ({@code DRILL_OVERDUE}); the failed ones name the stage that never happened.
 */
public final class DrillReport {

    /** What noticed it, in the notification's {@code detectedBy}. */
    public static final String DETECTED_BY = "FireDrill";

    private static final Logger LOG = LoggerFactory.getLogger(DrillReport.class);

    private final Notifier notifier;
    private final DrillSetup drill;

    public DrillReport(Notifier notifier, DrillSetup drill) {
        this.notifier = notifier;
        this.drill = drill;
    }

    /** The canary logs again: the drill's result, timed against the target; its metrics are published first. */
    public Outcome.Builder restored(DrillMeasurement m, String eventId) {
        drill.metrics().drill(m);
        Duration restore = m.timeToRestore().orElseThrow();
        boolean within = restore.compareTo(drill.config().target()) <= 0;
        String took = DrillMeasurement.seconds(restore) + " s";
        LOG.info("Drill restored the canary in {} (target {} s): {}", took, drill.config().target().toSeconds(),
                m.stages());
        Notification n = base(within ? Severity.INFO : Severity.HIGH, within ? "DRILL_PASSED" : "DRILL_SLOW", m,
                eventId)
                .headline("Fire drill: canary restored in " + took + (within ? "" : ", over the target"))
                .summary("The fire drill stopped the canary trail; TrailGuard's real path (CloudTrail event, "
                        + "EventBridge, TamperResponder, runbook, reporter) had it logging again " + took
                        + " after the StopLogging" + (within ? ", within the target of "
                        + drill.config().target().toSeconds() + " s." : ", over the target of "
                        + drill.config().target().toSeconds() + " s: see which stage took the time."))
                .action(new Notification.Action(within ? "DRILL_PASSED" : "DRILL_SLOW",
                        "Measured only: the canary records nothing.", m.executionId(), m.region()))
                .build();
        return published(within ? "DRILL_PASSED" : "DRILL_SLOW", eventId, n, m);
    }

    /**
     * A stage failed before the deadline: HIGH, naming it. The metrics of the stages reached are published
     * ({@code TimeToDetect} if the event arrived).
     */
    public Outcome.Builder failed(DrillMeasurement m, DrillStage stage, String why, String eventId) {
        drill.metrics().drill(m);
        LOG.warn("Drill failed at {}: {}", stage, why);
        String reason = why.endsWith(".") ? why.substring(0, why.length() - 1) : why;
        Notification n = base(Severity.HIGH, "DRILL_FAILED", m, eventId)
                .headline("Fire drill failed: " + stage.description())
                .summary("The fire drill stopped the canary trail and " + stage.description() + ": " + reason
                        + ". The same would happen to a real StopLogging of your trails. If the canary is still "
                        + "stopped " + drill.config().deadline().toMinutes() + " minutes after the drill, the "
                        + "sweep restarts it and a CRITICAL notification follows.")
                .action(new Notification.Action("DRILL_FAILED", "Stage that never happened: " + stage.name(),
                        m.executionId(), m.region()))
                .detail("Failed stage", stage.name())
                .detail("Why", why)
                .build();
        return published("DRILL_FAILED", eventId, n, m).note("stage " + stage.name());
    }

    /** The canary is still stopped at the deadline: CRITICAL, naming the stage that never happened. */
    public Outcome.Builder overdue(DrillMeasurement m, DrillStage stage, String why, String action, String eventId) {
        LOG.error("Canary still stopped after the drill deadline: {} ({})", stage, why);
        Notification n = base(Severity.CRITICAL, "DRILL_OVERDUE", m, eventId)
                .headline("Canary still stopped after " + drill.config().deadline().toMinutes() + " min: "
                        + stage.description())
                .summary("The canary trail stopped at " + m.stoppedAt() + " and is still not logging "
                        + drill.config().deadline().toMinutes() + " minutes later: " + stage.description() + " ("
                        + why + "). A real StopLogging of your trails would stay unanswered the same way until the "
                        + "sweep: check the tamper rule, the TamperResponder and the automation role now.")
                .action(new Notification.Action("DRILL_OVERDUE", action, m.executionId(), m.region()))
                .detail("Failed stage", stage.name())
                .detail("Why", why)
                .build();
        return published("DRILL_OVERDUE", eventId, n, m).note("stage " + stage.name());
    }

    private Notification.Builder base(Severity severity, String kind, DrillMeasurement m, String eventId) {
        String name = m.trailArn().substring(m.trailArn().lastIndexOf('/') + 1);
        return Notification.builder(severity, kind)
                .account(m.account())
                .region(m.region())
                .eventName("StopLogging")
                .eventId(eventId)
                .eventTime(m.stoppedAt().toString())
                .trail(new Notification.TrailSummary(m.trailArn(), name, m.region(), false))
                .detectedBy(DETECTED_BY)
                .details(m.stages())
                .detail("Time to detect", m.timeToDetect().map(d -> DrillMeasurement.seconds(d) + " s").orElse(null))
                .detail("Time to restore", m.timeToRestore().map(d -> DrillMeasurement.seconds(d) + " s")
                        .orElse(null))
                .detail("Target", drill.config().target().toSeconds() + " s")
                .detail("Deadline", drill.config().deadline().toMinutes() + " min");
    }

    private Outcome.Builder published(String outcome, String eventId, Notification n, DrillMeasurement m) {
        String messageId = notifier.publish(n);
        return Outcome.of(outcome, eventId).severity(n.severity().name()).messageId(messageId)
                .trail(m.trailArn(), m.region()).execution(m.executionId(), null);
    }
}
