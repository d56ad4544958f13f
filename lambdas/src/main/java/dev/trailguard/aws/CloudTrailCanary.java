package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.drill.Canary;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/**
 * {@link Canary} over CloudTrail's {@code StopLogging} in the canary's home region: the FireDrill function's only AWS
 * call, and the only one its role allows (on the canary's ARN).
 */
public final class CloudTrailCanary implements Canary {

    private final Function<Region, CloudTrailClient> cloudTrailIn;

    public CloudTrailCanary(Function<Region, CloudTrailClient> cloudTrailIn) {
        this.cloudTrailIn = cloudTrailIn;
    }

    @Override
    public void stopLogging(String trailArn, String homeRegion) {
        CloudTrailClient cloudTrail = cloudTrailIn.apply(Region.of(homeRegion));
        call("cloudtrail:StopLogging", () -> cloudTrail.stopLogging(b -> b.name(trailArn)));
    }
}
