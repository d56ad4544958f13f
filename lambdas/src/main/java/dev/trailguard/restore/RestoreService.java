package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.edge.UnreadableEvents;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.event.UserIdentity;
import dev.trailguard.notify.CallNotifications;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.trail.InvalidTrailReferenceException;
import dev.trailguard.trail.TrailRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Responds to successful {@code UpdateTrail}, {@code PutEventSelectors}, {@code PutInsightSelectors} and
 * {@code DeleteTrail} calls: compares the result with the trail's baseline, starts TrailGuard's restore (or recreate)
 * runbook when the call weakened or redirected the trail, and reports the difference setting by setting. A change that
 * only adds coverage, or one made by a deployment or break-glass role, is reported and kept. Every path publishes
 * exactly one notification.
 */
public final class RestoreService {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreService.class);

    private final BaselineSource baselines;
    private final TrailRestorer restorer;
    private final Notifier notifier;
    private final TrailGuardConfig config;
    private final ResponseConfig response;
    private final Reconciler reconciler;

    /** The same service, publishing through another notifier (an escalation for one event). */
    public RestoreService withNotifier(Notifier other) {
        return new RestoreService(baselines, restorer, other, config, response, reconciler);
    }

    /** Without a reader of current trail configurations: a restart is never compared with the baseline. */
    public RestoreService(BaselineSource baselines, TrailRestorer restorer, Notifier notifier, TrailGuardConfig config,
                          ResponseConfig response) {
        this(baselines, restorer, notifier, config, response, Reconciler.none());
    }

    /** With {@code configurations}, restarts on the StopLogging path are reconciled with the baseline first. */
    public RestoreService(BaselineSource baselines, TrailRestorer restorer, Notifier notifier, TrailGuardConfig config,
                          ResponseConfig response, TrailConfigurations configurations) {
        this(baselines, restorer, notifier, config, response,
                new Reconciler(baselines, configurations, restorer, response));
    }

    private RestoreService(BaselineSource baselines, TrailRestorer restorer, Notifier notifier,
                           TrailGuardConfig config, ResponseConfig response, Reconciler reconciler) {
        this.baselines = baselines;
        this.restorer = restorer;
        this.notifier = notifier;
        this.config = config;
        this.response = response;
        this.reconciler = reconciler;
    }

    /** The reconciler that the restarts of the StopLogging path use: the same baseline and restorer as this. */
    public Reconciler reconciler() {
        return reconciler;
    }

    /**
     * A successful UpdateTrail, PutEventSelectors or PutInsightSelectors.
     *
     * @param requested the call's request parameters as labelled lines, shown when there is no baseline to compare to
     */
    public Outcome changed(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref,
                           Map<String, String> requested) {
        TrailId trail;
        try {
            trail = trailId(envelope, record, ref);
        } catch (InvalidTrailReferenceException e) {
            return rejected(envelope, record, e);
        }
        MDC.put("trailArn", trail.arn());
        Instant at = eventTime(record);
        Baseline baseline = at == null ? Baseline.none() : baselines.baselineBefore(trail, at);
        BaselineDiff diff = diff(record, baseline);
        if (diff == null) {
            String missing = switch (record.eventName()) {
                case "UpdateTrail" -> "settings";
                case "PutEventSelectors" -> "event selectors";
                default -> "Insights selectors";
            };
            Notification n = base(Severity.HIGH, "TRAIL_CHANGED", envelope, record, trail)
                    .headline(record.eventName() + " on " + trail.name() + ", no baseline")
                    .summary(record.actorName() + " called " + record.eventName() + " on trail " + trail.name()
                            + ". TrailGuard has no baseline of the trail's " + missing + " to compare with, so it "
                            + "cannot tell what was lost and restored nothing. Review the parameters below.")
                    .action(new Notification.Action("CHANGE_REPORTED", "Reported only: no baseline " + missing
                            + " (AWS Config records the settings, and the selectors and Insights only when they were "
                            + "the defaults; custom ones need a declared baseline).", null, null))
                    .details(requested)
                    .details(baseline.provenance())
                    .build();
            return published("CHANGE_REPORTED", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        if (diff.isEmpty()) {
            Notification n = base(Severity.INFO, "TRAIL_UNCHANGED", envelope, record, trail)
                    .headline(record.eventName() + " on " + trail.name() + ", baseline kept")
                    .summary(record.actorName() + " called " + record.eventName() + " on trail " + trail.name()
                            + " without changing anything the baseline covers.")
                    .action(new Notification.Action("NO_CHANGE", "Nothing to restore.", null, null))
                    .details(baseline.provenance())
                    .build();
            return published("NO_CHANGE", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        if (!diff.needsRestore()) {
            Notification n = base(Severity.INFO, "COVERAGE_ADDED", envelope, record, trail)
                    .headline(record.eventName() + " on " + trail.name() + " added coverage")
                    .summary(record.actorName() + " called " + record.eventName() + " on trail " + trail.name()
                            + ". It only adds to what the trail records, so TrailGuard keeps it.")
                    .action(new Notification.Action("COVERAGE_ADDED", "Kept: the change only adds coverage.", null,
                            null))
                    .details(diff.asDetails(false))
                    .details(baseline.provenance())
                    .build();
            return published("COVERAGE_ADDED", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        if (authorized(record)) {
            return authorizedChange(envelope, record, trail, "changed", diff, baseline);
        }
        if (!guarded(trail)) {
            return notGuarded(envelope, record, trail, diff);
        }
        return restore(envelope, record, trail, baseline, diff, false);
    }

    /** A successful DeleteTrail. */
    public Outcome deleted(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        TrailId trail;
        try {
            trail = trailId(envelope, record, ref);
        } catch (InvalidTrailReferenceException e) {
            return rejected(envelope, record, e);
        }
        MDC.put("trailArn", trail.arn());
        Instant at = eventTime(record);
        Baseline baseline = at == null ? Baseline.none() : baselines.baselineBefore(trail, at);
        if (authorized(record)) {
            return authorizedChange(envelope, record, trail, "deleted", new BaselineDiff(List.of()),
                    baseline);
        }
        if (baseline.settings().isEmpty() || !guarded(trail)) {
            String why = !guarded(trail) ? "the trail is not in TRAILGUARD_GUARDED_TRAILS"
                    : "no baseline settings to recreate it from (no AWS Config item before the deletion and none "
                    + "declared)";
            Notification n = base(Severity.CRITICAL, "TRAIL_DELETED", envelope, record, trail)
                    .headline("Trail " + trail.name() + " deleted")
                    .summary(record.actorName() + " deleted trail " + trail.name() + ". Nothing records through it "
                            + "any more. TrailGuard did not recreate it: " + why + ". Recreate it now.")
                    .action(new Notification.Action("TRAIL_DELETED", "Reported only: " + why + ".", null, null))
                    .details(baseline.provenance())
                    .details(GapReport.details(record, "Trail deleted: nothing recorded through it", response))
                    .build();
            return published("TRAIL_DELETED", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        return restore(envelope, record, trail, baseline, null, true);
    }

    /**
     * How a restore is told: its notification kind, severity, first sentence, headline subject, the window's
     * description, and what the started runbook does.
     */
    private record Story(String kind, Severity severity, String happened, String subject, String gap,
                         String purpose, String meanwhile) {

        static Story of(CloudTrailRecord record, TrailId trail, boolean recreate) {
            return recreate
                    ? new Story("TRAIL_DELETED", Severity.CRITICAL, record.actorName() + " deleted trail "
                    + trail.name() + ".", "Trail " + trail.name() + " deleted", "Trail deleted: nothing recorded "
                    + "through it", "recreate the trail from its baseline and start logging.",
                    " Nothing recorded through it until it is recreated;")
                    : new Story("TRAIL_WEAKENED", Severity.HIGH, record.actorName() + " weakened trail "
                    + trail.name() + " with " + record.eventName() + ".", record.eventName() + " weakened "
                    + trail.name(), "Trail weakened (see the changes above)", "put the baseline back and check it.",
                    " It records less (or elsewhere) until the baseline is back;");
        }
    }

    /**
     * A successful CreateTrail on a guarded name. When the name had a trail before (a baseline from before the call),
     * this is a look-alike put in place of the deleted trail, possibly before TrailGuard's recreate ran: it is put back
     * to the baseline with {@value TrailRestorer#RESTORE_RUNBOOK}, which also starts its logging (a new trail does not
     * log until StartLogging). A trail whose name has no baseline is new: reported, kept.
     */
    public Outcome created(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        TrailId trail;
        try {
            trail = trailId(envelope, record, ref);
        } catch (InvalidTrailReferenceException e) {
            return rejected(envelope, record, e);
        }
        MDC.put("trailArn", trail.arn());
        if (!guarded(trail)) {
            Notification n = base(Severity.INFO, "TRAIL_CREATED", envelope, record, trail)
                    .headline("Trail " + trail.name() + " created")
                    .summary(record.actorName() + " created trail " + trail.name() + ", which is not in "
                            + "TRAILGUARD_GUARDED_TRAILS.")
                    .action(new Notification.Action("TRAIL_CREATED", "Reported only: trail not guarded.", null, null))
                    .build();
            return published("TRAIL_CREATED", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        Instant at = eventTime(record);
        Baseline baseline = at == null ? Baseline.none() : baselines.baselineBefore(trail, at);
        if (baseline.isEmpty()) {
            Notification n = base(Severity.INFO, "TRAIL_CREATED", envelope, record, trail)
                    .headline("Trail " + trail.name() + " created")
                    .summary(record.actorName() + " created trail " + trail.name() + ". No trail of this name had a "
                            + "baseline before (none declared, no AWS Config item), so it is a new trail: kept.")
                    .action(new Notification.Action("TRAIL_CREATED", "Kept: a new trail, no baseline to compare.",
                            null, null))
                    .details(baseline.provenance())
                    .build();
            return published("TRAIL_CREATED", record, n).trail(trail.arn(), trail.homeRegion()).build();
        }
        BaselineDiff diff = BaselineDiff.against(baseline, Baseline.created(record.requestParameters()));
        if (authorized(record)) {
            return authorizedChange(envelope, record, trail, "created", diff == null ? new BaselineDiff(List.of())
                    : diff, baseline);
        }
        Story story = new Story("TRAIL_REPLACED", Severity.CRITICAL, record.actorName() + " created trail "
                + trail.name() + " where a guarded trail of that name was (deleted since): a look-alike that "
                + (diff != null && diff.needsRestore() ? "records less, or elsewhere, than the baseline."
                : "does not log until StartLogging."), "Look-alike trail " + trail.name() + " created",
                "Look-alike trail (see the changes above)", "put the baseline back and start logging.",
                " It records nothing through the guarded name until the baseline is back;");
        return restore(envelope, record, trail, baseline, diff, false, story);
    }

    private Outcome restore(EventEnvelope envelope, CloudTrailRecord record, TrailId trail, Baseline baseline,
                            BaselineDiff diff, boolean recreate) {
        return restore(envelope, record, trail, baseline, diff, recreate, Story.of(record, trail, recreate));
    }

    private Outcome restore(EventEnvelope envelope, CloudTrailRecord record, TrailId trail, Baseline baseline,
                            BaselineDiff diff, boolean recreate, Story story) {
        String runbook = recreate ? TrailRestorer.RECREATE_RUNBOOK : TrailRestorer.RESTORE_RUNBOOK;
        String kind = story.kind();
        String happened = story.happened();
        String gap = story.gap();
        // A declared baseline's logs role is checked when the stack is synthesized; AWS Config's can be any role.
        String logsRole = baseline.settings().map(TrailSettings::cloudWatchLogsRoleArn).orElse(null);
        if (baseline.settingsRecordedByConfig() && logsRole != null && !response.isPassableLogsRole(logsRole)) {
            return logsRoleNotPassable(envelope, record, trail, baseline, diff, recreate, logsRole);
        }
        RemediationStart start;
        try {
            start = restorer.restore(new RestoreRequest(trail, restorable(baseline, record), recreate,
                    record.eventId(), record.eventName()));
        } catch (UnrestorableBaselineException | CallFailedException e) {
            LOG.error("{} could not start for {}: {}", runbook, trail.arn(), e.getMessage());
            Notification.Builder n = base(Severity.CRITICAL, kind, envelope, record, trail)
                    .headline(story.subject() + ", restore could not start")
                    .summary(happened + " TrailGuard could not start " + runbook + ": " + e.getMessage()
                            + ". Restore the trail by hand now.")
                    .action(new Notification.Action("RESTORE_NOT_STARTED", "Restore could not start: "
                            + e.getMessage(), null, null));
            if (e instanceof CallFailedException failed) {
                n.detail("Failed call", failed.action()).detail("Error", failed.errorCode());
            }
            if (diff != null) {
                n.details(diff.asDetails(false));
            }
            n.details(baseline.provenance()).details(GapReport.details(record, gap, response));
            return published("RESTORE_NOT_STARTED", record, n.build()).trail(trail.arn(), trail.homeRegion())
                    .note(e.getMessage()).build();
        }
        start.executionId().ifPresent(id -> MDC.put("executionId", id));
        String outcome = start.dryRun() ? "WOULD_START_RESTORE"
                : start.alreadyStarted() ? "RESTORE_ALREADY_STARTED" : recreate ? "RECREATE_STARTED"
                : "RESTORE_STARTED";
        String did = start.dryRun() ? "Dry run: would start " + runbook + " in " + start.region() + "."
                : start.alreadyStarted() ? "Already started " + runbook + " in " + start.region()
                + " for this event (duplicate delivery); not started again."
                : "Started " + runbook + " in " + start.region() + " to " + story.purpose();
        Notification.Builder n = base(story.severity(), kind, envelope, record, trail)
                .headline(story.subject() + (recreate ? ", recreate started" : ", restore started"))
                .summary(happened + story.meanwhile() + " a follow-up notification confirms the runbook's result.")
                .action(new Notification.Action(outcome, did, start.executionId().orElse(null), start.region()));
        if (diff != null) {
            n.details(diff.asDetails(true));
        }
        n.details(baseline.provenance()).details(GapReport.details(record, gap, response));
        LOG.info("{} for {} in {} (execution {})", outcome, trail.arn(), start.region(),
                start.executionId().orElse("-"));
        return published(outcome, record, n.build()).trail(trail.arn(), trail.homeRegion())
                .execution(start.executionId().orElse(null), start.clientToken()).dryRun(start.dryRun()).build();
    }

    /**
     * The baseline's settings name a CloudWatch Logs role that the automation role may not pass: UpdateTrail and
     * CreateTrail would fail with AccessDenied on iam:PassRole, so nothing is started and the notification says which
     * role the stack must allow.
     */
    private Outcome logsRoleNotPassable(EventEnvelope envelope, CloudTrailRecord record, TrailId trail,
                                        Baseline baseline, BaselineDiff diff, boolean recreate, String logsRole) {
        LOG.error("Not restoring {}: CloudWatch Logs role {} is not in {}", trail.arn(), logsRole,
                ResponseConfig.PASSABLE_LOGS_ROLE_ARNS);
        String kind = recreate ? "TRAIL_DELETED" : "TRAIL_WEAKENED";
        String what = "The trail's baseline as AWS Config recorded it (" + baseline.settingsSource() + ") delivers to CloudWatch Logs with role "
                + logsRole + ", which TrailGuard's automation role may not pass to CloudTrail, so "
                + (recreate ? "CreateTrail" : "UpdateTrail") + " would fail with AccessDenied on iam:PassRole.";
        Notification.Builder n = base(Severity.CRITICAL, kind, envelope, record, trail)
                .headline((recreate ? "Trail " + trail.name() + " deleted" : record.eventName() + " weakened "
                        + trail.name()) + ", logs role not passable")
                .summary((recreate ? record.actorName() + " deleted trail " + trail.name() + "."
                        : record.actorName() + " weakened trail " + trail.name() + " with " + record.eventName()
                        + ".") + " TrailGuard did not start a restore: " + what + " Restore the trail by hand now, "
                        + "and add the role to the stack's trailCloudWatchLogsRoleArns context so that the next "
                        + "restore works.")
                .action(new Notification.Action("LOGS_ROLE_NOT_PASSABLE", "Restore not started: CloudWatch Logs role "
                        + logsRole + " is not passable; add it to the stack's trailCloudWatchLogsRoleArns context.",
                        null, null))
                .detail("CloudWatch Logs role", logsRole)
                .detail("Fix", "cdk deploy -c trailCloudWatchLogsRoleArns=" + logsRole + " (with the other roles "
                        + "already listed), which grants the automation role iam:PassRole on it and sets "
                        + ResponseConfig.PASSABLE_LOGS_ROLE_ARNS);
        if (diff != null) {
            n.details(diff.asDetails(false));
        }
        n.details(baseline.provenance()).details(GapReport.details(record, recreate
                ? "Trail deleted: nothing recorded through it" : "Trail weakened (see the changes above)", response));
        return published("LOGS_ROLE_NOT_PASSABLE", record, n.build()).trail(trail.arn(), trail.homeRegion())
                .note("CloudWatch Logs role not passable: " + logsRole).build();
    }

    private Outcome authorizedChange(EventEnvelope envelope, CloudTrailRecord record, TrailId trail, String verb,
                                     BaselineDiff diff, Baseline baseline) {
        Notification n = base(Severity.MEDIUM, "AUTHORIZED_CHANGE", envelope, record, trail)
                .headline("Trail " + trail.name() + " " + verb + " by an authorized role")
                .summary(record.actorName() + " " + verb + " trail " + trail.name() + " with " + record.eventName()
                        + ". The caller is a deployment or break-glass role (TRAILGUARD_AUTHORIZED_ROLE_ARNS), so "
                        + "TrailGuard keeps the change. Confirm it was planned.")
                .action(new Notification.Action("AUTHORIZED_CHANGE", "Kept: made by an authorized role.", null,
                        null))
                .details(diff.asDetails(false))
                .details(baseline.provenance())
                .build();
        return published("AUTHORIZED_CHANGE", record, n).trail(trail.arn(), trail.homeRegion()).build();
    }

    private Outcome notGuarded(EventEnvelope envelope, CloudTrailRecord record, TrailId trail, BaselineDiff diff) {
        Notification n = base(Severity.MEDIUM, "TRAIL_CHANGED", envelope, record, trail)
                .headline(record.eventName() + " weakened unguarded trail " + trail.name())
                .summary(record.actorName() + " weakened trail " + trail.name() + ", which is not in "
                        + "TRAILGUARD_GUARDED_TRAILS, so TrailGuard did not restore it.")
                .action(new Notification.Action("CHANGE_REPORTED", "Reported only: trail not guarded.", null, null))
                .details(diff.asDetails(false))
                .build();
        return published("CHANGE_REPORTED", record, n).trail(trail.arn(), trail.homeRegion()).build();
    }

    /** The gap report for a notification made elsewhere (the StopLogging path): window and next queries. */
    public Map<String, String> gap(CloudTrailRecord record, String what) {
        return GapReport.details(record, what, response);
    }

    /**
     * The baseline to put back. The default selector that AWS Config's flag implies is put back only for the call that
     * changed the selectors: Config records a change minutes late, so on any other call it could undo selectors an
     * administrator set since its item (CreateTrail gives a recreated trail the default selector anyway).
     */
    static Baseline restorable(Baseline baseline, CloudTrailRecord record) {
        return baseline.selectorsRecordedByConfig() && !"PutEventSelectors".equals(record.eventName())
                ? baseline.withoutSelectors() : baseline;
    }

    /** The diff of this call against the baseline; null when the baseline lacks the part the call changes. */
    static BaselineDiff diff(CloudTrailRecord record, Baseline baseline) {
        JsonNode params = record.requestParameters();
        switch (record.eventName()) {
            case "UpdateTrail":
                return baseline.settings().map(s -> BaselineDiff.settings(s, s.afterUpdate(params))).orElse(null);
            case "PutEventSelectors":
                EventSelectors after = EventSelectors.parse(params);
                return after == null ? null
                        : baseline.selectors().map(s -> BaselineDiff.selectors(s, after)).orElse(null);
            case "PutInsightSelectors":
                Set<String> types = new LinkedHashSet<>();
                Fields.objects(params, "insightSelectors").forEach(i -> {
                    String type = Fields.text(i, "insightType");
                    if (type != null) {
                        types.add(type);
                    }
                });
                return baseline.insightTypes().map(b -> BaselineDiff.insights(b, types)).orElse(null);
            default:
                return null;
        }
    }

    /**
     * The trail's ARN and home region: from an ARN reference, else from the call (these calls run in the home region).
     * An ARN built from the event's region and account is validated like one given in the event, since it becomes a
     * runbook parameter.
     *
     * @throws InvalidTrailReferenceException if the event's region or account do not make a valid trail ARN
     */
    public static TrailId trailId(EventEnvelope envelope, CloudTrailRecord record, TrailRef ref) {
        if (ref.isArn()) {
            return new TrailId(ref.value(), ref.name(), ref.region().orElseThrow());
        }
        String account = envelope.account() != null ? envelope.account() : record.recipientAccountId();
        String region = record.awsRegion() != null ? record.awsRegion() : envelope.region();
        TrailRef arn = TrailRef.parse("arn:" + partition(record) + ":cloudtrail:" + region + ":" + account
                + ":trail/" + ref.name());
        return new TrailId(arn.value(), ref.name(), region);
    }

    /** The event names a trail, but its region or account cannot make a valid ARN of it: reported, nothing started. */
    private Outcome rejected(EventEnvelope envelope, CloudTrailRecord record, InvalidTrailReferenceException e) {
        return UnreadableEvents.publish(notifier, "CloudTrail tamper event", new UnreadableEventException(
                "trail reference rejected: " + e.getMessage(), record.eventId()), envelope);
    }

    private static String partition(CloudTrailRecord record) {
        String arn = record.userIdentity().arn();
        if (arn != null && arn.startsWith("arn:")) {
            String[] parts = arn.split(":", 3);
            if (parts.length == 3 && parts[1].matches("aws(-[a-z]+)*")) {
                return parts[1];
            }
        }
        return "aws";
    }

    private static Instant eventTime(CloudTrailRecord record) {
        try {
            return Instant.parse(record.eventTime());
        } catch (DateTimeParseException e) {
            // Without the call's time, the state before the call cannot be told from the tampered state.
            LOG.warn("eventTime {} is not ISO-8601: no baseline lookup", record.eventTime());
            return null;
        }
    }

    private boolean authorized(CloudTrailRecord record) {
        UserIdentity who = record.userIdentity();
        return response.isAuthorized(who.arn(), who.sessionIssuerArn());
    }

    private boolean guarded(TrailId trail) {
        return config.guardedTrails().isEmpty()
                || config.guardedTrails().stream().anyMatch(g -> TrailRef.parse(g).matches(trail.arn()));
    }

    private Outcome.Builder published(String outcome, CloudTrailRecord record, Notification n) {
        String messageId = notifier.publish(n);
        return Outcome.of(outcome, record.eventId()).severity(n.severity().name()).messageId(messageId);
    }

    private static Notification.Builder base(Severity severity, String kind, EventEnvelope envelope,
                                             CloudTrailRecord record, TrailId trail) {
        return CallNotifications.about(severity, kind, envelope, record)
                .trail(new Notification.TrailSummary(trail.arn(), trail.name(), trail.homeRegion(), false));
    }
}
