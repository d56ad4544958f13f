package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.CloudTrailCanary;
import dev.trailguard.config.DrillConfig;
import dev.trailguard.drill.DrillMetrics;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.config.SelfGuardConfig;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Records, per function, every AWS action its code calls on the wire while handling all of its sample events in
 * the states that reach every branch (trail stopped or logging, runbook failed or succeeded). The result is written
 * to {@code target/observed-actions.json}: the infra module's least-privilege test compares it with each function's
 * role in the synthesized template, both ways. The resource of every call goes to {@code target/observed-resources.json}:
 * the same test checks that the role's grant for the action covers it.
 */
class ObservedActionsTest {

    static final Map<String, List<String>> EVENTS_BY_FUNCTION = Map.of(
            "FireDrill", List.of("scheduled/fire-drill.json", "scheduled/keepalive-ping.json"),
            "TamperResponder", List.of("cloudtrail/stop-logging.json", "cloudtrail/stop-logging-assumed-role-arn.json",
                    "cloudtrail/stop-logging-console.json", "cloudtrail/stop-logging-access-denied.json",
                    "cloudtrail/stop-logging-organization-trail.json", "cloudtrail/delete-trail.json",
                    "cloudtrail/update-trail.json", "cloudtrail/put-event-selectors.json",
                    "cloudtrail/put-insight-selectors.json", "cloudtrail/put-event-selectors-add-data-events.json",
                    "cloudtrail/update-trail-by-trailguard.json",
                    "cloudtrail/update-trail-by-borrowed-automation-role.json",
                    "guard/disable-rule.json", "guard/delete-function.json", "guard/put-role-policy.json",
                    "guard/stop-configuration-recorder.json", "delivery/disable-key.json",
                    "delivery/schedule-key-deletion.json", "delivery/stop-event-data-store-ingestion.json",
                    "delivery/delete-event-data-store.json",
                    // a rule put back from its deployed definition, subscriptions put back, the second channel
                    "guard/put-targets-constant-input.json", "guard/set-subscription-filter-policy.json",
                    "guard/disable-topic-key.json", "scheduled/keepalive-ping.json"),
            "ComplianceResponder", List.of("config/cloudtrail-enabled-non-compliant.json",
                    "config/cloudtrail-enabled-compliant.json", "config/multi-region-non-compliant.json",
                    "config/other-rule-non-compliant.json", "scheduled/keepalive-ping.json"),
            "RemediationReporter", List.of("ssm/automation-success.json", "ssm/automation-failed.json",
                    "ssm/automation-timed-out.json", "ssm/automation-cancelled.json",
                    "ssm/other-runbook-success.json", "ssm/restore-trail-success.json",
                    "ssm/restore-trail-failed.json", "ssm/recreate-trail-success.json",
                    "ssm/enable-rule-success.json", "scheduled/keepalive-ping.json"),
            "TrailSweeper", List.of("scheduled/sweep.json", "scheduled/keepalive-ping.json"));

    /** What each function is expected to call: a change here is a change to its IAM role. */
    static final Map<String, Set<String>> EXPECTED = Map.of(
            // Every restart compares the trail with its baseline first: the baseline sources and the trail now.
            "TamperResponder", Set.of("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    "cloudtrail:StartLogging", "ssm:StartAutomationExecution", "ssm:DescribeAutomationExecutions",
                    "sns:Publish", "ssm:GetParameter", "config:GetResourceConfigHistory", "ssm:GetAutomationExecution",
                    "cloudtrail:GetTrail", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors",
                    // delivery sabotage: the trails' keys, CloudTrail Lake, the Config recorder
                    "kms:CancelKeyDeletion", "kms:EnableKey",
                    "cloudtrail:StartEventDataStoreIngestion", "cloudtrail:RestoreEventDataStore",
                    "config:StartConfigurationRecorder",
                    // TrailGuard's own rules and subscriptions put back
                    "events:DescribeRule", "events:ListTargetsByRule", "events:PutRule", "events:RemoveTargets",
                    "events:PutTargets", "sns:ListSubscriptionsByTopic", "sns:Subscribe",
                    "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"),
            "ComplianceResponder", Set.of("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    "cloudtrail:StartLogging", "ssm:StartAutomationExecution", "sns:Publish", "ssm:GetParameter",
                    "config:GetResourceConfigHistory", "cloudtrail:GetTrail", "cloudtrail:GetEventSelectors",
                    "cloudtrail:GetInsightSelectors"),
            "RemediationReporter", Set.of("ssm:GetAutomationExecution", "cloudtrail:DescribeTrails",
                    "cloudtrail:GetTrailStatus", "sns:Publish", "ssm:GetParameter", "config:GetResourceConfigHistory",
                    "cloudtrail:GetTrail", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors",
                    "ssm:ListTagsForResource"),
            "TrailSweeper", Set.of("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    "cloudtrail:StartLogging", "ssm:StartAutomationExecution", "sns:Publish", "ssm:GetParameter",
                    "config:GetResourceConfigHistory", "cloudtrail:GetTrail", "cloudtrail:GetEventSelectors",
                    "cloudtrail:GetInsightSelectors", "ssm:DescribeAutomationExecutions"),
            "FireDrill", Set.of("cloudtrail:StopLogging", "sns:Publish"));

    @Test
    void everyFunctionOverAllItsEvents_shouldCallExactlyItsExpectedActions() throws Exception {
        Map<String, Set<String>> observed = new TreeMap<>();
        Map<String, Map<String, Set<String>>> resources = new TreeMap<>();
        for (String function : EVENTS_BY_FUNCTION.keySet()) {
            Set<String> actions = new TreeSet<>();
            Map<String, Set<String>> touched = resources.computeIfAbsent(function, f -> new TreeMap<>());
            // broken, healthy, and broken while SSM has no capacity left (the direct StartLogging fallback)
            for (int state = 0; state < 3; state++) {
                boolean broken = state != 1;
                try (AwsStub stub = AwsStub.start()) {
                    answer(stub, state, UnaryOperator.identity());
                    selfGuardStubs(stub, broken);
                    var clients = stub.clients(Region.US_EAST_1);
                    EventFunction handler = Functions.factory(function).apply(
                            Dependencies.live(WireFixtures.config(List.of()), clients).withSelfGuard(SELF, clients)
                                    .withDrill(drill(function, stub)));
                    for (String event : EVENTS_BY_FUNCTION.get(function)) {
                        handler.invoke(Events.load(event));
                    }
                    actions.addAll(stub.actions());
                    for (LoggedRequest request : stub.requests()) {
                        touched.computeIfAbsent(AwsStub.action(request), a -> new TreeSet<>()).add(resource(request));
                    }
                }
            }
            observed.put(function, actions);
        }

        Path out = Path.of("target", "observed-actions.json");
        Files.createDirectories(out.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), observed);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(
                Path.of("target", "observed-resources.json").toFile(), resources);
        // the resources are read from the requests: a call whose resource is not understood would hide from the check
        resources.forEach((function, byAction) -> byAction.forEach((action, arns) -> assertThat(arns)
                .as("%s %s", function, action).allMatch(arn -> arn.equals("*") || arn.startsWith("arn:aws:"))));

        assertThat(observed.keySet()).containsExactlyInAnyOrderElementsOf(
                () -> Functions.names().iterator());
        EXPECTED.forEach((function, expected) ->
                assertThat(observed.get(function)).as(function).containsExactlyInAnyOrderElementsOf(expected));
    }


    /** What the hub's functions call in a member account, as its TrailGuard-Member role: a change here is one to it. */
    static final Set<String> EXPECTED_IN_A_MEMBER = Set.of("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
            "cloudtrail:GetTrail", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors",
            "cloudtrail:StartLogging", "ssm:StartAutomationExecution", "ssm:GetAutomationExecution",
            "ssm:DescribeAutomationExecutions", "ssm:GetParameter", "config:GetResourceConfigHistory",
            // the sweep's check of the forwarding rules
            "events:DescribeRule", "events:ListTargetsByRule",
            // delivery sabotage (#14 items 5 and 6): the member's keys, buckets, Lake and recorder
            "kms:CancelKeyDeletion", "kms:EnableKey", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration",
            "cloudtrail:StartEventDataStoreIngestion", "cloudtrail:RestoreEventDataStore",
            "config:StartConfigurationRecorder",
            // the fire drill in a member (issue 16 item 5): the reporter reads the drill's timing tags
            "ssm:ListTagsForResource");

    /**
     * The hub's four functions over the same samples and states, each event as a member account emits it (and AWS
     * answering with the member's ids), plus the member's delivery sabotage with a declared bucket policy and lifecycle
     * and the member's sweep, and a fire drill of the member's canary: every call signed with the member role's credentials is recorded in
     * {@code target/observed-member-actions.json}, which the infra module's {@code MemberRolesTest} compares with the
     * {@code TrailGuard-Member} role, both ways.
     */
    @Test
    void theHubsFunctionsInAMemberAccount_shouldCallExactlyTheMemberRolesExpectedActions() throws Exception {
        String member = MemberDeliveryWireTest.MEMBER;
        UnaryOperator<String> inTheMember = text -> text.replace("111122223333", member);
        Set<String> actions = new TreeSet<>();
        for (String function : List.of("TamperResponder", "ComplianceResponder", "RemediationReporter",
                "TrailSweeper")) {
            List<String> events = new java.util.ArrayList<>(EVENTS_BY_FUNCTION.get(function));
            if (function.equals("TamperResponder")) {
                events.addAll(List.of("member/stop-logging.json", "member/disable-forwarding-rule.json"));
            } else if (function.equals("TrailSweeper")) {
                events.add("member/sweep.json");
            }
            for (int state = 0; state < 4; state++) {
                try (AwsStub stub = AwsStub.start()) {
                    if (state < 3) {
                        answer(stub, state, inTheMember);
                        selfGuardStubs(stub, state != 1);
                        stub.stsAssumeRole(MemberAccountWireTest.MEMBER_ROLE, MemberDeliveryWireTest.MEMBER_KEY);
                    } else {
                        // the member's trail with a declared bucket policy and lifecycle: the bucket writes
                        MemberDeliveryWireTest.memberAnswers(stub);
                    }
                    var clients = stub.clients(Region.US_EAST_1);
                    EventFunction handler = Functions.factory(function).apply(
                            MemberDeliveryWireTest.hub(WireFixtures.config(List.of()), clients));
                    for (String event : state < 3 ? events : MemberDeliveryWireTest.SAMPLES) {
                        handler.invoke(inTheMember.apply(new String(Events.load(event),
                                java.nio.charset.StandardCharsets.UTF_8)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    for (LoggedRequest request : stub.requests()) {
                        if (MemberDeliveryWireTest.MEMBER_KEY.equals(AwsStub.signingAccessKey(request))) {
                            actions.add(AwsStub.action(request));
                        }
                    }
                    clients.close();
                }
            }
        }

        // the hub's drill of a member's canary, detected, restarted and reported (OrganizationDrillWireTest's path)
        OrganizationDrillWireTest drill = new OrganizationDrillWireTest();
        drill.setUp();
        try {
            drill.memberDrill_shouldBeRecognisedRestartedAndMeasuredWithTheMembersAccount();
            for (LoggedRequest request : drill.stub.requests()) {
                if (MemberAccountWireTest.MEMBER_KEY.equals(AwsStub.signingAccessKey(request))) {
                    actions.add(AwsStub.action(request));
                }
            }
        } finally {
            drill.tearDown();
        }

        Path out = Path.of("target", "observed-member-actions.json");
        Files.createDirectories(out.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(),
                Map.of("TrailGuard-Member", actions));
        assertThat(actions).containsExactlyInAnyOrderElementsOf(EXPECTED_IN_A_MEMBER);
    }

    /**
     * What AWS answers in each state: 0 broken, 1 healthy, 2 broken while SSM has no capacity left. {@code in} rewrites
     * every answer (the member account's ids for the hub's recording in a member).
     */
    static void answer(AwsStub stub, int state, UnaryOperator<String> in) {
        boolean broken = state != 1;
        stub.cloudTrail("DescribeTrails", in.apply(WireFixtures.DESCRIBE_TRAILS));
        stub.cloudTrail("GetTrailStatus", broken ? WireFixtures.stopped(1_795_183_200L) // 14:00, so the 14:05 sweep is the first of its hour
                : WireFixtures.HEALTHY);
        stub.ssm("StartAutomationExecution",
                "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        // One execution for every runbook: it names the trail (or rule) under each runbook's parameter,
        // so the restore, recreate and rule branches are reached too.
        stub.ssm("GetAutomationExecution", in.apply(WireFixtures.runbookExecution(
                "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "AWS-ConfigureCloudTrailLogging",
                broken ? "Failed" : "Success", Map.of("AutomationAssumeRole", WireFixtures.ROLE,
                        "CloudTrailArn", WireFixtures.MAIN, "TrailName", WireFixtures.MAIN,
                        "RuleName", "TrailGuard-CloudTrailTamperRule"),
                broken ? "The defined assume role is unable to be assumed." : null, null)));
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        if (broken) {
            // the drill that cannot stop the canary says so (the FireDrill's one sns:Publish)
            stub.cloudTrailError("StopLogging", 400, "AccessDeniedException",
                    "explicit deny in a service control policy");
        } else {
            stub.cloudTrail("StopLogging", "{}");
        }
        stub.ssm("ListTagsForResource", "{\"TagList\":[{\"Key\":\"TrailGuard:DrillStoppedAt\","
                + "\"Value\":\"2026-11-20T14:00:00Z\"}]}");
        if (state == 2) {
            stub.ssmError("StartAutomationExecution", 400, "AutomationExecutionLimitExceededException",
                    "Automation execution limit exceeded");
            stub.cloudTrail("StartLogging", "{}");
        }
        if (broken) {
            stub.ssmError("GetParameter", 400, "ParameterNotFound", "no declared baseline");
        } else {
            // selectors and Insights declared, settings from AWS Config's history
            stub.ssm("GetParameter", in.apply(WireFixtures.declaredBaseline(false)));
        }
        // What a restore is compared with: the trail's settings, selectors and Insights now.
        // (broken: the stopped trail as Config's item before the stop has it, so that the restart's
        // comparison finds nothing to restore and the plain restart's branches are reached)
        stub.cloudTrail("GetTrail", in.apply(broken ? EveryCallFaultTest.MATCHING_TRAIL
                : WireFixtures.getTrail("aws-cloudtrail-logs-111122223333-3f1a")));
        stub.cloudTrail("GetEventSelectors", WireFixtures.GET_EVENT_SELECTORS);
        stub.cloudTrail("GetInsightSelectors", WireFixtures.GET_INSIGHT_SELECTORS);
        // Broken: no declared baseline, and Config's flag implies the default selector, so a stopped
        // trail is compared with its selectors too before it is restarted.
        stub.config("GetResourceConfigHistory", in.apply(broken ? RestoreWireTest.CONFIG_HISTORY.replace(
                "\\\"hasCustomEventSelectors\\\":true", "\\\"hasCustomEventSelectors\\\":false")
                : RestoreWireTest.CONFIG_HISTORY));
        // the delivery response: data-events encrypts with a key; its repairs
        stub.cloudTrail("GetTrail", "data-events", in.apply("{\"Trail\":{\"Name\":\"data-events\","
                + "\"S3BucketName\":\"data-events-111122223333\",\"HomeRegion\":\"us-east-1\","
                + "\"TrailARN\":\"" + WireFixtures.DELIVERY + "\",\"KmsKeyId\":\""
                + DeliveryWireTest.KEY_ARN + "\"}}"));
        stub.kms("CancelKeyDeletion", "{}");
        stub.kms("EnableKey", "");
        stub.cloudTrail("StartEventDataStoreIngestion", "{}");
        stub.cloudTrail("RestoreEventDataStore", "{}");
        stub.config("StartConfigurationRecorder", "{}");
        stub.snsPublish("m-1");
    }

    static final SelfGuardConfig SELF = SelfGuardConfig.fromEnvironment(Map.of(
            SelfGuardConfig.SECOND_CHANNEL_TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:TrailGuard-SecondChannel",
            SelfGuardConfig.TOPIC_KEY_ARN,
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            SelfGuardConfig.SUBSCRIPTIONS, "[{\"protocol\":\"email\",\"endpoint\":\"secops@example.com\"}]"));

    /**
     * What the repairs of TrailGuard's own rules and subscriptions read: a deployed definition, the rule now disabled
     * with an extra target; the subscription gone (broken) or filtered.
     */
    static void selfGuardStubs(AwsStub stub, boolean broken) {
        String responder = "arn:aws:lambda:us-east-1:111122223333:function:TrailGuard-TamperResponder:live";
        ObjectMapper json = new ObjectMapper();
        try {
            String definition = json.writeValueAsString(Map.of("state", "ENABLED",
                    "eventPattern", Map.of("source", List.of("aws.events")),
                    "targets", List.of(Map.of("id", "Target0", "arn", responder))));
            stub.ssm("GetParameter", "/trailguard/rules/", json.writeValueAsString(Map.of("Parameter",
                    Map.of("Name", "/trailguard/rules/TrailGuard-TamperEvents", "Type", "String",
                            "Value", definition))));
            stub.events("DescribeRule", "TrailGuard", json.writeValueAsString(Map.of("Name",
                    "TrailGuard-TamperEvents", "State", "DISABLED", "EventPattern", "{\"source\":[\"aws.events\"]}")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        stub.events("PutRule", "TrailGuard", "{\"RuleArn\":\"arn:aws:events:us-east-1:111122223333:rule/x\"}");
        stub.events("ListTargetsByRule", "TrailGuard", "{\"Targets\":[{\"Id\":\"Target0\",\"Arn\":\"" + responder
                + "\",\"Input\":\"{}\"},{\"Id\":\"Sink\",\"Arn\":\"arn:aws:sqs:us-east-1:444455556666:sink\"}]}");
        stub.events("RemoveTargets", "TrailGuard", "{\"FailedEntryCount\":0,\"FailedEntries\":[]}");
        stub.events("PutTargets", "TrailGuard", "{\"FailedEntryCount\":0,\"FailedEntries\":[]}");
        String topic = "arn:aws:sns:us-east-1:111122223333:TrailGuard-Notifications";
        stub.sns("ListSubscriptionsByTopic", "Action", broken ? "<Subscriptions/>" : "<Subscriptions><member>"
                + "<TopicArn>" + topic + "</TopicArn><Protocol>email</Protocol><SubscriptionArn>" + topic + ":mail-1"
                + "</SubscriptionArn><Owner>111122223333</Owner><Endpoint>secops@example.com</Endpoint></member>"
                + "</Subscriptions>");
        stub.sns("Subscribe", "Action", "<SubscriptionArn>pending confirmation</SubscriptionArn>");
        stub.sns("GetSubscriptionAttributes", "Action", "<Attributes><entry><key>FilterPolicy</key><value>"
                + "{\"severity\":[\"INFO\"]}</value></entry></Attributes>");
        stub.sns("SetSubscriptionAttributes", "Action", "");
    }

    /**
     * The fire drill's settings per function. The FireDrill stops the real canary's ARN (as its role's grant names
     * it); for the others the fixtures' main trail plays the canary, with a deadline of one minute, so that the
     * reporter's drill branch (the execution's tags) and the sweep's deadline branch (the drill's executions) are
     * reached with the fixtures' one execution and their stopped trail.
     */
    static DrillSetup drill(String function, AwsStub stub) {
        String canary = "FireDrill".equals(function) ? "arn:aws:cloudtrail:us-east-1:111122223333:trail/TrailGuard-Canary"
                : WireFixtures.MAIN;
        return new DrillSetup(DrillConfig.fromEnvironment(Map.of(DrillConfig.CANARY_TRAIL_ARN, canary,
                DrillConfig.DRILL_ROLE_ARN, "arn:aws:iam::111122223333:role/TrailGuard-FireDrillRole-1A2B3C4D5E6F",
                DrillConfig.DEADLINE_MINUTES, "1")), new CloudTrailCanary(stub.clients(Region.US_EAST_1)::cloudTrail),
                DrillMetrics.NONE, Clock.systemUTC());
    }

    /**
     * The IAM resource a request acts on, read from the request itself (account 111122223333 of the fixtures, the
     * region it was signed for), or {@code *} for the calls that have none (list and describe calls).
     */
    static String resource(LoggedRequest request) {
        String action = AwsStub.action(request);
        String region = AwsStub.signingRegion(request);
        String ssm = "arn:aws:ssm:" + region + ":111122223333:";
        return switch (action) {
            case "cloudtrail:GetTrailStatus", "cloudtrail:GetTrail", "cloudtrail:StopLogging", "cloudtrail:StartLogging" -> trail(AwsStub.json(request).path("Name").asText(), region);
            case "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors" ->
                    trail(AwsStub.json(request).path("TrailName").asText(), region);
            case "ssm:StartAutomationExecution" -> {
                String document = AwsStub.json(request).path("DocumentName").asText();
                // AWS-owned documents have no account in their ARN
                yield (document.startsWith("AWS-") ? "arn:aws:ssm:" + region + "::" : ssm)
                        + "automation-definition/" + document + ":$DEFAULT";
            }
            case "ssm:ListTagsForResource" ->
                    ssm + "automation-execution/" + AwsStub.json(request).path("ResourceId").asText();
            case "ssm:GetAutomationExecution" ->
                    ssm + "automation-execution/" + AwsStub.json(request).path("AutomationExecutionId").asText();
            case "ssm:GetParameter" -> ssm + "parameter" + AwsStub.json(request).path("Name").asText();
            case "sns:Publish", "sns:ListSubscriptionsByTopic", "sns:Subscribe" -> AwsStub.form(request).get("TopicArn");
            // SNS authorizes subscription calls on the topic; the subscription ARN is the topic's plus ":<id>"
            case "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes" ->
                    AwsStub.form(request).get("SubscriptionArn");
            case "events:DescribeRule", "events:PutRule" -> "arn:aws:events:" + region + ":111122223333:rule/"
                    + AwsStub.json(request).path("Name").asText();
            case "events:ListTargetsByRule", "events:PutTargets", "events:RemoveTargets" -> "arn:aws:events:" + region
                    + ":111122223333:rule/" + AwsStub.json(request).path("Rule").asText();
            case "cloudtrail:StartEventDataStoreIngestion", "cloudtrail:RestoreEventDataStore" ->
                    AwsStub.json(request).path("EventDataStore").asText();
            case "kms:CancelKeyDeletion", "kms:EnableKey" -> {
                String key = AwsStub.json(request).path("KeyId").asText();
                yield key.startsWith("arn:") ? key : "arn:aws:kms:" + region + ":111122223333:key/" + key;
            }
            case "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration" -> "arn:aws:s3:::"
                    + request.getUrl().substring(1, request.getUrl().indexOf('?'));
            case "cloudtrail:DescribeTrails", "ssm:DescribeAutomationExecutions", "config:GetResourceConfigHistory",
                    "config:StartConfigurationRecorder" -> "*";
            default -> throw new IllegalArgumentException("no resource known for " + action);
        };
    }

    private static String trail(String nameOrArn, String region) {
        return nameOrArn.startsWith("arn:") ? nameOrArn : "arn:aws:cloudtrail:" + region + ":111122223333:trail/" + nameOrArn;
    }
}
