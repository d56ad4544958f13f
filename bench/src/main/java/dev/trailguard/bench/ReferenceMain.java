package dev.trailguard.bench;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The reference "straightforward build": SDK v2 with the URL-connection client, three default-configured clients,
 * one DescribeTrails, one StartAutomationExecution and one Publish. Endpoint, region and credentials come from the
 * environment, as for the candidate.
 */
public final class ReferenceMain {

    private ReferenceMain() {
    }

    public static void main(String[] args) {
        CloudTrailClient cloudTrail = CloudTrailClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        SsmClient ssm = SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        SnsClient sns = SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        String trailArn = cloudTrail.describeTrails(b -> b.trailNameList("management-events")
                .includeShadowTrails(true)).trailList().get(0).trailARN();
        String executionId = ssm.startAutomationExecution(b -> b.documentName("AWS-ConfigureCloudTrailLogging")
                .parameters(Map.of("CloudTrailArn", List.of(trailArn), "StartLogging", List.of("True"),
                        "AutomationAssumeRole", List.of(System.getenv("TRAILGUARD_AUTOMATION_ROLE_ARN"))))
                .clientToken(UUID.randomUUID().toString())).automationExecutionId();
        String messageId = sns.publish(b -> b.topicArn(System.getenv("TRAILGUARD_TOPIC_ARN"))
                .subject("Logging stopped on management-events").message("Logging stopped; restart " + executionId))
                .messageId();
        System.out.println("{\"outcome\":\"REFERENCE_OK\",\"executionId\":\"" + executionId + "\",\"messageId\":\""
                + messageId + "\"}");
    }
}
