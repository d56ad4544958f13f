package dev.trailguard.restore;

import dev.trailguard.core.CallFailedException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline with its precedence: a baseline declared at deployment (SSM parameter) wins for every part it
 * declares; settings it does not declare come from AWS Config's last configuration item before the tamper call.
 * Selectors and Insights come only from the declared baseline, because Config does not record them. A source that
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
        if (fromDeclaration.settings().isPresent()) {
            return fromDeclaration;
        }
        return fromDeclaration.withSettingsFrom(read(recorded, trail, before));
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
