package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailSettings;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.ChronologicalOrder;
import software.amazon.awssdk.services.config.model.ConfigurationItem;
import software.amazon.awssdk.services.config.model.ConfigurationItemStatus;
import software.amazon.awssdk.services.config.model.GetResourceConfigHistoryResponse;
import software.amazon.awssdk.services.config.model.ResourceNotDiscoveredException;
import software.amazon.awssdk.services.config.model.ResourceType;

/**
 * Trail settings from AWS Config's configuration history ({@code GetResourceConfigHistory}, resource type
 * {@code AWS::CloudTrail::Trail}, resource id = trail name) in the trail's home region: the newest item captured
 * strictly before the tamper call that describes an existing trail. Config records settings only
 * ({@code hasCustomEventSelectors} and {@code hasInsightSelectors} are mere flags), so this source never supplies
 * selectors.
 */
public final class ConfigHistoryBaselineSource implements BaselineSource {

    /** How many items before the call to look at; more than one in case the newest ones are deletions. */
    static final int HISTORY_ITEMS = 5;
    private static final Set<ConfigurationItemStatus> USABLE =
            Set.of(ConfigurationItemStatus.OK, ConfigurationItemStatus.RESOURCE_DISCOVERED);
    private static final Logger LOG = LoggerFactory.getLogger(ConfigHistoryBaselineSource.class);

    private final Function<Region, ConfigClient> configInRegion;
    private final ObjectMapper mapper;

    public ConfigHistoryBaselineSource(Function<Region, ConfigClient> configInRegion, ObjectMapper mapper) {
        this.configInRegion = configInRegion;
        this.mapper = mapper;
    }

    @Override
    public Baseline baselineBefore(TrailId trail, Instant before) {
        ConfigClient config = configInRegion.apply(Region.of(trail.homeRegion()));
        GetResourceConfigHistoryResponse history;
        try {
            history = call("config:GetResourceConfigHistory", () -> config.getResourceConfigHistory(b -> b
                    .resourceType(ResourceType.AWS_CLOUD_TRAIL_TRAIL)
                    .resourceId(trail.name())
                    .laterTime(before)
                    .chronologicalOrder(ChronologicalOrder.REVERSE)
                    .limit(HISTORY_ITEMS)));
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof ResourceNotDiscoveredException) {
                return Baseline.none();
            }
            throw e;
        }
        for (ConfigurationItem item : history.configurationItems()) {
            Optional<TrailSettings> settings = usable(item, trail, before);
            if (settings.isPresent()) {
                return new Baseline(settings, Baseline.CONFIG_ITEM + item.configurationStateId(),
                        Optional.of(item.configurationItemCaptureTime()), Optional.empty(), Optional.empty(), null);
            }
        }
        return Baseline.none();
    }

    private Optional<TrailSettings> usable(ConfigurationItem item, TrailId trail, Instant before) {
        // laterTime is inclusive; the tamper call's own item is captured at or after the call and must not count.
        if (item.configurationItemCaptureTime() == null || !item.configurationItemCaptureTime().isBefore(before)
                || !USABLE.contains(item.configurationItemStatus()) || item.configuration() == null) {
            return Optional.empty();
        }
        if (item.arn() != null && !item.arn().equals(trail.arn())) {
            return Optional.empty();
        }
        try {
            JsonNode configuration = mapper.readTree(item.configuration());
            TrailSettings settings = TrailSettings.fromDescription(configuration);
            return settings.s3BucketName() == null ? Optional.empty() : Optional.of(settings);
        } catch (JsonProcessingException e) {
            LOG.warn("Unreadable configuration in Config item {} for {}", item.configurationStateId(), trail.arn());
            return Optional.empty();
        }
    }
}
