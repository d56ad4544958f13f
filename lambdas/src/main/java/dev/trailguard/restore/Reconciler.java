package dev.trailguard.restore;

import dev.trailguard.config.ResponseConfig;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.remediation.RemediationStart;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a trail with its baseline before TrailGuard restarts it. While a trail does not log, {@code UpdateTrail},
 * {@code PutEventSelectors} and {@code DeleteTrail} produce no event at all (EventBridge needs a logging trail), so
 * whatever changed in that blind window is only found by looking: a plain restart would put logging back with the
 * attacker's settings. Every restart (StopLogging event, Config rule, sweep) therefore first compares the trail with
 * its baseline from before the window; when they differ, {@value TrailRestorer#RESTORE_RUNBOOK} puts the settings and
 * selectors back and ends with {@code StartLogging}, in one execution; a guarded trail that is gone is recreated.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final BaselineSource baselines;
    private final TrailConfigurations configurations;
    private final TrailRestorer restorer;
    private final ResponseConfig response;

    public Reconciler(BaselineSource baselines, TrailConfigurations configurations, TrailRestorer restorer,
                      ResponseConfig response) {
        this.baselines = baselines;
        this.configurations = configurations;
        this.restorer = restorer;
        this.response = response;
    }

    /** Knows no baseline: every check is "not compared", so callers restart as they did before reconciliation. */
    public static Reconciler none() {
        return new Reconciler(BaselineSource.none(), TrailConfigurations.none(), request -> {
            throw new UnrestorableBaselineException("restores are not configured here");
        }, ResponseConfig.defaults());
    }

    /**
     * The result of comparing a trail with its baseline.
     *
     * @param baseline    the baseline compared with (possibly empty)
     * @param diff        the differences; null when the trail could not be compared
     * @param notCompared why it could not be compared, or null
     */
    public record Check(Baseline baseline, BaselineDiff diff, String notCompared) {

        /** True if the trail records less, or elsewhere, than its baseline: restore, do not only restart. */
        public boolean differs() {
            return diff != null && diff.needsRestore();
        }

        /** Labelled lines for a notification: what differs (or why nothing was compared) and the baseline's source. */
        public Map<String, String> details(boolean reverting) {
            Map<String, String> out = new LinkedHashMap<>();
            if (diff == null) {
                out.put("Baseline not compared", notCompared);
            } else if (diff.isEmpty()) {
                out.put("Baseline compared", "the trail matches its baseline");
            } else {
                out.putAll(diff.asDetails(reverting));
            }
            out.putAll(baseline.provenance());
            return out;
        }
    }

    /**
     * Compares the trail as it is now with its baseline as it was strictly before {@code before} (the start of the
     * window in which changes went unseen). Never throws for a source or read failure: the check then says why nothing
     * was compared, and the caller still restarts logging.
     *
     * @param declaredOnly compare only the declared parts of the baseline (see {@link Baseline#declaredOnly()})
     */
    public Check compare(TrailId trail, Instant before, boolean declaredOnly) {
        Baseline baseline;
        try {
            baseline = baselines.baselineBefore(trail, before);
        } catch (CallFailedException e) {
            LOG.warn("Baseline of {} unavailable: {}", trail.arn(), e.getMessage());
            return new Check(Baseline.unavailable(e.getMessage()), null, "the baseline could not be read ("
                    + e.getMessage() + ")");
        }
        if (declaredOnly) {
            baseline = baseline.declaredOnly();
        }
        if (baseline.isEmpty()) {
            return new Check(baseline, null, declaredOnly ? "no declared baseline"
                    : "no baseline from before " + before + " (none declared, and no AWS Config item)");
        }
        Baseline now;
        try {
            now = configurations.current(trail, baseline.settings().isPresent(), baseline.selectors().isPresent(),
                    baseline.insightTypes().isPresent());
        } catch (CallFailedException e) {
            LOG.warn("Could not read {} to compare it with its baseline: {}", trail.arn(), e.getMessage());
            return new Check(baseline, null, "its configuration could not be read (" + e.getMessage() + ")");
        }
        BaselineDiff diff = BaselineDiff.against(baseline, now);
        if (diff == null) {
            return new Check(baseline, null, "CloudTrail did not return the parts of it that the baseline has");
        }
        LOG.info("{} compared with its baseline: {} difference(s), {}", trail.arn(), diff.changes().size(),
                diff.needsRestore() ? "restore needed" : "nothing to restore");
        return new Check(baseline, diff, null);
    }

    /**
     * Starts {@value TrailRestorer#RESTORE_RUNBOOK} with the baseline the check compared with: settings, selectors and
     * Insights back, then {@code StartLogging}.
     *
     * @throws UnrestorableBaselineException if the baseline cannot be given to the runbook (for example a logs role
     *                                       the automation role may not pass)
     * @throws CallFailedException           if SSM refused the start
     */
    public RemediationStart restore(TrailId trail, Check check, String incidentKey, String trigger) {
        return start(trail, check.baseline(), false, incidentKey, trigger);
    }

    /**
     * Starts {@value TrailRestorer#RECREATE_RUNBOOK} for a guarded trail that is gone (it restores the trail instead
     * when one of that name exists by the time it runs).
     *
     * @throws UnrestorableBaselineException if the baseline has no settings to create it from
     * @throws CallFailedException           if SSM refused the start
     */
    public RemediationStart recreate(TrailId trail, Baseline baseline, String incidentKey, String trigger) {
        return start(trail, baseline, true, incidentKey, trigger);
    }

    /**
     * A restore or recreate start as an outcome: {@code WOULD_START_RESTORE}, {@code RESTORE_ALREADY_STARTED},
     * {@code RECREATE_STARTED} or {@code RESTORE_STARTED} (as the tamper path's restores).
     */
    public static String outcome(RemediationStart start, boolean recreate) {
        return start.dryRun() ? "WOULD_START_RESTORE" : start.alreadyStarted() ? "RESTORE_ALREADY_STARTED"
                : recreate ? "RECREATE_STARTED" : "RESTORE_STARTED";
    }

    /** The baseline before {@code before}, for a trail that is gone; empty when it cannot be read. */
    public Baseline baselineOf(TrailId trail, Instant before) {
        try {
            return baselines.baselineBefore(trail, before);
        } catch (CallFailedException e) {
            LOG.warn("Baseline of {} unavailable: {}", trail.arn(), e.getMessage());
            return Baseline.unavailable(e.getMessage());
        }
    }

    private RemediationStart start(TrailId trail, Baseline baseline, boolean recreate, String incidentKey,
                                   String trigger) {
        // A declared baseline's logs role is checked when the stack is synthesized; AWS Config's can be any role.
        String logsRole = baseline.settings().map(TrailSettings::cloudWatchLogsRoleArn).orElse(null);
        if (baseline.settingsRecordedByConfig() && logsRole != null && !response.isPassableLogsRole(logsRole)) {
            throw new UnrestorableBaselineException("the baseline's CloudWatch Logs role " + logsRole + " is not in "
                    + ResponseConfig.PASSABLE_LOGS_ROLE_ARNS + ", so the automation role may not pass it");
        }
        return restorer.restore(new RestoreRequest(trail, baseline, recreate, incidentKey, trigger));
    }
}
