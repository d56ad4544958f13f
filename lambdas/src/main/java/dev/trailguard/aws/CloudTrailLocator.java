package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.DescribeTrailsResponse;
import software.amazon.awssdk.services.cloudtrail.model.GetTrailStatusResponse;
import software.amazon.awssdk.services.cloudtrail.model.TrailNotFoundException;

/** {@link TrailLocator} over CloudTrail's {@code DescribeTrails} and {@code GetTrailStatus} in the function's region. */
public final class CloudTrailLocator implements TrailLocator {

    private final CloudTrailClient cloudTrail;

    public CloudTrailLocator(CloudTrailClient cloudTrail) {
        this.cloudTrail = cloudTrail;
    }

    @Override
    public Optional<TrailState> locate(TrailRef ref) {
        Optional<Trail> trail = describe(ref);
        return trail.map(t -> new TrailState(t, status(t)));
    }

    @Override
    public List<Trail> listTrails() {
        DescribeTrailsResponse response = call("cloudtrail:DescribeTrails",
                () -> cloudTrail.describeTrails(b -> b.includeShadowTrails(true)));
        return response.trailList().stream().map(CloudTrailLocator::toTrail).toList();
    }

    @Override
    public TrailStatus status(Trail trail) {
        // The ARN, not the name: shadow trails (other home region, organization trails) are only found by ARN.
        GetTrailStatusResponse status = call("cloudtrail:GetTrailStatus",
                () -> cloudTrail.getTrailStatus(b -> b.name(trail.arn())));
        String deliveryError = status.latestDeliveryError();
        return new TrailStatus(Boolean.TRUE.equals(status.isLogging()),
                Optional.ofNullable(status.startLoggingTime()),
                Optional.ofNullable(status.stopLoggingTime()),
                deliveryError == null || deliveryError.isBlank() ? Optional.empty() : Optional.of(deliveryError),
                Optional.ofNullable(status.latestDeliveryTime()));
    }

    private Optional<Trail> describe(TrailRef ref) {
        try {
            DescribeTrailsResponse response = call("cloudtrail:DescribeTrails",
                    () -> cloudTrail.describeTrails(b -> b.trailNameList(ref.value()).includeShadowTrails(true)));
            return response.trailList().stream()
                    .filter(t -> ref.matches(t.trailARN()))
                    .findFirst()
                    .map(CloudTrailLocator::toTrail);
        } catch (dev.trailguard.aws.AwsCallFailedException e) {
            if (e.getCause() instanceof TrailNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Trail toTrail(software.amazon.awssdk.services.cloudtrail.model.Trail t) {
        return new Trail(t.trailARN(), t.name(), t.homeRegion(),
                Boolean.TRUE.equals(t.isMultiRegionTrail()), Boolean.TRUE.equals(t.isOrganizationTrail()));
    }
}
