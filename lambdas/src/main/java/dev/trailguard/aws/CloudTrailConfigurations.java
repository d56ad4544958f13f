package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineDiff;
import dev.trailguard.restore.EventSelectors;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.InsightNotEnabledException;
import software.amazon.awssdk.services.cloudtrail.model.InsightSelector;
import software.amazon.awssdk.services.cloudtrail.model.Trail;

/**
 * {@link TrailConfigurations} over {@code GetTrail}, {@code GetEventSelectors} and {@code GetInsightSelectors}, called
 * with the trail's ARN. The answers are read into the same shapes as a baseline, so that {@link BaselineDiff} compares
 * like with like.
 */
public final class CloudTrailConfigurations implements TrailConfigurations {

    private final CloudTrailClient cloudTrail;

    public CloudTrailConfigurations(CloudTrailClient cloudTrail) {
        this.cloudTrail = cloudTrail;
    }

    @Override
    public Baseline current(TrailId trail, boolean settings, boolean selectors, boolean insights) {
        Optional<TrailSettings> now = Optional.empty();
        if (settings) {
            Trail t = call("cloudtrail:GetTrail", () -> cloudTrail.getTrail(b -> b.name(trail.arn()))).trail();
            now = Optional.ofNullable(t).map(CloudTrailConfigurations::settings);
        }
        Optional<EventSelectors> nowSelectors = Optional.empty();
        if (selectors) {
            nowSelectors = Optional.of(selectors(call("cloudtrail:GetEventSelectors",
                    () -> cloudTrail.getEventSelectors(b -> b.trailName(trail.arn())))));
        }
        Optional<Set<String>> nowInsights = Optional.empty();
        if (insights) {
            nowInsights = Optional.of(insightTypes(trail));
        }
        String source = "GetTrail, GetEventSelectors and GetInsightSelectors of " + trail.arn();
        return new Baseline(now, source, Optional.empty(), nowSelectors, nowInsights, source);
    }

    static TrailSettings settings(Trail t) {
        return new TrailSettings(blank(t.s3BucketName()), blank(t.s3KeyPrefix()),
                Boolean.TRUE.equals(t.isMultiRegionTrail()), !Boolean.FALSE.equals(t.includeGlobalServiceEvents()),
                Boolean.TRUE.equals(t.logFileValidationEnabled()), blank(t.kmsKeyId()),
                blank(t.cloudWatchLogsLogGroupArn()), blank(t.cloudWatchLogsRoleArn()),
                blank(t.snsTopicARN()) != null ? t.snsTopicARN() : blank(t.snsTopicName()),
                Boolean.TRUE.equals(t.isOrganizationTrail()));
    }

    static EventSelectors selectors(GetEventSelectorsResponse response) {
        if (response.hasAdvancedEventSelectors() && !response.advancedEventSelectors().isEmpty()) {
            List<EventSelectors.AdvancedSelector> advanced = new ArrayList<>();
            response.advancedEventSelectors().forEach(s -> {
                Map<String, Map<String, List<String>>> fields = new LinkedHashMap<>();
                for (AdvancedFieldSelector f : s.fieldSelectors()) {
                    Map<String, List<String>> ops = new LinkedHashMap<>();
                    put(ops, "Equals", f.equalsValue());
                    put(ops, "StartsWith", f.startsWith());
                    put(ops, "EndsWith", f.endsWith());
                    put(ops, "NotEquals", f.notEquals());
                    put(ops, "NotStartsWith", f.notStartsWith());
                    put(ops, "NotEndsWith", f.notEndsWith());
                    fields.put(f.field(), ops);
                }
                advanced.add(new EventSelectors.AdvancedSelector(blank(s.name()), fields));
            });
            return new EventSelectors(true, List.of(), advanced);
        }
        List<EventSelectors.BasicSelector> basic = new ArrayList<>();
        response.eventSelectors().forEach(s -> basic.add(new EventSelectors.BasicSelector(s.readWriteTypeAsString(),
                !Boolean.FALSE.equals(s.includeManagementEvents()),
                s.dataResources().stream().map(r -> new EventSelectors.DataResource(r.type(), r.values())).toList(),
                s.excludeManagementEventSources())));
        return new EventSelectors(false, basic, List.of());
    }

    private Set<String> insightTypes(TrailId trail) {
        try {
            Set<String> types = new LinkedHashSet<>();
            for (InsightSelector s : call("cloudtrail:GetInsightSelectors",
                    () -> cloudTrail.getInsightSelectors(b -> b.trailName(trail.arn()))).insightSelectors()) {
                types.add(s.insightTypeAsString());
            }
            return types;
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof InsightNotEnabledException) {
                return Set.of();
            }
            throw e;
        }
    }

    private static void put(Map<String, List<String>> ops, String op, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ops.put(op, values.stream().sorted().toList());
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
