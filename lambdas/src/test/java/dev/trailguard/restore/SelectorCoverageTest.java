package dev.trailguard.restore;

import static dev.trailguard.restore.SelectorNotation.selectors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trailguard.restore.BaselineDiff.Change;
import dev.trailguard.restore.BaselineDiff.Effect;
import dev.trailguard.restore.CoverageUnits.Reading;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How selectors match events and compare, per resource type and operator, as AWS documents them (the sources are
 * cited in {@link SelectorCoverage} and {@link CoverageUnits}).
 */
class SelectorCoverageTest {

    static final String FN = "arn:aws:lambda:us-east-1:111122223333:function:";
    static final String TABLE = "arn:aws:dynamodb:us-east-1:111122223333:table/";

    /** Whether the selectors record one event: the event's fields as {@code field=value} pairs. */
    static boolean records(String selectorNotation, String event) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : event.split(" ")) {
            String[] kv = pair.split("=", 2);
            fields.put(kv[0], kv[1]);
        }
        return CoverageUnits.selections(selectors(selectorNotation), Reading.NARROW).stream()
                .anyMatch(s -> s.matches(fields));
    }

    @ParameterizedTest(name = "{0} records {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        basic All S3=arn:aws:s3:::bucket/                    | arn:aws:s3:::bucket/key.csv                               | true
        basic All S3=arn:aws:s3:::bucket/                    | arn:aws:s3:::bucket-logs/key.csv                          | false
        basic All S3=arn:aws:s3:::bucket/logs/               | arn:aws:s3:::bucket/logs/2026/key.csv                     | true
        basic All S3=arn:aws:s3:::bucket/logs/               | arn:aws:s3:::bucket/other/key.csv                         | false
        basic All S3=arn:aws:s3                              | arn:aws:s3:::any-bucket/key.csv                           | true
        basic All Lambda=%1$spayments                         | %1$spayments                                             | true
        basic All Lambda=%1$spayments                         | %1$spayments-prod                                        | false
        basic All Lambda=%1$spayments-prod                    | %1$spayments                                             | false
        basic All Lambda=arn:aws:lambda                      | %1$spayments-prod                                         | true
        basic All DynamoDB=%2$sorders                         | %2$sorders                                               | true
        basic All DynamoDB=%2$sorders                         | %2$sorders-archive                                       | false
        basic All DynamoDB=arn:aws:dynamodb                  | %2$sorders-archive                                        | true
        """)
    void basicDataResourceValue_shouldMatchAsAwsDocumentsForItsType(String selector, String arn, boolean recorded) {
        // given: a data event of the value's type (types from the notation's value)
        String type = selector.contains("S3=") ? "AWS::S3::Object" : selector.contains("Lambda=")
                ? "AWS::Lambda::Function" : "AWS::DynamoDB::Table";
        String fn = selector.formatted(FN, TABLE);

        // when / then
        assertThat(records(fn, "eventCategory=Data resources.type=" + type + " readOnly=true resources.ARN="
                + arn.formatted(FN, TABLE))).isEqualTo(recorded);
    }

    @ParameterizedTest(name = "{0} records {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        adv resources.ARN Equals arn:aws:s3:::b/k,arn:aws:s3:::c/k                   | resources.ARN=arn:aws:s3:::c/k          | true
        adv resources.ARN Equals arn:aws:s3:::b/k                                    | resources.ARN=arn:aws:s3:::b/k2         | false
        adv resources.ARN StartsWith arn:aws:s3:::b/,arn:aws:s3:::c/                 | resources.ARN=arn:aws:s3:::c/x          | true
        adv resources.ARN StartsWith arn:aws:s3:::b/                                 | resources.ARN=arn:aws:s3:::bb/x         | false
        adv resources.ARN EndsWith .csv,.json                                        | resources.ARN=arn:aws:s3:::b/x.json     | true
        adv resources.ARN EndsWith .csv                                              | resources.ARN=arn:aws:s3:::b/x.csv.gz   | false
        adv resources.ARN NotEquals arn:aws:s3:::b/k,arn:aws:s3:::c/k                | resources.ARN=arn:aws:s3:::c/k          | false
        adv resources.ARN NotEquals arn:aws:s3:::b/k,arn:aws:s3:::c/k                | resources.ARN=arn:aws:s3:::d/k          | true
        adv resources.ARN NotStartsWith arn:aws:s3:::b/,arn:aws:s3:::c/              | resources.ARN=arn:aws:s3:::b/x          | false
        adv resources.ARN NotStartsWith arn:aws:s3:::b/,arn:aws:s3:::c/              | resources.ARN=arn:aws:s3:::bb/x         | true
        adv resources.ARN NotEndsWith .tmp,.log                                      | resources.ARN=arn:aws:s3:::b/x.log      | false
        adv resources.ARN NotEndsWith .tmp,.log                                      | resources.ARN=arn:aws:s3:::b/x.csv      | true
        adv resources.ARN StartsWith arn:aws:s3:::b/ NotStartsWith arn:aws:s3:::b/private/ | resources.ARN=arn:aws:s3:::b/private/x | false
        adv resources.ARN StartsWith arn:aws:s3:::b/ NotStartsWith arn:aws:s3:::b/private/ | resources.ARN=arn:aws:s3:::b/public/x | true
        adv eventName Equals PutObject,DeleteObject                                  | eventName=DeleteObject                  | true
        adv eventName Equals PutObject,DeleteObject                                  | eventName=GetObject                     | false
        adv eventName NotStartsWith Get                                              | eventName=GetObject                     | false
        adv readOnly Equals true                                                     | readOnly=false                          | false
        adv eventCategory Equals Management                                          | eventCategory=Data                      | false
        adv resources.type Equals AWS::S3::Object                                    | resources.type=AWS::Lambda::Function    | false
        adv eventSource NotEquals kms.amazonaws.com                                  | eventSource=kms.amazonaws.com           | false
        adv eventSource NotEquals kms.amazonaws.com                                  | eventSource=iam.amazonaws.com           | true
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object        | eventCategory=Data resources.type=AWS::Lambda::Function | false
        """)
    void advancedOperator_shouldMatchAsAwsDocumentsIt(String selector, String event, boolean recorded) {
        assertThat(records(selector, event)).isEqualTo(recorded);
    }

    /** The comparison a diff makes, in one word: what it does to the baseline's coverage. */
    static String verdict(BaselineDiff diff) {
        if (diff.isEmpty()) {
            return "no change";
        }
        if (!diff.needsRestore()) {
            return "added";
        }
        return diff.changes().stream().filter(c -> c.effect() == Effect.WEAKENED).map(Change::after)
                .findFirst().orElseThrow().replaceAll("[()]", "");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        basic All S3=arn:aws:s3:::bucket/                | basic All S3=arn:aws:s3:::bucket/                 | no change
        basic All S3=arn:aws:s3:::bucket/                | basic All S3=arn:aws:s3:::bucket-logs/            | not recorded
        basic All S3=arn:aws:s3:::bucket/                | basic All S3=arn:aws:s3                           | added
        basic All S3=arn:aws:s3:::bucket/                | basic All S3=arn:aws:s3:::bucket/logs/            | partly recorded
        basic All S3=arn:aws:s3:::bucket/logs/           | basic All S3=arn:aws:s3:::bucket/                 | added
        basic All S3=arn:aws:s3:::bucket                 | basic All S3=arn:aws:s3:::bucket/                 | partly recorded
        basic All S3=arn:aws:s3                          | basic All S3=arn:aws:s3:::bucket/                 | partly recorded
        basic All Lambda=%1$spayments                     | basic All Lambda=%1$spayments                     | no change
        basic All Lambda=%1$spayments                     | basic All Lambda=%1$spayments-prod                | not recorded
        basic All Lambda=%1$spayments-prod                | basic All Lambda=%1$spayments                     | not recorded
        basic All Lambda=%1$spayments                     | basic All Lambda=arn:aws:lambda:us-east-1         | not recorded
        basic All Lambda=%1$spayments                     | basic All Lambda=arn:aws:lambda                   | added
        basic All Lambda=arn:aws:lambda                  | basic All Lambda=%1$spayments                      | partly recorded
        basic All DynamoDB=%2$sorders                     | basic All DynamoDB=%2$sorders                     | no change
        basic All DynamoDB=%2$sorders                     | basic All DynamoDB=%2$sorders-archive             | not recorded
        basic All DynamoDB=%2$sorders-archive             | basic All DynamoDB=%2$sorders                     | not recorded
        basic All DynamoDB=%2$sorders                     | basic All DynamoDB=arn:aws:dynamodb               | added
        basic All S3=arn:aws:s3:::bucket/                | basic ReadOnly S3=arn:aws:s3:::bucket/            | not recorded
        basic All mgmt                                   | basic WriteOnly mgmt                              | not recorded
        basic All mgmt                                   | basic All mgmt -kms.amazonaws.com                 | not recorded
        basic All mgmt -kms.amazonaws.com                | basic All mgmt                                    | added
        basic ReadOnly mgmt OR basic WriteOnly mgmt      | basic All mgmt                                    | no change
        basic All mgmt                                   | basic ReadOnly mgmt OR basic WriteOnly mgmt       | no change
        basic All mgmt -kms.amazonaws.com OR basic All mgmt | basic All mgmt                                 | no change
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN StartsWith arn:aws:s3:::bucket/ | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN StartsWith arn:aws:s3:::bucket-logs/ | not recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN StartsWith arn:aws:s3:::bucket/ | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN StartsWith arn:aws:s3:::b | added
        adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN Equals %1$spayments | adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN StartsWith %1$spayments | added
        adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN StartsWith %1$spayments | adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN Equals %1$spayments | partly recorded
        adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN Equals %1$spayments | adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN Equals %1$spayments-prod | not recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN EndsWith .csv | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN EndsWith data.csv | partly recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN EndsWith data.csv | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN EndsWith .csv | added
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotStartsWith arn:aws:s3:::bucket/private/ | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotStartsWith arn:aws:s3:::bucket/ | partly recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotStartsWith arn:aws:s3:::bucket/ | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotStartsWith arn:aws:s3:::bucket/private/ | added
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotEndsWith .tmp | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotEndsWith .tmp,.log | partly recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotEquals arn:aws:s3:::b/k | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object | added
        adv eventCategory Equals Management & eventSource NotEquals kms.amazonaws.com | adv eventCategory Equals Management | added
        adv eventCategory Equals Management              | adv eventCategory Equals Management & eventSource NotEquals kms.amazonaws.com | partly recorded
        adv eventCategory Equals Management              | adv eventCategory Equals Management & readOnly Equals true | partly recorded
        adv eventCategory Equals Management              | adv eventCategory Equals Management & readOnly Equals true OR adv eventCategory Equals Management & readOnly Equals false | no change
        adv eventCategory Equals Management              | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object | not recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & eventName Equals PutObject,DeleteObject | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & eventName Equals PutObject OR adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & eventName Equals DeleteObject | no change
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object | adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function | not recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN StartsWith arn:aws:s3:::bucket/ OR adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN NotStartsWith arn:aws:s3:::bucket/ | not proven recorded
        basic All mgmt                                   | adv eventCategory Equals Management               | no change
        basic All S3=arn:aws:s3:::bucket/                | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object & resources.ARN StartsWith arn:aws:s3:::bucket/ | no change
        basic All S3=arn:aws:s3                          | adv eventCategory Equals Data & resources.type Equals AWS::S3::Object | no change
        basic All Lambda=%1$spayments                     | adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN Equals %1$spayments | no change
        basic All Lambda=%1$spayments                     | adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN StartsWith %1$spayments | added
        basic All DynamoDB=%2$sorders                     | adv eventCategory Equals Data & resources.type Equals AWS::DynamoDB::Table & resources.ARN Equals %2$sorders | partly recorded
        basic All mgmt                                   | adv eventCategory Equals Management & readOnly Equals true | not recorded
        adv eventCategory Equals Data & resources.type Equals AWS::S3::Object | basic All S3=arn:aws:s3                  | no change
        adv eventCategory Equals Data & resources.type Equals AWS::Lambda::Function & resources.ARN Equals %1$spayments | basic All Lambda=%1$spayments-prod | not recorded
        adv eventCategory Equals Management              | basic All mgmt -kms.amazonaws.com                 | partly recorded
        """)
    void baselineAndNewSelectors_shouldCompareByWhatTheyRecord(String baseline, String after, String expected) {
        // when
        BaselineDiff diff = BaselineDiff.selectors(selectors(baseline.formatted(FN, TABLE)),
                selectors(after.formatted(FN, TABLE)));

        // then
        assertThat(verdict(diff)).as(diff.changes().toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        basic All Lambda=%1$spayments                     | basic All Lambda=%1$spayments-prod
        basic All S3=arn:aws:s3:::bucket/                | basic All S3=arn:aws:s3:::bucket-logs/
        basic All DynamoDB=%2$sorders                     | basic All DynamoDB=%2$sorders-archive
        """)
    void lookAlikeResource_shouldBeWeakenedAndRestoredNeverCoverageAdded(String baseline, String after) {
        // when
        BaselineDiff diff = BaselineDiff.selectors(selectors(baseline.formatted(FN, TABLE)),
                selectors(after.formatted(FN, TABLE)));

        // then: the look-alike is named, but as recorded instead of the baseline, and put back
        assertThat(diff.needsRestore()).isTrue();
        assertThat(diff.changes()).noneMatch(c -> c.effect() == Effect.ADDED);
        assertThat(diff.asDetails(true)).containsKeys("No longer recorded 1", "Recorded instead 3")
                .doesNotContainValue("added coverage, kept");
        assertThat(diff.asDetails(true).get("Recorded instead 3")).endsWith("(changed, reverted; recorded instead of "
                + "the baseline's coverage; the restore puts the baseline's selectors back)");
    }
}
