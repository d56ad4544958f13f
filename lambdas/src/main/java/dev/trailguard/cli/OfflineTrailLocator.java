package dev.trailguard.cli;

import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Used when there are no AWS credentials: derives what it can from the event alone (the ARN from the name, the
 * event's region as home region, logging assumed stopped) and records what it could not look up.
 */
final class OfflineTrailLocator implements TrailLocator {

    private final String partition;
    private final String region;
    private final String account;
    private final Set<String> unresolved = new TreeSet<>();

    OfflineTrailLocator(String partition, String region, String account) {
        this.partition = partition;
        this.region = region;
        this.account = account;
    }

    @Override
    public Optional<TrailState> locate(TrailRef ref) {
        unresolved.add("trail existence, home region, organization flag (cloudtrail:DescribeTrails)");
        unresolved.add("logging status, assumed stopped (cloudtrail:GetTrailStatus)");
        String arn = ref.isArn() ? ref.value()
                : "arn:" + partition + ":cloudtrail:" + region + ":" + account + ":trail/" + ref.name();
        Trail trail = new Trail(arn, ref.name(), ref.region().orElse(region), false, false);
        return Optional.of(new TrailState(trail, status(trail)));
    }

    /**
     * The account's trails cannot be derived from an event. Answering "none" would make the plan claim that the
     * account has no trail, so the plan stops here and says what it needs.
     */
    @Override
    public List<Trail> listTrails() {
        unresolved.add("the account's trails (cloudtrail:DescribeTrails)");
        throw new PlanNeedsAwsException("cloudtrail:DescribeTrails", "this function lists the account's trails "
                + "(cloudtrail:DescribeTrails), which needs AWS credentials: no plan can be derived from the event "
                + "alone");
    }

    @Override
    public TrailStatus status(Trail trail) {
        unresolved.add("logging status, assumed stopped (cloudtrail:GetTrailStatus)");
        return new TrailStatus(false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    Set<String> unresolved() {
        return unresolved;
    }
}
