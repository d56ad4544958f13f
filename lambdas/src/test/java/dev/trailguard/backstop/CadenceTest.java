package dev.trailguard.backstop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CadenceTest {

    static final String ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/t1";

    @ParameterizedTest(name = "stop {0}, sweep {1} -> attempt {2}, notify {3}")
    @CsvSource({
        "2026-11-20T13:00:00Z, 2026-11-20T13:03:00Z, 0, true",
        "2026-11-20T13:00:00Z, 2026-11-20T13:07:59Z, 0, true",
        "2026-11-20T13:00:00Z, 2026-11-20T13:08:00Z, 0, false",
        "2026-11-20T13:00:00Z, 2026-11-20T14:02:59Z, 0, false",
        "2026-11-20T13:00:00Z, 2026-11-20T14:03:00Z, 1, true",
        "2026-11-20T13:00:00Z, 2026-11-21T13:04:00Z, 24, true",
    })
    void stopAndSweepTime_shouldGiveAttemptAndNotifyWindow(String stop, String now, int attempt, boolean notify) {
        // given
        Optional<Instant> stoppedAt = Optional.of(Instant.parse(stop));

        // when
        String key = Cadence.stopIncidentKey(ARN, stoppedAt, Instant.parse(now));
        boolean first = Cadence.firstSweepOfPeriod(stoppedAt, Instant.parse(now));

        // then
        assertThat(key).isEqualTo("stop/" + ARN + "/" + stop + "/attempt-" + attempt);
        assertThat(first).isEqualTo(notify);
    }

    @ParameterizedTest(name = "sweep {0} -> first of UTC hour {1}")
    @CsvSource({"2026-11-20T14:00:00Z, true", "2026-11-20T14:04:59Z, true", "2026-11-20T14:05:00Z, false",
        "2026-11-20T14:59:59Z, false"})
    void conditionWithoutStart_shouldNotifyOnFirstSweepOfEachUtcHour(String now, boolean expected) {
        assertThat(Cadence.firstSweepOfPeriod(Optional.empty(), Instant.parse(now))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "never-logged trail at {0} -> {1}")
    @CsvSource({"2026-11-20T14:00:00Z, 2026-11-20T14:59:59Z, true", "2026-11-20T14:59:59Z, 2026-11-20T15:00:00Z, false"})
    void neverLoggedTrail_shouldKeyByUtcHour(String a, String b, boolean same) {
        String first = Cadence.stopIncidentKey(ARN, Optional.empty(), Instant.parse(a));
        String second = Cadence.stopIncidentKey(ARN, Optional.empty(), Instant.parse(b));
        assertThat(first.equals(second)).isEqualTo(same);
        assertThat(first).contains("never-logged");
    }

    @ParameterizedTest(name = "stop {0}, now {1} -> within grace {2}")
    @CsvSource({"2026-11-20T13:00:00Z, 2026-11-20T13:02:59Z, true", "2026-11-20T13:00:00Z, 2026-11-20T13:03:00Z, false"})
    void recentStop_shouldBeWithinGrace(String stop, String now, boolean expected) {
        assertThat(Cadence.withinGrace(Optional.of(Instant.parse(stop)), Instant.parse(now))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "stop {0}, sweep {1} -> runbook overdue {2}")
    @CsvSource({
        // stop 13:00, grace to 13:03: the first sweep of the period starts the runbook, the second finds it overdue
        "2026-11-20T13:00:00Z, 2026-11-20T13:05:00Z, false",
        "2026-11-20T13:00:00Z, 2026-11-20T13:07:59Z, false",
        "2026-11-20T13:00:00Z, 2026-11-20T13:08:00Z, true",
        "2026-11-20T13:00:00Z, 2026-11-20T13:12:59Z, true",
        "2026-11-20T13:00:00Z, 2026-11-20T13:13:00Z, false",
        "2026-11-20T13:00:00Z, 2026-11-20T14:05:00Z, false",
        "2026-11-20T13:00:00Z, 2026-11-20T14:10:00Z, true",
    })
    void secondSweepOfAPeriod_shouldFindTheRunbookOverdue(String stop, String now, boolean expected) {
        assertThat(Cadence.runbookOverdue(Optional.of(Instant.parse(stop)), Instant.parse(now))).isEqualTo(expected);
    }
}
