package dev.trailguard.contract;

import java.util.List;

/** The CloudTrail calls that stop, delete or weaken a trail: the tamper rule forwards them, the SCP denies them. */
public final class TamperCalls {

    public static final String STOP_LOGGING = "StopLogging";
    public static final String DELETE_TRAIL = "DeleteTrail";
    public static final String UPDATE_TRAIL = "UpdateTrail";
    public static final String PUT_EVENT_SELECTORS = "PutEventSelectors";
    public static final String PUT_INSIGHT_SELECTORS = "PutInsightSelectors";

    /** Every tamper call, as {@code detail.eventName}. */
    public static final List<String> ALL =
            List.of(STOP_LOGGING, DELETE_TRAIL, UPDATE_TRAIL, PUT_EVENT_SELECTORS, PUT_INSIGHT_SELECTORS);
    /** The calls that only an undo can follow: the SCP denies them to everyone but break-glass. */
    public static final List<String> DESTRUCTIVE = List.of(STOP_LOGGING, DELETE_TRAIL);
    /** The calls TrailGuard's own runbooks make when they restore a trail: the SCP exempts the automation role. */
    public static final List<String> RESTORING = List.of(UPDATE_TRAIL, PUT_EVENT_SELECTORS, PUT_INSIGHT_SELECTORS);
    /**
     * Creates a trail. Watched on guarded names only (a look-alike put in place of a deleted guarded trail before the
     * recreate runs), and not denied by the SCP: creating a trail is no tampering, and the look-alike needs the
     * DeleteTrail that the SCP already denies.
     */
    public static final String CREATE_TRAIL = "CreateTrail";

    private TamperCalls() {
    }
}
