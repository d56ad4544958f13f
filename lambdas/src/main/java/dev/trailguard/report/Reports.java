package dev.trailguard.report;

import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.report.ReportService.StatusChange;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailRef;

/** What every RemediationReporter notification shares: the execution, the event, the publishing. */
final class Reports {

    private Reports() {
    }

    static Notification.Builder base(EventEnvelope envelope, StatusChange change, Severity severity,
                                             String kind, Notification.TrailSummary trail) {
        return Notification.builder(severity, kind)
                .detectedBy("Automation")
                .account(envelope.account())
                .region(envelope.region())
                .eventName(envelope.detailType())
                .eventId(envelope.id())
                .eventTime(envelope.time())
                .trail(trail)
                .detail("Runbook status", change.status());
    }

    static Notification.Action action(String outcome, String description, StatusChange change,
                                              String region) {
        return new Notification.Action(outcome, description, change.executionId(), region);
    }

    static Notification.TrailSummary summary(Trail trail) {
        return new Notification.TrailSummary(trail.arn(), trail.name(), trail.homeRegion(), trail.organization());
    }

    static Notification.TrailSummary summary(TrailRef ref, String region) {
        return new Notification.TrailSummary(ref.value(), ref.name(), ref.region().orElse(region), false);
    }


    static Outcome.Builder published(Notifier notifier, String outcome, EventEnvelope envelope, Notification n) {
        return Outcome.of(outcome, envelope.id()).severity(n.severity().name()).messageId(notifier.publish(n));
    }
}
