package dev.trailguard.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.ConfigurationException;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.UserIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.core.exception.SdkClientException;

@ExtendWith(MockitoExtension.class)
class BaselineSourcesTest {

    static final Instant AT = Instant.parse("2026-11-20T14:33:47Z");

    @Mock
    BaselineSource declared;
    @Mock
    BaselineSource recorded;

    static Baseline settingsOnly(String bucket, String source) {
        return new Baseline(Optional.of(new TrailSettings(bucket, null, true, true, true, null, null, null, null,
                false)), source, Optional.empty(), Optional.empty(), Optional.empty(), null);
    }

    @Test
    void declaredSettings_shouldWinAndConfigShouldNotBeAsked() {
        // given
        when(declared.baselineBefore(RestoreFixtures.TRAIL, AT)).thenReturn(RestoreFixtures.fullBaseline());

        // when
        Baseline baseline = new LayeredBaselineSource(declared, recorded).baselineBefore(RestoreFixtures.TRAIL, AT);

        // then
        assertThat(baseline.settings().orElseThrow().s3BucketName()).isEqualTo("org-audit-logs");
        verifyNoInteractions(recorded);
    }

    @Test
    void declaredSelectorsOnly_shouldTakeSettingsFromConfig() {
        // given
        when(declared.baselineBefore(any(), any())).thenReturn(RestoreFixtures.advancedBaseline());
        when(recorded.baselineBefore(any(), any())).thenReturn(settingsOnly("config-bucket", "AWS Config item 1"));

        // when
        Baseline baseline = new LayeredBaselineSource(declared, recorded).baselineBefore(RestoreFixtures.TRAIL, AT);

        // then
        assertThat(baseline.settings().orElseThrow().s3BucketName()).isEqualTo("config-bucket");
        assertThat(baseline.settingsSource()).isEqualTo("AWS Config item 1");
        assertThat(baseline.selectors().orElseThrow().advanced()).isTrue();
        assertThat(baseline.selectorsSource()).isEqualTo("declared baseline");
    }

    @Test
    void declaredSettingsWithoutSelectors_shouldTakeTheDefaultSelectorAndNoInsightsFromConfig() {
        // given: the declaration has settings only; Config's item says hasCustomEventSelectors/InsightSelectors false
        String item = Baseline.CONFIG_ITEM + "1795183000123";
        when(declared.baselineBefore(any(), any())).thenReturn(settingsOnly("declared-bucket", "declared baseline"));
        when(recorded.baselineBefore(any(), any())).thenReturn(new Baseline(settingsOnly("config-bucket", item)
                .settings(), item, Optional.empty(), Optional.of(EventSelectors.DEFAULT), Optional.of(Set.of()),
                item + " (flags)"));

        // when
        Baseline baseline = new LayeredBaselineSource(declared, recorded).baselineBefore(RestoreFixtures.TRAIL, AT);

        // then: the declared settings win; selectors and Insights come from Config
        assertThat(baseline.settings().orElseThrow().s3BucketName()).isEqualTo("declared-bucket");
        assertThat(baseline.settingsSource()).isEqualTo("declared baseline");
        assertThat(baseline.selectors()).contains(EventSelectors.DEFAULT);
        assertThat(baseline.insightTypes()).contains(Set.of());
        assertThat(baseline.selectorsSource()).isEqualTo(item + " (flags)");
    }

    @Test
    void declaredSelectorsWithConfigInsights_shouldNameBothSources() {
        // given
        when(declared.baselineBefore(any(), any())).thenReturn(RestoreFixtures.advancedBaseline());
        when(recorded.baselineBefore(any(), any())).thenReturn(new Baseline(Optional.empty(), null,
                Optional.empty(), Optional.of(EventSelectors.DEFAULT), Optional.of(Set.of()), "AWS Config item 1"));

        // when
        Baseline baseline = new LayeredBaselineSource(declared, recorded).baselineBefore(RestoreFixtures.TRAIL, AT);

        // then: the declared selectors win over Config's default
        assertThat(baseline.selectors().orElseThrow().advanced()).isTrue();
        assertThat(baseline.insightTypes()).contains(Set.of());
        assertThat(baseline.selectorsSource())
                .isEqualTo("declared baseline (event selectors); AWS Config item 1 (Insights)");
    }

    @Test
    void failingSource_shouldCountAsKnowingNothing() {
        // given
        when(declared.baselineBefore(any(), any())).thenThrow(new AwsCallFailedException("ssm:GetParameter",
                SdkClientException.create("timeout")));
        when(recorded.baselineBefore(any(), any())).thenReturn(settingsOnly("config-bucket", "AWS Config"));

        // when
        Baseline baseline = new LayeredBaselineSource(declared, recorded).baselineBefore(RestoreFixtures.TRAIL, AT);

        // then
        assertThat(baseline.settings()).isPresent();
        assertThat(baseline.selectors()).isEmpty();
        assertThat(baseline.unavailable()).singleElement().asString().startsWith("ssm:GetParameter failed");
        verify(recorded).baselineBefore(RestoreFixtures.TRAIL, AT);
    }

    @Test
    void declaredDocument_shouldReadGetTrailShapesAndIgnoreAbsentParts() {
        // when
        Baseline full = RestoreFixtures.fullBaseline();
        Baseline selectorsOnly = RestoreFixtures.advancedBaseline();

        // then
        TrailSettings s = full.settings().orElseThrow();
        assertThat(s).isEqualTo(new TrailSettings("org-audit-logs", "ct", true, true, true, RestoreFixtures.KMS,
                "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail:*",
                "arn:aws:iam::111122223333:role/CloudTrail-CloudWatchLogs", null, false));
        assertThat(full.insightTypes().orElseThrow()).containsExactly("ApiCallRateInsight");
        assertThat(selectorsOnly.settings()).isEmpty();
        assertThat(selectorsOnly.insightTypes()).isEmpty();
    }

    @Test
    void restoreParameters_shouldRejectASelectorLongerThanSsmAllows() {
        // given: one selector with enough ARNs to pass 512 characters as JSON
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            values.append(i == 0 ? "" : ",").append("\"arn:aws:s3:::bucket-number-").append(i).append("/\"");
        }
        Baseline big = Baseline.declared(RestoreFixtures.json("""
                {"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,
                 "DataResources":[{"Type":"AWS::S3::Object","Values":[%s]}]}]}""".formatted(values)), "declared");

        // when / then
        assertThatThrownBy(() -> RestoreParameters.of(new RestoreRequest(RestoreFixtures.TRAIL, big, false, "e",
                "PutEventSelectors"), RestoreFixtures.ROLE)).isInstanceOf(UnrestorableBaselineException.class)
                .hasMessageContaining("SSM takes at most 512");
    }

    @Test
    void recreateWithoutSettings_shouldBeUnrestorable() {
        // when / then
        assertThatThrownBy(() -> RestoreParameters.of(new RestoreRequest(RestoreFixtures.TRAIL,
                RestoreFixtures.advancedBaseline(), true, "e", "DeleteTrail"), RestoreFixtures.ROLE))
                .isInstanceOf(UnrestorableBaselineException.class).hasMessageContaining("S3 bucket");
    }

    @Test
    void gapQueries_shouldBeBoundedAndKeepEventTextOutOfTheSql() {
        // given: a principal ARN carrying a quote, as a forged event might
        CloudTrailRecord record = new CloudTrailRecord("UpdateTrail", "cloudtrail.amazonaws.com",
                "2026-11-20T14:33:47Z", "us-east-1", "e-1", "198.51.100.23", "cli", null, null,
                new UserIdentity("IAMUser", "AIDA", "arn:aws:iam::111122223333:user/x' OR '1'='1", "111122223333",
                        "x", null, null), null, "111122223333", null);

        // when
        Map<String, String> details = GapReport.details(record, "Trail weakened",
                ResponseConfig.fromEnvironment(Map.of(ResponseConfig.LAKE_EVENT_DATA_STORE, "eds-0123abcd",
                        ResponseConfig.ATHENA_TABLE, "security.cloudtrail_logs")));

        // then
        assertThat(details.get("CloudTrail Lake SQL")).isEqualTo("SELECT eventTime, eventSource, eventName, "
                + "awsRegion, sourceIPAddress, userIdentity.arn, errorCode, requestParameters FROM eds-0123abcd "
                + "WHERE eventTime >= '2026-11-20 13:33:47' AND eventTime <= '2026-11-20 16:33:47' AND "
                + "userIdentity.arn = 'arn:aws:iam::111122223333:user/x__OR__1_=_1' ORDER BY eventTime LIMIT 500");
        assertThat(details.get("Athena SQL")).contains("FROM security.cloudtrail_logs", "LIMIT 500")
                .doesNotContain("' OR '");
        assertThat(details.get("Unrecorded window"))
                .startsWith("Trail weakened from 2026-11-20T14:33:47Z until the restore completes");
        assertThat(details.values()).allMatch(v -> v.length() <= 1024);
    }

    @Test
    void responseConfig_shouldRejectMalformedValuesNamingTheVariable() {
        // then
        assertThatThrownBy(() -> ResponseConfig.fromEnvironment(Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS,
                "arn:aws:iam::111122223333:user/alice"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(ResponseConfig.AUTHORIZED_ROLE_ARNS);
        assertThatThrownBy(() -> ResponseConfig.fromEnvironment(Map.of(ResponseConfig.ATHENA_TABLE,
                "logs; DROP TABLE x"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(ResponseConfig.ATHENA_TABLE);
        assertThat(ResponseConfig.defaults()).isEqualTo(new ResponseConfig(java.util.Set.of(), "TrailGuard",
                "/trailguard/baseline/", "<event-data-store-id>", "cloudtrail_logs"));
        assertThat(List.of(ResponseConfig.fromEnvironment(Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS,
                " arn:aws:iam::111122223333:role/Deploy , arn:aws:iam::111122223333:role/BreakGlass "))
                .authorizedRoleArns().size())).containsExactly(2);
    }
}
