package dev.trailguard.handler;

import dev.trailguard.core.Dependencies;
import dev.trailguard.core.Outcome;
import dev.trailguard.guard.GuardService;
import dev.trailguard.restore.RestoreService;
import dev.trailguard.tamper.TamperService;

/**
 * Lambda handler for tamper calls: CloudTrail's own (StopLogging, DeleteTrail, UpdateTrail, Put*Selectors) and, routed
 * by the event's source, calls against TrailGuard's own resources (EventBridge, Lambda, IAM, SNS, Config, SSM).
 */
public final class TamperResponder extends EventFunction {

    public static final String NAME = "TamperResponder";

    private final TamperService service;
    private final GuardService guard;

    /** Used by Lambda: reads and validates the environment once, at init. */
    public TamperResponder() {
        this(Dependencies.fromEnvironment());
    }

    public TamperResponder(Dependencies deps) {
        RestoreService restore = new RestoreService(deps.baselines(), deps.restorer(), deps.notifier(),
                deps.config(), deps.response());
        this.service = new TamperService(deps.reader(), deps.locator(), deps.remediator(), deps.notifier(),
                deps.executions(), deps.config(), restore);
        this.guard = new GuardService(deps.reader(), deps.notifier(), deps.config(), deps.response(),
                deps.reenabler());
    }

    @Override
    public Outcome handle(byte[] rawEvent) {
        return guard.accepts(rawEvent) ? guard.handle(rawEvent) : service.handle(rawEvent);
    }

    @Override
    public String name() {
        return NAME;
    }
}
