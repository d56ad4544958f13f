package dev.trailguard.restore;

import dev.trailguard.config.ResponseConfig;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.UserIdentity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The unrecorded (or under-recorded) window of an incident and the queries a responder runs next: the actor's other
 * activity around the tamper call, in CloudTrail Lake and in Athena over the trail's S3 logs. Both are bounded in
 * time and rows. Other trails, an organization trail or Lake still hold what the tampered trail missed.
 */
public final class GapReport {

    /** How far before and after the call the queries look. */
    static final Duration BEFORE = Duration.ofHours(1);
    static final Duration AFTER = Duration.ofHours(2);
    static final int ROWS = 500;

    private static final DateTimeFormatter LAKE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private GapReport() {
    }

    /**
     * Details for a notification.
     *
     * @param record the tamper call
     * @param what   what happened in the window, for example "Trail deleted: nothing recorded through it"
     * @param config where the queries run
     */
    public static Map<String, String> details(CloudTrailRecord record, String what, ResponseConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        Instant at;
        try {
            at = Instant.parse(record.eventTime());
        } catch (DateTimeParseException e) {
            out.put("Unrecorded window", what + " from " + record.eventTime() + " until the restore completes");
            return out;
        }
        out.put("Unrecorded window", what + " from " + ISO.format(at) + " until the restore completes "
                + "(the follow-up notification gives the time)");
        UserIdentity who = record.userIdentity();
        boolean role = who.sessionIssuerArn() != null && !who.sessionIssuerArn().isBlank();
        String principal = literal(role ? who.sessionIssuerArn() : who.arn());
        Instant from = at.minus(BEFORE);
        Instant to = at.plus(AFTER);
        String lakeColumn = role ? "userIdentity.sessionContext.sessionIssuer.arn" : "userIdentity.arn";
        out.put("CloudTrail Lake SQL", "SELECT eventTime, eventSource, eventName, awsRegion, sourceIPAddress, "
                + "userIdentity.arn, errorCode, requestParameters FROM " + config.lakeEventDataStore()
                + " WHERE eventTime >= '" + LAKE_TIME.format(from) + "' AND eventTime <= '" + LAKE_TIME.format(to)
                + "' AND " + lakeColumn + " = '" + principal + "' ORDER BY eventTime LIMIT " + ROWS);
        String athenaColumn = role ? "useridentity.sessioncontext.sessionissuer.arn" : "useridentity.arn";
        out.put("Athena SQL", "SELECT eventtime, eventsource, eventname, awsregion, sourceipaddress, "
                + "useridentity.arn, errorcode, requestparameters FROM " + config.athenaTable()
                + " WHERE from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp('" + ISO.format(from)
                + "') AND from_iso8601_timestamp('" + ISO.format(to) + "') AND " + athenaColumn + " = '"
                + principal + "' ORDER BY eventtime LIMIT " + ROWS);
        return out;
    }

    /**
     * Details for the follow-up notification on a restore's result: the window, now closed, and the queries over it.
     * The runbook's result does not carry the tamper call (its actor and time are in the first notification), so the
     * window starts at "the tamper call", bounded by when TrailGuard started the runbook, and the queries cover
     * everyone's activity from {@link #BEFORE} before that start to the window's end.
     *
     * @param label          the detail's label, for example "Unrecorded window"
     * @param what           what happened in the window, for example "Trail deleted: nothing recorded through it"
     * @param runbookStarted when the runbook started, if known: the tamper call came shortly before
     * @param end            when the window closed, for example the trail's {@code StartLoggingTime}
     * @param endSource      where {@code end} comes from, for example "StartLoggingTime"
     * @param config         where the queries run
     */
    public static Map<String, String> closed(String label, String what, Optional<Instant> runbookStarted, Instant end,
                                             String endSource, ResponseConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(label, what + " from the tamper call"
                + runbookStarted.map(s -> " (before the runbook started at " + ISO.format(s) + ")").orElse("")
                + " to " + ISO.format(end) + " (" + endSource + ")");
        Instant from = runbookStarted.orElse(end).minus(BEFORE);
        out.put("CloudTrail Lake SQL", "SELECT eventTime, eventSource, eventName, awsRegion, sourceIPAddress, "
                + "userIdentity.arn, errorCode, requestParameters FROM " + config.lakeEventDataStore()
                + " WHERE eventTime >= '" + LAKE_TIME.format(from) + "' AND eventTime <= '" + LAKE_TIME.format(end)
                + "' ORDER BY eventTime LIMIT " + ROWS);
        out.put("Athena SQL", "SELECT eventtime, eventsource, eventname, awsregion, sourceipaddress, "
                + "useridentity.arn, errorcode, requestparameters FROM " + config.athenaTable()
                + " WHERE from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp('" + ISO.format(from)
                + "') AND from_iso8601_timestamp('" + ISO.format(end) + "') ORDER BY eventtime LIMIT " + ROWS);
        return out;
    }

    /** A value from the event made safe inside a single-quoted SQL literal: ARN characters only. */
    static String literal(String raw) {
        return raw == null ? "" : raw.replaceAll("[^A-Za-z0-9:/+=,.@_-]", "_");
    }
}
