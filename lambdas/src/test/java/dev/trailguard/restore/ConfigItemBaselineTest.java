package dev.trailguard.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an AWS Config item of an AWS::CloudTrail::Trail says about the trail's selectors and Insights. */
class ConfigItemBaselineTest {

    static final Instant CAPTURED = Instant.parse("2026-11-20T13:56:40Z");

    @ParameterizedTest(name = "hasCustomEventSelectors {0}, hasInsightSelectors {1}: default selector {2}, none {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        false   | false   | true  | true
        false   | true    | true  | false
        true    | false   | false | true
        true    | true    | false | false
        -       | -       | false | false
        "false" | "false" | true  | true
        """)
    void flags_shouldGiveTheDefaultsOnlyWhenTheySayFalse(String custom, String insights, boolean defaultSelector,
                                                        boolean noInsights) {
        // given: the configuration as Config records it (a JSON string inside the item)
        StringBuilder json = new StringBuilder("{\"name\":\"management-events\",\"s3BucketName\":\"org-audit-logs\"");
        if (custom != null) {
            json.append(",\"hasCustomEventSelectors\":").append(custom);
        }
        if (insights != null) {
            json.append(",\"hasInsightSelectors\":").append(insights);
        }

        // when
        Baseline baseline = ConfigItemBaseline.of(RestoreFixtures.json(json + "}"), "1795183000123", CAPTURED)
                .orElseThrow();

        // then
        assertThat(baseline.settings().orElseThrow().s3BucketName()).isEqualTo("org-audit-logs");
        assertThat(baseline.settingsSource()).isEqualTo("AWS Config configuration item 1795183000123");
        assertThat(baseline.settingsCapturedAt()).contains(CAPTURED);
        assertThat(baseline.selectors()).isEqualTo(defaultSelector ? Optional.of(EventSelectors.DEFAULT)
                : Optional.empty());
        assertThat(baseline.insightTypes()).isEqualTo(noInsights ? Optional.of(Set.of()) : Optional.empty());
        assertThat(baseline.selectorsSource() != null).isEqualTo(defaultSelector || noInsights);
    }

    @org.junit.jupiter.api.Test
    void itemWithoutABucket_shouldGiveNoBaseline() {
        // then: a deleted trail's item, or one Config could not describe
        assertThat(ConfigItemBaseline.of(RestoreFixtures.json("{\"hasCustomEventSelectors\":false}"), "1", CAPTURED))
                .isEmpty();
    }
}
