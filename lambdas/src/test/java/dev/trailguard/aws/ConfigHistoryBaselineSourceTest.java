package dev.trailguard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.RestoreFixtures;
import dev.trailguard.testing.AwsStub;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** AWS Config's history over the wire: which items may become a baseline. */
class ConfigHistoryBaselineSourceTest {

    static final Instant AT = Instant.parse("2026-11-20T14:33:47Z"); // 1795185227

    AwsStub stub;
    ConfigHistoryBaselineSource source;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        source = new ConfigHistoryBaselineSource(stub.clients(Region.US_EAST_1)::config, new ObjectMapper());
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    static String item(double time, String status, String arn, String bucket) {
        return """
                {"configurationItemCaptureTime":%s,"configurationItemStatus":"%s","configurationStateId":"%s",
                 "arn":"%s","resourceType":"AWS::CloudTrail::Trail","resourceId":"management-events",
                 "configuration":%s}""".formatted(time, status, (long) time, arn,
                bucket == null ? "null" : "\"{\\\"s3BucketName\\\":\\\"" + bucket + "\\\",\\\"isMultiRegionTrail\\\":true}\"");
    }

    @Test
    void itemsAtOrAfterTheCallDeletedOrOfAnotherTrail_shouldBeSkipped() {
        // given: newest first
        stub.config("GetResourceConfigHistory", "{\"configurationItems\":["
                + item(1795185227, "OK", RestoreFixtures.TRAIL_ARN, "exfil-bucket") + ","
                + item(1795185000, "ResourceDeleted", RestoreFixtures.TRAIL_ARN, null) + ","
                + item(1795184000, "OK", "arn:aws:cloudtrail:us-east-1:111122223333:trail/other", "other-bucket") + ","
                + item(1795183000, "OK", RestoreFixtures.TRAIL_ARN, "org-audit-logs") + "]}");

        // when
        Baseline baseline = source.baselineBefore(RestoreFixtures.TRAIL, AT);

        // then
        assertThat(baseline.settings().orElseThrow().s3BucketName()).isEqualTo("org-audit-logs");
        assertThat(baseline.settingsCapturedAt()).contains(Instant.ofEpochSecond(1795183000));
        assertThat(baseline.selectors()).isEmpty();
        assertThat(AwsStub.json(stub.requests("config:GetResourceConfigHistory").get(0)).path("limit").asInt())
                .isEqualTo(ConfigHistoryBaselineSource.HISTORY_ITEMS);
    }

    @Test
    void onlyTamperedItems_shouldGiveNoBaseline() {
        // given
        stub.config("GetResourceConfigHistory", "{\"configurationItems\":["
                + item(1795185300, "OK", RestoreFixtures.TRAIL_ARN, "exfil-bucket") + "]}");

        // then
        assertThat(source.baselineBefore(RestoreFixtures.TRAIL, AT).isEmpty()).isTrue();
    }

    @Test
    void resourceNeverRecorded_shouldGiveNoBaselineButOtherErrorsShouldPropagate() {
        // given
        stub.configError("GetResourceConfigHistory", 400, "ResourceNotDiscoveredException", "not discovered");

        // then
        assertThat(source.baselineBefore(RestoreFixtures.TRAIL, AT).isEmpty()).isTrue();

        // given
        stub.configError("GetResourceConfigHistory", 400, "AccessDeniedException", "no");

        // then
        assertThatThrownBy(() -> source.baselineBefore(RestoreFixtures.TRAIL, AT))
                .isInstanceOf(AwsCallFailedException.class).hasMessageStartingWith("config:GetResourceConfigHistory");
    }
}
