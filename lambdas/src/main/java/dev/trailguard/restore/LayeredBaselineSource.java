package dev.trailguard.restore;

import dev.trailguard.core.CallFailedException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline with its precedence: a baseline declared at deployment (SSM parameter) wins for every part it
 * declares; each part it does not declare comes from AWS Config's last configuration item before the tamper call,
 * when that item knows it: always the settings, the selectors only when they were the default
 * ({@code hasCustomEventSelectors: false}) and the Insights only when there were none ({@code hasInsightSelectors:
 * false}); see {@link ConfigItemBaseline}. Config is not asked when the declaration has every part. A source that
 * cannot be read counts as knowing nothing (and is named in the notification), so one failing source never blocks
 * the other.
 */
public final class LayeredBaselineSource implements BaselineSource {

    private static final Logger LOG = LoggerFactory.getLogger(LayeredBaselineSource.class);

    private final BaselineSource declared;
    private final BaselineSource recorded;

    public LayeredBaselineSource(BaselineSource declared, BaselineSource recorded) {
        this.declared = declared;
        this.recorded = recorded;
    }

    @Override
    public Baseline baselineBefore(TrailId trail, Instant before) {
        Baseline fromDeclaration = read(declared, trail, before);
        if (fromDeclaration.isComplete()) {
            return fromDeclaration;
        }
        return fromDeclaration.withMissingPartsFrom(read(recorded, trail, before));
    }

    private static Baseline read(BaselineSource source, TrailId trail, Instant before) {
        try {
            return source.baselineBefore(trail, before);
        } catch (CallFailedException e) {
            LOG.warn("Baseline source unavailable for {}: {}", trail.arn(), e.getMessage());
            return Baseline.unavailable(e.getMessage());
        }
    }
}
