package dev.trailguard.trail;

import java.util.List;
import java.util.Optional;

/** Port: finds trails and their status. */
public interface TrailLocator {

    /** The trail that the reference names, with its status; empty if it does not exist (for example deleted). */
    Optional<TrailState> locate(TrailRef ref);

    /** Every trail visible from this region (including shadow trails of other regions), without status. */
    List<Trail> listTrails();

    /** The status of one trail. */
    TrailStatus status(Trail trail);
}
