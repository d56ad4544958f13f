package dev.trailguard.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Issue 16 item 5: the organization drill's rotating sample of member accounts. */
class DrillRotationTest {

    static List<String> accounts(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("%012d", 100_000_000_000L + i * 7919L)).toList();
    }

    @ParameterizedTest(name = "{0} accounts, {1} a day, from day {2}")
    @CsvSource({
            "1, 3, 20412", "2, 3, 20412", "3, 3, 20412", "4, 3, 20412", "5, 3, 0", "7, 3, 20413", "10, 3, 20414",
            "11, 2, 20415", "36, 3, 20416", "100, 3, 20417", "101, 3, 20418", "100, 7, 20419", "250, 10, 20420",
            "9, 1, 20421", "1000, 3, 19000"})
    void everyAccount_shouldBeDrilledWithinCeilOfNOverKDays(int n, int perDay, long firstDay) {
        // given: N accounts, in an order the rotation must not depend on
        List<String> all = new ArrayList<>(accounts(n));
        Collections.shuffle(all, new java.util.Random(n * 31L + perDay));
        int days = (n + perDay - 1) / perDay;

        // when: ceil(N/k) consecutive days, starting on any day
        Set<String> drilled = new HashSet<>();
        for (long day = firstDay; day < firstDay + days; day++) {
            List<String> sample = DrillRotation.sample(all, perDay, day);
            // then: each day k distinct accounts (all of them when there are no more than k)
            assertThat(sample).doesNotHaveDuplicates().hasSize(Math.min(n, perDay));
            assertThat(all).containsAll(sample);
            drilled.addAll(sample);
        }

        // then: every account once within those days
        assertThat(drilled).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void sameDay_shouldPickTheSameAccountsWhateverTheOrder() {
        // given: a retried invocation sees the accounts in another order
        List<String> listed = accounts(10);
        List<String> reversed = new ArrayList<>(listed);
        Collections.reverse(reversed);

        // then
        assertThat(DrillRotation.sample(reversed, 3, 20412)).isEqualTo(DrillRotation.sample(listed, 3, 20412));
    }

    @Test
    void nextDay_shouldContinueWhereThePreviousStopped() {
        // given: 7 accounts, 3 a day
        List<String> sorted = accounts(7);

        // then: 0-2, 3-5, then 6 and around to 0-1
        long day = 7 * 1000;
        assertThat(DrillRotation.sample(sorted, 3, day)).containsExactly(sorted.get(0), sorted.get(1), sorted.get(2));
        assertThat(DrillRotation.sample(sorted, 3, day + 1)).containsExactly(sorted.get(3), sorted.get(4),
                sorted.get(5));
        assertThat(DrillRotation.sample(sorted, 3, day + 2)).containsExactly(sorted.get(6), sorted.get(0),
                sorted.get(1));
    }

    @Test
    void noAccountsOrDuplicates_shouldBeHandled() {
        assertThat(DrillRotation.sample(List.of(), 3, 1)).isEmpty();
        assertThat(DrillRotation.sample(List.of("111122223333", "111122223333"), 3, 1)).containsExactly("111122223333");
        assertThatThrownBy(() -> DrillRotation.sample(accounts(3), 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
