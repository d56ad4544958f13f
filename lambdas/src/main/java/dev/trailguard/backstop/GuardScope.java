package dev.trailguard.backstop;

import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which trails a backstop may act on from this account and region: home region here (StartLogging works only
 * there; the deployment in the home region covers the others), owned by this account (organization trails of the
 * management account are shadow trails here and cannot be started) and, if {@code TRAILGUARD_GUARDED_TRAILS} is
 * set, named there (the automation role may start only those).
 */
final class GuardScope {

    private final List<TrailRef> guarded;

    GuardScope(List<String> guardedTrails) {
        this.guarded = guardedTrails.stream().map(TrailRef::parse).toList();
    }

    /**
     * The trails to check and, for the others, why not.
     *
     * @param candidates trails to check, in DescribeTrails order
     * @param skipped    trail ARN to the reason it is not checked here
     */
    record Selection(List<Trail> candidates, Map<String, String> skipped) {
    }

    Selection select(List<Trail> trails, String account, String region) {
        List<Trail> candidates = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Trail trail : trails) {
            if (!trail.startableFrom(account)) {
                skipped.put(trail.arn(), "owned by account " + trail.ownerAccountId()
                        + (trail.organization() ? " (organization trail)" : "") + ", not startable from here");
            } else if (!region.equals(trail.homeRegion())) {
                skipped.put(trail.arn(), "home region " + trail.homeRegion() + ", checked by the deployment there");
            } else if (!guards(trail)) {
                skipped.put(trail.arn(), "not in TRAILGUARD_GUARDED_TRAILS");
            } else {
                candidates.add(trail);
            }
        }
        return new Selection(candidates, skipped);
    }

    /**
     * Guarded trails that should be visible from this region but are not: bare names are expected here, ARNs in
     * their own region only (a single-region trail of another region is invisible from here).
     */
    List<TrailRef> missing(List<Trail> trails, String region) {
        return guarded.stream()
                .filter(ref -> ref.region().map(region::equals).orElse(true))
                .filter(ref -> trails.stream().noneMatch(t -> ref.matches(t.arn())))
                .toList();
    }

    private boolean guards(Trail trail) {
        return guarded.isEmpty() || guarded.stream().anyMatch(ref -> ref.matches(trail.arn()));
    }
}
