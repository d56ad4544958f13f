package dev.trailguard.restore;

/**
 * A trail as the restore path knows it, also after it was deleted.
 *
 * @param arn        the trail ARN
 * @param name       the trail name
 * @param homeRegion the region the trail lives in (where UpdateTrail, CreateTrail and Config's history are called)
 */
public record TrailId(String arn, String name, String homeRegion) {
}
