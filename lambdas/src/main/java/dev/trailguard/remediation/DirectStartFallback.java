package dev.trailguard.remediation;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.trail.Trail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Remediator} that falls back to {@link DirectLogging} when SSM refuses the runbook for capacity (its
 * automation queue full, or throttling that outlasted the retries). Any other refusal (access denied, missing document)
 * is passed on unchanged: those are configuration faults that a direct call would hide, and the caller reports them.
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
        try {
            return runbooks.startLogging(request);
        } catch (CallFailedException refused) {
            if (!refused.capacityExhausted()) {
                throw refused;
            }
            Trail trail = request.trail();
            return startDirectly(direct, trail.arn(), trail.homeRegion(),
                    ClientTokens.of(request.incidentKey(), trail.arn()), refused, "");
        }
    }

    /**
     * Starts the trail's logging directly after SSM refused for capacity, or throws {@link FallbackFailedException}
     * naming both failures.
     *
     * @param notDone what the runbook would also have done (empty if nothing)
     */
    public static RemediationStart startDirectly(DirectLogging direct, String trailArn, String homeRegion,
                                                 String clientToken, CallFailedException refused, String notDone) {
        LOG.warn("SSM refused the runbook for capacity ({}): starting logging on {} directly", refused.getMessage(),
                trailArn);
        boolean logging;
        try {
            logging = direct.startLogging(trailArn, homeRegion);
        } catch (CallFailedException failed) {
            LOG.error("Direct StartLogging on {} failed too: {}", trailArn, failed.getMessage());
            throw new FallbackFailedException(refused, failed);
        }
        return RemediationStart.direct(homeRegion, clientToken, new DirectStart(refused.getMessage(), logging,
                notDone));
    }

    /** SSM refused the runbook for capacity and the direct {@code StartLogging} failed as well. */
    public static final class FallbackFailedException extends CallFailedException {
        private static final long serialVersionUID = 1L;

        FallbackFailedException(CallFailedException refused, CallFailedException failed) {
            super(failed.action(), failed.errorCode(), refused.getMessage() + "; the direct fallback failed too: "
                    + failed.getMessage(), failed);
            addSuppressed(refused);
        }
    }
}
