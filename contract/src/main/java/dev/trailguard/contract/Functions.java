package dev.trailguard.contract;

import java.util.List;

/** TrailGuard's Lambda functions: each is one handler class of the shared jar. */
public final class Functions {

    public static final String TAMPER_RESPONDER = "TamperResponder";
    public static final String COMPLIANCE_RESPONDER = "ComplianceResponder";
    public static final String REMEDIATION_REPORTER = "RemediationReporter";
    public static final String TRAIL_SWEEPER = "TrailSweeper";
    public static final List<String> ALL =
            List.of(TAMPER_RESPONDER, COMPLIANCE_RESPONDER, REMEDIATION_REPORTER, TRAIL_SWEEPER);
    /**
     * The fire drill (issue 16): single-account stacks with a canary trail, and the organization hub (which drills its
     * members through their drill role); not one of {@link #ALL}, which every mode deploys and the organization's member
     * role trusts: the member role never trusts the drill.
     */
    public static final String FIRE_DRILL = "FireDrill";
    /** Package of the handler classes; the deployed handler is {@code <package>.<name>::handleRequest}. */
    public static final String HANDLER_PACKAGE = "dev.trailguard.handler";

    private Functions() {
    }

    /** The Lambda handler string of a function. */
    public static String handler(String name) {
        if (!ALL.contains(name) && !FIRE_DRILL.equals(name)) {
            throw new IllegalArgumentException("not a TrailGuard function: " + name);
        }
        return HANDLER_PACKAGE + "." + name + "::handleRequest";
    }
}
