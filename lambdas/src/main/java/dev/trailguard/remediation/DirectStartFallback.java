package dev.trailguard.remediation;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.trail.Trail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Remediator} that starts logging directly ({@link DirectLogging}) when the runbook cannot: SSM refuses it for
 * capacity (its automation queue full, or throttling that outlasted the retries), or a start that SSM accepted for
 * this stop is overdue ({@link RemediationRequest#runbookOverdue()}: the trail still does not log long after it, as
 * when the execution waits as {@code Pending} behind an attacker's; SSM is then not asked again). Any other refusal (access denied, missing
 * document) is passed on unchanged: those are configuration faults that a direct call would hide, and the caller
 * reports them.
 */
public final class DirectStartFallback implements Remediator {

    private static final Logger LOG = LoggerFactory.getLogger(DirectStartFallback.class);

    private final Remediator runbooks;
    private final DirectLogging direct;

    public DirectStartFallback(Remediator runbooks, DirectLogging direct) {
        this.runbooks = runbooks;
        this.direct = direct;
    }

    @Override
    public RemediationStart startLogging(RemediationRequest request) {
        Trail trail = request.trail();
        String token = ClientTokens.of(request.incidentKey(), trail.arn());
        if (request.runbookOverdue()) {
            // A runbook for this stop (the restart, or a restore) had its time and logging is still off: asking SSM
            // again would only queue another execution behind the same ones.
            return startDirectly(direct, trail.arn(), trail.homeRegion(), token,
                    "the trail still does not log", true, "");
        }
        try {
            return runbooks.startLogging(request);
        } catch (CallFailedException refused) {
            if (!refused.capacityExhausted()) {
                throw refused;
            }
            return startDirectly(direct, trail.arn(), trail.homeRegion(), token, refused.getMessage(), false, "");
        }
    }

    /**
     * Starts the trail's logging directly because the runbook could not, or throws {@link FallbackFailedException}
     * naming both failures.
     *
     * @param reason  SSM's refusal, or what shows that the runbook is overdue
     * @param overdue true if SSM accepted the runbook earlier and it is overdue, false if SSM refused it
     * @param notDone what the runbook would also have done (empty if nothing)
     */
    public static RemediationStart startDirectly(DirectLogging direct, String trailArn, String homeRegion,
                                                 String clientToken, String reason, boolean overdue,
                                                 String notDone) {
        LOG.warn("{} ({}): starting logging on {} directly", overdue ? "The runbook is overdue"
                : "SSM refused the runbook for capacity", reason, trailArn);
        boolean logging;
        try {
            logging = direct.startLogging(trailArn, homeRegion);
        } catch (CallFailedException failed) {
            LOG.error("Direct StartLogging on {} failed too: {}", trailArn, failed.getMessage());
            throw new FallbackFailedException(reason, failed);
        }
        return RemediationStart.direct(homeRegion, clientToken, new DirectStart(reason, overdue, logging, notDone));
    }

    /** The runbook could not restart logging and the direct {@code StartLogging} failed as well. */
    public static final class FallbackFailedException extends CallFailedException {
        private static final long serialVersionUID = 1L;

        FallbackFailedException(String reason, CallFailedException failed) {
            super(failed.action(), failed.errorCode(), reason + "; the direct fallback failed too: "
                    + failed.getMessage(), failed);
        }
    }
}
