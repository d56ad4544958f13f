package dev.trailguard.contract;

import java.util.List;

/**
 * Organization mode: the rules every member account keeps on its default bus to forward TrailGuard's events to the
 * hub bus. The member stack set creates them under exactly these names; the hub's sweep checks them by name.
 */
public final class Forwarding {

    public static final String TAMPER_CALLS = "TrailGuard-ForwardTamperCalls";
    public static final String RESOURCE_CALLS = "TrailGuard-ForwardResourceCalls";
    public static final String RUNBOOK_RESULTS = "TrailGuard-ForwardRunbookResults";
    public static final String COMPLIANCE_CHANGES = "TrailGuard-ForwardComplianceChanges";
    /** Delivery sabotage: the trails' buckets and keys, CloudTrail Lake, the Config recorder ({@link DeliveryCalls}). */
    public static final String DELIVERY_CALLS = "TrailGuard-ForwardDeliveryCalls";
    /** Every forwarding rule, in the order the member template creates them. */
    public static final List<String> RULE_NAMES = List.of(TAMPER_CALLS, RESOURCE_CALLS, RUNBOOK_RESULTS,
            COMPLIANCE_CHANGES, DELIVERY_CALLS);
    /** The environment variable that gives the hub's functions the hub bus's ARN (what the rules must target). */
    public static final String HUB_BUS_ARN_VARIABLE = "TRAILGUARD_HUB_BUS_ARN";

    private Forwarding() {
    }
}
