package dev.trailguard.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One incident or result, as every TrailGuard function reports it. Renders to an e-mail text, a JSON document and
 * SNS message attributes ({@link NotificationRenderer}).
 *
 * @param severity  how urgent
 * @param kind      machine-readable category, for example {@code LOGGING_STOPPED}
 * @param headline  what happened, short (becomes the subject)
 * @param summary   what happened and what it means, a sentence or two
 * @param account   the AWS account
 * @param region    the region the event came from
 * @param eventName the API call or event type, if any
 * @param eventId   the CloudTrail event id or EventBridge id
 * @param eventTime when it happened
 * @param actor     who did it, if known
 * @param trail     which trail, if known
 * @param action    what TrailGuard did
 * @param details   further labelled facts, in order
 * @param detectedBy what noticed it: {@code CloudTrailEvent}, {@code ConfigRule}, {@code Sweep} or {@code Automation};
 *                   null when not set
 * @param loggingGap the window a trail did not record, once it is known; null otherwise
 */
public record Notification(
        Severity severity,
        String kind,
        String headline,
        String summary,
        String account,
        String region,
        String eventName,
        String eventId,
        String eventTime,
        Actor actor,
        TrailSummary trail,
        Action action,
        Map<String, String> details,
        String detectedBy,
        LoggingGap loggingGap,
        AccountContext accountContext) {

    /**
     * Version of the JSON document's shape; bump on incompatible change. Adding an optional field is compatible and
     * keeps the version (consumers ignore fields they do not know).
     */
    public static final String SCHEMA_VERSION = "1.0";

    public Notification {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * Who made the call.
     *
     * @param principalArn     the principal ARN
     * @param type             the identity type
     * @param accountId        the principal's account
     * @param sessionIssuerArn the role behind a session
     * @param invokedBy        the service acting for the principal
     * @param sourceIp         the source IP address
     * @param userAgent        the user agent
     */
    public record Actor(String principalArn, String type, String accountId, String sessionIssuerArn,
                        String invokedBy, String sourceIp, String userAgent) {
    }

    /**
     * The trail concerned.
     *
     * @param arn          its ARN (or the name, when only that is known)
     * @param name         its name
     * @param homeRegion   its home region, if known
     * @param organization whether it is an organization trail
     */
    public record TrailSummary(String arn, String name, String homeRegion, boolean organization) {
    }

    /**
     * What TrailGuard did about it.
     *
     * @param outcome         machine-readable outcome, for example {@code REMEDIATION_STARTED}
     * @param description     the same for people
     * @param executionId     the automation execution, if one was started
     * @param executionRegion where it runs
     */
    public record Action(String outcome, String description, String executionId, String executionRegion) {
    }

    /**
     * The window in which a trail recorded nothing: from {@code StopLoggingTime} to {@code StartLoggingTime} as
     * {@code GetTrailStatus} reports them.
     *
     * @param stoppedAt   when logging stopped
     * @param restartedAt when logging started again
     */
    public record LoggingGap(java.time.Instant stoppedAt, java.time.Instant restartedAt) {

        /** The gap in whole seconds. */
        public long seconds() {
            return java.time.Duration.between(stoppedAt, restartedAt).getSeconds();
        }

        /**
         * The gap between the two times, or null unless both are known and the restart follows the stop (a start
         * before the last stop means the trail is stopped now, and the gap is still open).
         */
        public static LoggingGap between(java.util.Optional<java.time.Instant> stopped,
                                         java.util.Optional<java.time.Instant> restarted) {
            if (stopped.isEmpty() || restarted.isEmpty() || restarted.get().isBefore(stopped.get())) {
                return null;
            }
            return new LoggingGap(stopped.get(), restarted.get());
        }
    }

    /**
     * The account's place in the organization (organization hub only; null elsewhere or when it could not be read).
     *
     * @param name               the account's name (Organizations {@code DescribeAccount})
     * @param organizationalUnit its parent: an OU id, or the root's id (Organizations {@code ListParents})
     */
    public record AccountContext(String name, String organizationalUnit) {
    }

    /** The same notification with the account's place in the organization. */
    public Notification withAccountContext(AccountContext value) {
        return new Notification(severity, kind, headline, summary, account, region, eventName, eventId, eventTime,
                actor, trail, action, details, detectedBy, loggingGap, value);
    }

    /** The same notification with {@code more} labelled facts after its own (an existing label keeps its value). */
    public Notification withDetails(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(details);
        more.forEach(all::putIfAbsent);
        return new Notification(severity, kind, headline, summary, account, region, eventName, eventId, eventTime,
                actor, trail, action, all, detectedBy, loggingGap, accountContext);
    }

    /** A builder, for the many optional fields. */
    public static Builder builder(Severity severity, String kind) {
        return new Builder(severity, kind);
    }

    /** Builds a {@link Notification}; unset fields stay null. */
    public static final class Builder {
        private final Severity severity;
        private final String kind;
        private String headline;
        private String summary;
        private String account;
        private String region;
        private String eventName;
        private String eventId;
        private String eventTime;
        private Actor actor;
        private TrailSummary trail;
        private Action action;
        private final Map<String, String> details = new LinkedHashMap<>();
        private String detectedBy;
        private LoggingGap loggingGap;

        private Builder(Severity severity, String kind) {
            this.severity = severity;
            this.kind = kind;
        }

        public Builder headline(String value) {
            this.headline = value;
            return this;
        }

        public Builder summary(String value) {
            this.summary = value;
            return this;
        }

        public Builder account(String value) {
            this.account = value;
            return this;
        }

        public Builder region(String value) {
            this.region = value;
            return this;
        }

        public Builder eventName(String value) {
            this.eventName = value;
            return this;
        }

        public Builder eventId(String value) {
            this.eventId = value;
            return this;
        }

        public Builder eventTime(String value) {
            this.eventTime = value;
            return this;
        }

        public Builder actor(Actor value) {
            this.actor = value;
            return this;
        }

        public Builder trail(TrailSummary value) {
            this.trail = value;
            return this;
        }

        public Builder action(Action value) {
            this.action = value;
            return this;
        }

        public Builder detail(String label, String value) {
            if (value != null && !value.isBlank()) {
                details.put(label, value);
            }
            return this;
        }

        public Builder details(Map<String, String> values) {
            values.forEach(this::detail);
            return this;
        }

        public Builder detectedBy(String value) {
            this.detectedBy = value;
            return this;
        }

        public Builder loggingGap(LoggingGap value) {
            this.loggingGap = value;
            return this;
        }

        public Notification build() {
            return new Notification(severity, kind, headline, summary, account, region, eventName, eventId,
                    eventTime, actor, trail, action, details, detectedBy, loggingGap, null);
        }
    }
}
