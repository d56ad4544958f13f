package dev.trailguard.bench;

import dev.trailguard.aws.AwsClients;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.cloudtrail.model.Trail;

/**
 * The SDK floor of the candidate: run on the deployed jar's classes, it builds the same clients as the functions
 * ({@link AwsClients}: URL connection, standard retries, bounded timeouts) and makes the same five calls as the
 * StopLogging path (DescribeTrails, GetTrailStatus, DescribeAutomationExecutions, StartAutomationExecution, Publish)
 * and nothing else: no event parsing, no validation, no rendering, no service logic. The candidate minus this is
 * what TrailGuard's own code costs a cold process.
 */
public final class FloorMain {

    private FloorMain() {
    }

    public static void main(String[] args) {
        AwsClients clients = new AwsClients();
        Trail trail = clients.cloudTrail().describeTrails(b -> b.trailNameList("management-events")
                .includeShadowTrails(true)).trailList().get(0);
        boolean logging = clients.cloudTrail().getTrailStatus(b -> b.name(trail.trailARN())).isLogging();
        var ssm = clients.ssm(clients.region());
        int recent = ssm.describeAutomationExecutions(b -> b.filters(f -> f.key("TagKey")
                .values("trailguard:actor"))).automationExecutionMetadataList().size();
        String executionId = ssm.startAutomationExecution(b -> b.documentName("AWS-ConfigureCloudTrailLogging")
                .parameters(Map.of("CloudTrailArn", List.of(trail.trailARN()), "StartLogging", List.of("True"),
                        "AutomationAssumeRole", List.of(System.getenv("TRAILGUARD_AUTOMATION_ROLE_ARN"))))
                .clientToken(UUID.randomUUID().toString())).automationExecutionId();
        String messageId = clients.sns().publish(b -> b.topicArn(System.getenv("TRAILGUARD_TOPIC_ARN"))
                .subject("Logging stopped on management-events").message("Logging stopped; restart " + executionId
                        + " (logging " + logging + ", " + recent + " recent)")).messageId();
        System.out.println("{\"outcome\":\"FLOOR_OK\",\"executionId\":\"" + executionId + "\",\"messageId\":\""
                + messageId + "\"}");
    }
}
