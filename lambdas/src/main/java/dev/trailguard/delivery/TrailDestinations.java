package dev.trailguard.delivery;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailSettings;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the guarded trails deliver: each one's S3 bucket and KMS key, as its baseline names them (declared, else AWS
 * Config's last item before the call) and as the trail is now. Both count: the baseline keeps the bucket known after
 * an attacker re-points the trail, the current settings cover a trail without a baseline.
 */
final class TrailDestinations {

    /**
     * A guarded trail and one place it delivers to.
     *
     * @param trail    the trail
     * @param bucket   its S3 bucket
     * @param kmsKeyId its KMS key (id, ARN or alias as CloudTrail holds it), or null
     */
    record Destination(Trail trail, String bucket, String kmsKeyId) {
    }

    /**
     * The destinations found, and the lookups that failed (a trail whose destination could not be read may still use
     * the resource: the notification says so).
     */
    record Found(List<Destination> destinations, List<String> unreadable) {
    }

    private final TrailLocator locator;
    private final BaselineSource baselines;
    private final TrailConfigurations configurations;
    private final List<TrailRef> guarded;

    TrailDestinations(TrailLocator locator, BaselineSource baselines, TrailConfigurations configurations,
                      List<String> guardedTrails) {
        this.locator = locator;
        this.baselines = baselines;
        this.configurations = configurations;
        this.guarded = guardedTrails.stream().filter(TrailRef::isValid).map(TrailRef::parse).toList();
    }

    /** The guarded trails of {@code account} that deliver to the bucket. */
    Found usingBucket(String bucket, String account, Instant before) {
        return find(account, before, s -> bucket.equals(s.s3BucketName()));
    }

    /** The guarded trails of {@code account} that encrypt with the key (an event names the key's id or ARN). */
    Found usingKey(String keyId, String account, Instant before) {
        String wanted = keyIdOf(keyId);
        return find(account, before, s -> s.kmsKeyId() != null && wanted.equals(keyIdOf(s.kmsKeyId())));
    }

    /** The key id of a key id or key ARN ({@code arn:aws:kms:region:account:key/<id>}). */
    static String keyIdOf(String key) {
        int slash = key.indexOf(":key/");
        return slash >= 0 ? key.substring(slash + ":key/".length()) : key;
    }

    private Found find(String account, Instant before, java.util.function.Predicate<TrailSettings> uses) {
        List<String> unreadable = new ArrayList<>();
        List<Trail> trails;
        try {
            trails = locator.listTrails();
        } catch (CallFailedException e) {
            return new Found(List.of(), List.of("trails could not be listed: " + e.getMessage()));
        }
        Map<String, Destination> found = new LinkedHashMap<>();
        for (Trail trail : trails) {
            if (!guarded.isEmpty() && guarded.stream().noneMatch(ref -> ref.matches(trail.arn()))) {
                continue;
            }
            if (account != null && !trail.startableFrom(account)) {
                // Another account's trail (an organization trail seen from a member): its bucket and key live
                // elsewhere, and calls on them are recorded in that account, not here.
                continue;
            }
            TrailId id = new TrailId(trail.arn(), trail.name(), trail.homeRegion());
            Set<TrailSettings> settings = new LinkedHashSet<>();
            List<String> failures = new ArrayList<>();
            read(() -> baselines.baselineBefore(id, before), settings, failures);
            read(() -> configurations.current(id, true, false, false), settings, failures);
            settings.stream().filter(Objects::nonNull).filter(uses).findFirst()
                    .ifPresent(s -> found.putIfAbsent(trail.arn(), new Destination(trail, s.s3BucketName(),
                            s.kmsKeyId())));
            if (settings.isEmpty() && !failures.isEmpty()) {
                // Neither its baseline nor its current settings could be read: it may deliver there.
                unreadable.add(trail.name() + ": " + String.join("; ", failures));
            }
        }
        return new Found(List.copyOf(found.values()), unreadable);
    }

    private static void read(java.util.function.Supplier<Baseline> source, Set<TrailSettings> into,
                             List<String> failures) {
        try {
            Baseline baseline = source.get();
            baseline.settings().ifPresent(into::add);
            failures.addAll(baseline.unavailable());
        } catch (CallFailedException e) {
            failures.add(e.getMessage());
        }
    }
}
