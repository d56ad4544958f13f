package dev.trailguard.trail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TrailRefTest {

    @ParameterizedTest
    @ValueSource(strings = {"management-events", "abc", "Trail_01.prod", "a1b",
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events",
            "arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/t-1",
            "arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/gov.trail"})
    void validNameOrArn_shouldParse(String value) {
        // when
        TrailRef ref = TrailRef.parse(value);

        // then
        assertThat(ref.value()).isEqualTo(value);
        assertThat(ref.name()).isNotBlank().doesNotContain(":");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"ab", "-starts-with-dash", "ends-with-dash-", "my-_namespace", "my--namespace",
            "has space", "new\nline", "192.168.5.4", "ünïcode", "semi;colon",
            "arn:aws:s3:::my-bucket", "arn:aws:cloudtrail:us-east-1:1111:trail/short-account",
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/bad name",
            "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/abc",
            "arn:evil:cloudtrail:us-east-1:111122223333:trail/t1"})
    void invalidNameOrArn_shouldBeRejected(String value) {
        assertThatThrownBy(() -> TrailRef.parse(value)).isInstanceOf(InvalidTrailReferenceException.class);
    }

    @Test
    void tooLongName_shouldBeRejected() {
        assertThat(TrailRef.isValid("a".repeat(128))).isTrue();
        assertThat(TrailRef.isValid("a".repeat(129))).isFalse();
    }

    @Test
    void arn_shouldExposePartsAndMatchItself() {
        // when
        TrailRef ref = TrailRef.parse("arn:aws:cloudtrail:eu-west-1:111122223333:trail/t-1");

        // then
        assertThat(ref.isArn()).isTrue();
        assertThat(ref.region()).contains("eu-west-1");
        assertThat(ref.accountId()).contains("111122223333");
        assertThat(ref.matches("arn:aws:cloudtrail:eu-west-1:111122223333:trail/t-1")).isTrue();
        assertThat(ref.matches("arn:aws:cloudtrail:eu-west-1:999988887777:trail/t-1")).isFalse();
    }

    @Test
    void name_shouldMatchAnyArnWithThatName() {
        TrailRef ref = TrailRef.parse("t-1");
        assertThat(ref.matches("arn:aws:cloudtrail:eu-west-1:111122223333:trail/t-1")).isTrue();
        assertThat(ref.matches("arn:aws:cloudtrail:eu-west-1:111122223333:trail/t-10")).isFalse();
    }
}
