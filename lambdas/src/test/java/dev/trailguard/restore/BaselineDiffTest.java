package dev.trailguard.restore;

import static dev.trailguard.restore.RestoreFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailguard.restore.BaselineDiff.Change;
import dev.trailguard.restore.BaselineDiff.Effect;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BaselineDiffTest {

    static final TrailSettings BASELINE = RestoreFixtures.fullBaseline().settings().orElseThrow();
    static final EventSelectors SELECTORS = RestoreFixtures.fullBaseline().selectors().orElseThrow();

    @Test
    void attackerUpdateTrail_shouldFlagEveryWeakenedAndRedirectedSetting() {
        // given: the sample event's parameters
        TrailSettings after = BASELINE.afterUpdate(json("""
                {"name":"management-events","s3BucketName":"exfil-bucket-4417","isMultiRegionTrail":false,
                 "enableLogFileValidation":false,"kmsKeyId":""}"""));

        // when
        BaselineDiff diff = BaselineDiff.settings(BASELINE, after);

        // then
        assertThat(diff.changes()).containsExactly(
                new Change("S3BucketName", "org-audit-logs", "exfil-bucket-4417", Effect.CHANGED),
                new Change("IsMultiRegionTrail", "true", "false", Effect.WEAKENED),
                new Change("EnableLogFileValidation", "true", "false", Effect.WEAKENED),
                new Change("KmsKeyId", RestoreFixtures.KMS, "(not set)", Effect.CHANGED));
        assertThat(diff.needsRestore()).isTrue();
        assertThat(diff.asDetails(true)).containsEntry("Changed S3BucketName",
                "org-audit-logs -> exfil-bucket-4417 (changed, reverted)")
                .containsEntry("Changed IsMultiRegionTrail", "true -> false (weakened, reverted)");
    }

    @Test
    void updateTrailThatOnlyAddsCoverage_shouldNotNeedRestore() {
        // given: baseline without global events and CloudWatch Logs
        TrailSettings narrow = new TrailSettings("org-audit-logs", null, true, false, true, null, null, null, null,
                false);
        TrailSettings after = narrow.afterUpdate(json("""
                {"name":"management-events","includeGlobalServiceEvents":true,
                 "cloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:111122223333:log-group:ct:*",
                 "cloudWatchLogsRoleArn":"arn:aws:iam::111122223333:role/ct-logs"}"""));

        // when
        BaselineDiff diff = BaselineDiff.settings(narrow, after);

        // then
        assertThat(diff.changes()).extracting(Change::effect).containsOnly(Effect.ADDED).hasSize(3);
        assertThat(diff.needsRestore()).isFalse();
        assertThat(diff.asDetails(false).values()).allMatch(v -> v.endsWith("(added coverage, kept)"));
    }

    @Test
    void removingCloudWatchLogsDelivery_shouldBeWeakened() {
        // when
        BaselineDiff diff = BaselineDiff.settings(BASELINE, BASELINE.afterUpdate(json("""
                {"cloudWatchLogsLogGroupArn":"","cloudWatchLogsRoleArn":""}""")));

        // then
        assertThat(diff.changes()).extracting(Change::setting, Change::effect).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CloudWatchLogsLogGroupArn", Effect.WEAKENED),
                org.assertj.core.groups.Tuple.tuple("CloudWatchLogsRoleArn", Effect.WEAKENED));
    }

    @Test
    void settingAKmsKeyWhereThereWasNone_shouldBeRevertedAsChanged() {
        // given: an attacker's key can be disabled later, making the logs unreadable
        TrailSettings plain = new TrailSettings("org-audit-logs", null, true, true, true, null, null, null, null,
                false);

        // when
        BaselineDiff diff = BaselineDiff.settings(plain, plain.afterUpdate(json("""
                {"kmsKeyId":"arn:aws:kms:us-east-1:444455556666:key/attacker"}""")));

        // then
        assertThat(diff.changes()).singleElement().extracting(Change::effect).isEqualTo(Effect.CHANGED);
    }

    @Test
    void sameSettingsAgain_shouldBeEmpty() {
        // then
        assertThat(BaselineDiff.settings(BASELINE, BASELINE.afterUpdate(json("""
                {"name":"management-events","s3BucketName":"org-audit-logs","isMultiRegionTrail":true}"""))).isEmpty())
                .isTrue();
    }

    @Test
    void droppingManagementAndDataEvents_shouldNameWhatIsNoLongerRecorded() {
        // given: the sample PutEventSelectors (WriteOnly, no management events, no data resources)
        EventSelectors after = EventSelectors.parse(json("""
                {"trailName":"management-events","eventSelectors":[{"readWriteType":"WriteOnly",
                 "includeManagementEvents":false,"dataResources":[],"excludeManagementEventSources":[]}]}"""));

        // when
        BaselineDiff diff = BaselineDiff.selectors(SELECTORS, after);

        // then
        assertThat(diff.noLongerRecorded()).containsExactly(
                "Management events (Read)",
                "Data events AWS::S3::Object arn:aws:s3:::payroll-data/ (Read)",
                "Data events AWS::Lambda::Function arn:aws:lambda (Read)",
                "Management events (Write)",
                "Data events AWS::S3::Object arn:aws:s3:::payroll-data/ (Write)",
                "Data events AWS::Lambda::Function arn:aws:lambda (Write)");
        assertThat(diff.needsRestore()).isTrue();
        assertThat(diff.asDetails(true)).containsEntry("No longer recorded 2",
                "Data events AWS::S3::Object arn:aws:s3:::payroll-data/ (Read) (weakened, reverted)");
    }

    @Test
    void broaderPrefixAndMoreBuckets_shouldOnlyAddCoverage() {
        // given: every S3 bucket instead of one, plus the same Lambda coverage
        EventSelectors after = EventSelectors.parse(json("""
                {"eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"dataResources":[
                  {"type":"AWS::S3::Object","values":["arn:aws:s3"]},
                  {"type":"AWS::Lambda::Function","values":["arn:aws:lambda"]}]}]}"""));

        // when
        BaselineDiff diff = BaselineDiff.selectors(SELECTORS, after);

        // then
        assertThat(diff.needsRestore()).isFalse();
        assertThat(diff.changes()).extracting(Change::after)
                .containsExactly("Data events AWS::S3::Object arn:aws:s3 (Read)",
                        "Data events AWS::S3::Object arn:aws:s3 (Write)");
    }

    @Test
    void excludingKmsEvents_shouldBeWeakened() {
        // given
        EventSelectors after = EventSelectors.parse(json("""
                {"eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"dataResources":[
                  {"type":"AWS::S3::Object","values":["arn:aws:s3:::payroll-data/"]},
                  {"type":"AWS::Lambda::Function","values":["arn:aws:lambda"]}],
                  "excludeManagementEventSources":["kms.amazonaws.com"]}]}"""));

        // when
        BaselineDiff diff = BaselineDiff.selectors(SELECTORS, after);

        // then
        assertThat(diff.noLongerRecorded()).containsExactly("Management events from kms.amazonaws.com");
    }

    @Test
    void switchingFromBasicToAdvanced_shouldCompareWhatBothRecord() {
        // given: advanced selectors that keep management events and the S3 prefix, but not the Lambda data events
        EventSelectors after = RestoreFixtures.advancedBaseline().selectors().orElseThrow();

        // when
        BaselineDiff diff = BaselineDiff.selectors(SELECTORS, after);

        // then: the switch itself is no change; the lost Lambda coverage is
        assertThat(diff.noLongerRecorded()).containsExactly(
                "Data events AWS::Lambda::Function arn:aws:lambda (Read)",
                "Data events AWS::Lambda::Function arn:aws:lambda (Write)");
        assertThat(diff.needsRestore()).isTrue();
    }

    @Test
    void newSelectorsRepeatingAField_shouldNeverProveCoverage() {
        // given: the same condition twice would be ANDed by CloudTrail; the model cannot hold that
        EventSelectors baseline = RestoreFixtures.advancedBaseline().selectors().orElseThrow();
        EventSelectors after = EventSelectors.parse(json("""
                {"advancedEventSelectors":[{"name":"Management events",
                  "fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]},
                 {"name":"S3 payroll reads and writes","fieldSelectors":[
                  {"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]},
                  {"field":"resources.ARN","startsWith":["arn:aws:s3:::payroll-data/"]},
                  {"field":"resources.ARN","startsWith":["arn:aws:s3:::nothing-here/"]}]}]}"""));

        // when
        BaselineDiff diff = BaselineDiff.selectors(baseline, after);

        // then
        assertThat(after.unreadable()).containsExactly("field resources.ARN repeated in one selector");
        assertThat(diff.needsRestore()).isTrue();
        assertThat(diff.asDetails(true).get("Not proven recorded 1")).contains("cannot read the new selectors "
                + "exactly (field resources.ARN repeated in one selector)");
    }

    @Test
    void baselineThatCannotBeReadExactly_shouldNotBeRestored() {
        // given
        Baseline baseline = Baseline.declared(json("""
                {"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},
                  {"Field":"resources.type","Equals":["AWS::S3::Object"]},
                  {"Field":"resources.ARN","StartsWith":["arn:aws:s3:::a/"],"In":["x"]}]}]}"""), "declared");

        // when / then
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RestoreParameters.of(new RestoreRequest(
                RestoreFixtures.TRAIL, baseline, false, "e", "PutEventSelectors"), RestoreFixtures.ROLE))
                .isInstanceOf(UnrestorableBaselineException.class)
                .hasMessageContaining("unknown operator In on field resources.ARN");
    }

    @Test
    void droppingOneAdvancedSelector_shouldNameIt() {
        // given
        EventSelectors baseline = RestoreFixtures.advancedBaseline().selectors().orElseThrow();
        EventSelectors after = EventSelectors.parse(json("""
                {"advancedEventSelectors":[{"name":"Management events",
                  "fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]}]}"""));

        // when
        BaselineDiff diff = BaselineDiff.selectors(baseline, after);

        // then
        assertThat(diff.noLongerRecorded()).containsExactly("Advanced selector 'S3 payroll reads and writes' "
                + "[eventCategory Equals Data; resources.ARN StartsWith arn:aws:s3:::payroll-data/; "
                + "resources.type Equals AWS::S3::Object]");
    }

    @Test
    void insights_shouldReportRemovedAsWeakenedAndAddedAsKept() {
        // when
        BaselineDiff removed = BaselineDiff.insights(Set.of("ApiCallRateInsight"), Set.of());
        BaselineDiff added = BaselineDiff.insights(Set.of(), Set.of("ApiErrorRateInsight"));

        // then
        assertThat(removed.noLongerRecorded()).containsExactly("Insights ApiCallRateInsight");
        assertThat(removed.needsRestore()).isTrue();
        assertThat(added.needsRestore()).isFalse();
    }
}
