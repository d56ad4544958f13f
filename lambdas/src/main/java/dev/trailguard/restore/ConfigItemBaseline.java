package dev.trailguard.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The baseline in an AWS Config configuration item of an {@code AWS::CloudTrail::Trail}: its {@code configuration}
 * is the trail as DescribeTrails describes it ({@code s3BucketName}, {@code isMultiRegionTrail},
 * {@code hasCustomEventSelectors}, {@code hasInsightSelectors}, ...; AWS Config resource schema for
 * AWS::CloudTrail::Trail). Config records the settings, but of the selectors only two flags:
 * <ul>
 * <li>{@code hasCustomEventSelectors: false}: the trail had the selector it is created with, "all read and write
 * management events, and no data events" (CloudTrail API Reference, EventSelector): {@link EventSelectors#DEFAULT}.
 * {@code true} says nothing about which selectors, so custom selectors still need a declared baseline.</li>
 * <li>{@code hasInsightSelectors: false}: no Insights types. {@code true} does not say which.</li>
 * </ul>
 * A flag that is absent says nothing either.
 */
public final class ConfigItemBaseline {

    private ConfigItemBaseline() {
    }

    /**
     * The baseline in one item's {@code configuration}; empty if it describes no trail settings (no log bucket).
     *
     * @param configuration the item's {@code configuration}, parsed
     * @param stateId       the item's {@code configurationStateId}, to name the source
     * @param capturedAt    the item's capture time
     */
    public static Optional<Baseline> of(JsonNode configuration, String stateId, Instant capturedAt) {
        TrailSettings settings = TrailSettings.fromDescription(configuration);
        if (settings.s3BucketName() == null) {
            return Optional.empty();
        }
        String source = Baseline.CONFIG_ITEM + stateId;
        List<String> flags = new ArrayList<>();
        Optional<EventSelectors> selectors = Optional.empty();
        if (isFalse(configuration, "hasCustomEventSelectors")) {
            selectors = Optional.of(EventSelectors.DEFAULT);
            flags.add("hasCustomEventSelectors: false, the default selector: all management events, no data events");
        }
        Optional<Set<String>> insights = Optional.empty();
        if (isFalse(configuration, "hasInsightSelectors")) {
            insights = Optional.of(Set.of());
            flags.add("hasInsightSelectors: false, no Insights");
        }
        return Optional.of(new Baseline(Optional.of(settings), source, Optional.ofNullable(capturedAt), selectors,
                insights, flags.isEmpty() ? null : source + " (" + String.join("; ", flags) + ")"));
    }

    private static boolean isFalse(JsonNode configuration, String flag) {
        return Fields.has(configuration, flag) && !Fields.bool(configuration, flag, true);
    }
}
