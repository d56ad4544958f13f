package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.remediation.DirectLogging;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/**
 * {@link DirectLogging} over CloudTrail's {@code StartLogging} and {@code GetTrailStatus} in the trail's home region
 * (a multi-Region trail is started only from there). The caller's role needs {@code cloudtrail:StartLogging}; the SCP
 * never denies it.
 */
public final class CloudTrailDirectLogging implements DirectLogging {

    private final Function<Region, CloudTrailClient> cloudTrailIn;

    public CloudTrailDirectLogging(Function<Region, CloudTrailClient> cloudTrailIn) {
        this.cloudTrailIn = cloudTrailIn;
    }

    @Override
    public boolean startLogging(String trailArn, String homeRegion) {
        CloudTrailClient cloudTrail = cloudTrailIn.apply(Region.of(homeRegion));
        call("cloudtrail:StartLogging", () -> cloudTrail.startLogging(b -> b.name(trailArn)));
        try {
            return Boolean.TRUE.equals(call("cloudtrail:GetTrailStatus",
                    () -> cloudTrail.getTrailStatus(b -> b.name(trailArn))).isLogging());
        } catch (AwsCallFailedException e) {
            // Started, but not confirmed: the notification says so rather than failing the restart.
            return false;
        }
    }
}
