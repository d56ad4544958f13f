package dev.trailguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryChecksTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-20T14:00:00Z");
    static final String CLOUDTRAIL_WRITE = "{'Effect':'Allow','Principal':{'Service':'cloudtrail.amazonaws.com'},"
            + "'Action':'s3:PutObject','Resource':'arn:aws:s3:::logs/AWSLogs/*'}";

    static com.fasterxml.jackson.databind.JsonNode json(String singleQuoted) throws Exception {
        return JSON.readTree(singleQuoted.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CloudTrail may write | {'Statement':[" + CLOUDTRAIL_WRITE + "]} | false",
        "CloudTrail may write, as one of several services | {'Statement':[{'Effect':'Allow','Principal':{'Service':"
                + "['config.amazonaws.com','cloudtrail.amazonaws.com']},'Action':['s3:GetBucketAcl','s3:Put*']}]} | false",
        "only the ACL check is allowed | {'Statement':[{'Effect':'Allow','Principal':{'Service':"
                + "'cloudtrail.amazonaws.com'},'Action':'s3:GetBucketAcl'}]} | true",
        "no statement at all | {'Statement':[]} | true",
        "Deny to everyone | {'Statement':[" + CLOUDTRAIL_WRITE + ",{'Effect':'Deny','Principal':'*','Action':'s3:*'}]}"
                + " | true",
        "Deny to CloudTrail by name | {'Statement':[" + CLOUDTRAIL_WRITE + ",{'Effect':'Deny','Principal':{'Service':"
                + "'cloudtrail.amazonaws.com'},'Action':'s3:PutObject'}]} | true",
        "Deny to AWS '*' | {'Statement':[" + CLOUDTRAIL_WRITE + ",{'Effect':'Deny','Principal':{'AWS':'*'},"
                + "'Action':'*'}]} | true",
        "the usual TLS-only Deny (conditional) | {'Statement':[" + CLOUDTRAIL_WRITE + ",{'Effect':'Deny',"
                + "'Principal':'*','Action':'s3:*','Condition':{'Bool':{'aws:SecureTransport':'false'}}}]} | false",
        "Deny of another action | {'Statement':[" + CLOUDTRAIL_WRITE + ",{'Effect':'Deny','Principal':'*',"
                + "'Action':'s3:DeleteBucket'}]} | false",
    })
    void bucketPolicy_shouldTellWhetherCloudTrailCanStillWrite(String why, String policy, boolean stops)
            throws Exception {
        assertThat(DeliveryChecks.policyStopsCloudTrail(json(policy))).as(why).isEqualTo(stops);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "one rule, as CloudTrail records it | {'Rule':{'Status':'Enabled','Expiration':{'Days':'1'}}} | 1",
        "several rules, the shortest counts | {'Rule':[{'Status':'Enabled','Expiration':{'Days':400}},"
                + "{'Status':'Enabled','NoncurrentVersionExpiration':{'NoncurrentDays':3}}]} | 3",
        "a disabled rule does not count | {'Rule':{'Status':'Disabled','Expiration':{'Days':1}}} | -1",
        "a transition expires nothing | {'Rules':[{'Status':'Enabled','Transitions':[{'Days':1,"
                + "'StorageClass':'GLACIER'}]}]} | -1",
        "an expiry date two days ahead | {'Rule':{'Status':'Enabled','Expiration':{'Date':'2026-11-22T14:00:00Z'}}} | 2",
        "the declared shape | {'Rules':[{'Status':'Enabled','Expiration':{'Days':365}}]} | 365",
    })
    void lifecycle_shouldGiveTheShortestExpiry(String why, String lifecycle, long days) throws Exception {
        OptionalLong found = DeliveryChecks.shortestExpiryDays(json(lifecycle), NOW);
        assertThat(found.isPresent() ? found.getAsLong() : -1).as(why).isEqualTo(days);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "all supported types | {'recordingGroup':{'allSupported':true}} | true",
        "no recording group (the default) | {'name':'default'} | true",
        "trails listed | {'recordingGroup':{'allSupported':false,'resourceTypes':['AWS::CloudTrail::Trail']}} | true",
        "other types only | {'recordingGroup':{'allSupported':false,'resourceTypes':['AWS::EC2::Instance']}} | false",
        "trails excluded | {'recordingGroup':{'allSupported':false,'exclusionByResourceTypes':{'resourceTypes':"
                + "['AWS::CloudTrail::Trail']},'recordingStrategy':{'useOnly':'EXCLUSION_BY_RESOURCE_TYPES'}}} | false",
        "others excluded | {'recordingGroup':{'allSupported':false,'exclusionByResourceTypes':{'resourceTypes':"
                + "['AWS::EC2::Instance']},'recordingStrategy':{'useOnly':'EXCLUSION_BY_RESOURCE_TYPES'}}} | true",
    })
    void recorder_shouldTellWhetherTrailsAreStillRecorded(String why, String recorder, boolean records)
            throws Exception {
        assertThat(DeliveryChecks.recordsTrails(json(recorder))).as(why).isEqualTo(records);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CloudTrail may encrypt | {'Statement':[{'Effect':'Allow','Principal':{'Service':'cloudtrail.amazonaws.com'},"
                + "'Action':'kms:GenerateDataKey*'}]} | true",
        "only the account root | {'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:root'},"
                + "'Action':'kms:*'}]} | false",
        "not JSON | not a policy | false",
    })
    void keyPolicy_shouldTellWhetherCloudTrailMayStillEncrypt(String why, String policy, boolean allows) {
        assertThat(DeliveryChecks.keyPolicyAllowsCloudTrail(policy.replace('\'', '"'))).as(why).isEqualTo(allows);
    }
}
