package dev.trailguard.handler;

import dev.trailguard.core.Outcome;
import dev.trailguard.guard.GuardService;
import dev.trailguard.restore.RestoreService;
import dev.trailguard.tamper.TamperService;
import java.util.function.Function;

/**
 * Lambda handler for tamper calls: CloudTrail's own (StopLogging, DeleteTrail, UpdateTrail, Put*Selectors) and, routed
 * by the event's source, calls against TrailGuard's own resources (EventBridge, Lambda, IAM, SNS, Config, SSM).
 */
public final class TamperResponder extends EventFunction {

    public static final String NAME = "TamperResponder";

    /** Used by Lambda: reads and validates the environment once, at init. */
    public TamperResponder() {
        this(Dependencies.fromEnvironment());
    }

    public TamperResponder(Dependencies deps) {
        super(NAME, deps, TamperResponder::route);
    }

    /** Calls against TrailGuard's own resources go to the guard, CloudTrail's tamper calls to the tamper response. */
    private static Function<byte[], Outcome> route(Dependencies deps) {
        RestoreService restore = new RestoreService(deps.baselines(), deps.restorer(), deps.notifier(),
                deps.config(), deps.response());
        TamperService tamper = new TamperService(deps.reader(), deps.locator(), deps.remediator(), deps.notifier(),
                deps.executions(), deps.config(), restore, deps.drill());
        GuardService guard = new GuardService(deps.reader(), deps.notifier(), deps.config(), deps.response(),
                deps.reenabler());
        return raw -> guard.accepts(raw) ? guard.handle(raw) : tamper.handle(raw);
    }
}
