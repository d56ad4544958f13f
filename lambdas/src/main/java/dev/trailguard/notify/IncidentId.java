package dev.trailguard.notify;

import java.util.Locale;
import java.util.Set;

/**
 * The one identifier every update of an incident shares: the Security Hub finding's {@code Id} and the chat card's
 * {@code threadId}. An incident is what happened to one trail in one account: the stop or change, the restart or
 * restore TrailGuard started, and the runbook's result all carry the same trail ARN, so they update one finding and
 * land in one thread. A later incident on the same trail reopens that finding (Security Hub sets an archived finding
 * that becomes active again back to {@code NEW}).
 *
 * <p>What is not about a trail's state has an identifier of its own: a blocked attempt (nothing changed), added
 * coverage, a delivery
 * error (its own lasting problem, reported hourly), and everything without a trail (per kind and event).
 */
public final class IncidentId {

    /**
     * Kinds about a trail that are not part of its stop-and-restore incident: a blocked attempt changed nothing, and a
     * change that only added coverage needs no restore.
     */
    private static final Set<String> OWN_INCIDENT = Set.of("ATTEMPT_BLOCKED", "COVERAGE_ADDED");

    private IncidentId() {
    }

    /** The incident's identifier: {@code trailguard/<account>/...}, at most 512 characters (ASFF's limit). */
    public static String of(Notification n) {
        String account = n.account() == null || n.account().isBlank() ? "unknown-account" : Text.asciiLine(n.account(), 12);
        String rest;
        boolean trail = n.trail() != null && n.trail().arn() != null && !n.trail().arn().isBlank();
        if (trail && "DELIVERY_FAILING".equals(n.kind())) {
            rest = "delivery/" + n.trail().arn();
        } else if (trail && !OWN_INCIDENT.contains(n.kind())) {
            rest = "trail/" + n.trail().arn();
        } else {
            rest = n.kind().toLowerCase(Locale.ROOT) + "/" + (n.eventId() == null || n.eventId().isBlank()
                    ? "no-event-id" : n.eventId());
        }
        return Text.asciiLine("trailguard/" + account + "/" + rest, 512);
    }
}
