package dev.trailguard.handler;

import dev.trailguard.core.Outcome;
import dev.trailguard.delivery.DeliveryService;
import dev.trailguard.guard.GuardService;
import dev.trailguard.restore.RestoreService;
import dev.trailguard.tamper.TamperService;
import java.util.function.Function;

/**
 * Lambda handler for tamper calls: CloudTrail's own (StopLogging, DeleteTrail, UpdateTrail, Put*Selectors) and, routed
 * by the event's source, calls against TrailGuard's own resources (EventBridge, Lambda, IAM, SNS, Config, SSM) and
 * delivery sabotage (S3 buckets and KMS keys of the trails, CloudTrail Lake, the Config recorder).
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

    /**
     * Delivery sabotage (trail buckets and keys, Lake, the Config recorder) goes to the delivery response, calls
     * against TrailGuard's own resources to the guard, CloudTrail's tamper calls to the tamper response.
     */
    private static Function<byte[], Outcome> route(Dependencies deps) {
        RestoreService restore = new RestoreService(deps.baselines(), deps.restorer(), deps.notifier(),
                deps.config(), deps.response(), deps.configurations());
        TamperService tamper = new TamperService(deps.reader(), deps.locator(), deps.remediator(), deps.notifier(),
                deps.executions(), deps.config(), restore, deps.drill());
        GuardService guard = new GuardService(deps.reader(), deps.notifier(), deps.config(), deps.response(),
                deps.reenabler(), deps.selfGuard(), deps.repair(), deps.secondChannel());
        DeliveryService delivery = new DeliveryService(deps.reader(), deps.notifier(), deps.config(),
                deps.response(), deps.locator(), deps.baselines(), deps.configurations(), deps.deliveryRepairs(),
                deps.declaredDelivery());
        // Delivery first: StopConfigurationRecorder is also a call the guard watches, and the delivery response
        // restarts the recorder where the guard could only report it. A KMS call on the notification topic's own key
        // is the guard's (second channel), not a trail key's.
        return raw -> delivery.accepts(raw) && !guard.claimsKeyEvent(raw) ? delivery.handle(raw)
                : guard.accepts(raw) ? guard.handle(raw) : tamper.handle(raw);
    }
}
