package dev.trailguard.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which member accounts the daily drill picks: {@code perDay} consecutive accounts of the sorted list, starting where
 * the previous day stopped ({@code day * perDay}, wrapping around). Deterministic, so a retried invocation of the same
 * day drills the same accounts, and with {@code N} accounts every one of them is drilled within {@code ceil(N / perDay)}
 * consecutive days (those days cover {@code ceil(N / perDay) * perDay >= N} consecutive positions). An account that
 * joins or leaves shifts the positions; the next full cycle covers everyone again.
 */
public final class DrillRotation {

    private DrillRotation() {
    }

    /**
     * The day's sample.
     *
     * @param accounts the active account ids, in any order (duplicates ignored)
     * @param perDay   how many a day, at least 1
     * @param day      the day number (UTC days since 1970-01-01)
     * @return at most {@code perDay} distinct accounts, in rotation order
     */
    public static List<String> sample(List<String> accounts, int perDay, long day) {
        if (perDay < 1) {
            throw new IllegalArgumentException("perDay must be at least 1, was " + perDay);
        }
        List<String> sorted = new ArrayList<>(new TreeSet<>(accounts));
        int n = sorted.size();
        if (n <= perDay) {
            return sorted;
        }
        int start = (int) Math.floorMod(day * perDay, (long) n);
        List<String> picked = new ArrayList<>(perDay);
        for (int i = 0; i < perDay; i++) {
            picked.add(sorted.get((start + i) % n));
        }
        return picked;
    }
}
