package dev.trailguard.drill;

import java.util.List;

/** Port: the organization hub's member accounts that the drill rotates over. */
public interface DrillAccounts {

    /**
     * The ids of the active accounts under the guarded OUs (and their child OUs), in any order.
     *
     * @throws dev.trailguard.core.CallFailedException if Organizations could not be read
     */
    List<String> activeAccounts();

    /** Outside the organization hub: no accounts to list. */
    DrillAccounts NONE = () -> {
        throw new IllegalStateException("no member accounts outside the organization hub");
    };
}
