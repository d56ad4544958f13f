package dev.trailguard.core;

import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.NotificationRenderer;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.SnsNotifier;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.remediation.SsmAutomationExecutions;
import dev.trailguard.remediation.SsmRemediator;
import dev.trailguard.trail.CloudTrailLocator;
import dev.trailguard.trail.TrailLocator;

/**
 * Everything a function needs, wired once per function instance. Handlers take this in their test constructor; the
 * no-arg constructor uses {@link #fromEnvironment()}; the local invoke swaps in dry-run or offline adapters.
 *
 * @param config     validated configuration
 * @param reader     event parsing
 * @param locator    trail lookups
 * @param remediator runbook starts
 * @param notifier   notifications
 * @param executions runbook execution lookups, in the execution's region
 */
public record Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                           Notifier notifier, AutomationExecutions executions) {

    /** Reads and validates the environment, then builds the real AWS adapters. */
    public static Dependencies fromEnvironment() {
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(System.getenv());
        return live(config, new AwsClients());
    }

    /** The real AWS adapters over the given clients. */
    public static Dependencies live(TrailGuardConfig config, AwsClients clients) {
        EventReader reader = new EventReader();
        NotificationRenderer renderer = new NotificationRenderer(reader.mapper());
        // Built at init, with the others: under SnapStart it is then in the snapshot instead of on the first event's
        // path (most trails live in the function's own region; other regions' clients are still built on demand).
        clients.ssm(clients.region());
        return new Dependencies(config, reader,
                new CloudTrailLocator(clients.cloudTrail()),
                new SsmRemediator(clients::ssm, config.automationRoleArn()),
                new SnsNotifier(clients.sns(), config.topicArn(), renderer),
                new SsmAutomationExecutions(clients::ssm));
    }

    public Dependencies withRemediator(Remediator value) {
        return new Dependencies(config, reader, locator, value, notifier, executions);
    }

    public Dependencies withNotifier(Notifier value) {
        return new Dependencies(config, reader, locator, remediator, value, executions);
    }

    public Dependencies withLocator(TrailLocator value) {
        return new Dependencies(config, reader, value, remediator, notifier, executions);
    }

    public Dependencies withExecutions(AutomationExecutions value) {
        return new Dependencies(config, reader, locator, remediator, notifier, value);
    }
}
