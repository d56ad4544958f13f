package dev.trailguard.trail;

/**
 * A trail and its status, read together.
 *
 * @param trail  the trail
 * @param status its logging status
 */
public record TrailState(Trail trail, TrailStatus status) {
}
