package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.MemberAccess;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The organization hub against a local stub: an event from a member account is handled with that account's member
 * role (one {@code sts:AssumeRole} per account while its credentials last), in the event's region, passing the
 * member's automation role to SSM; the notification goes to the hub's topic with the hub's credentials.
 */
class MemberAccountWireTest {

    static final String HUB_KEY = "AKIDTESTTESTTESTTEST";
    static final String MEMBER = "444455556666";
    static final String MEMBER_ROLE = "arn:aws:iam::" + MEMBER + ":role/TrailGuard-Member";
    static final String MEMBER_KEY = "ASIAMEMBEREXAMPLE001";
    static final String MEMBER_TRAIL = "arn:aws:cloudtrail:eu-west-1:" + MEMBER + ":trail/member-audit";
    static final ObjectMapper JSON = new ObjectMapper();

    AwsStub stub;
    AwsClients clients;
    TamperResponder handler;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        clients = stub.clients(Region.US_EAST_1);
        TrailGuardConfig config = WireFixtures.config(List.of());
        MemberAccess access = MemberAccess.fromEnvironment(Map.of(MemberAccess.ROLE_NAME, "TrailGuard-Member",
                MemberAccess.AUTOMATION_ROLE_NAME, "TrailGuard-Automation"));
        handler = new TamperResponder(Dependencies.live(config, ResponseConfig.defaults(), clients)
                .withMembers(Members.live(access, clients, config)));
        stub.snsPublish("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"}");
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        stub.cloudTrail("GetTrailStatus", "{\"IsLogging\":false,\"StopLoggingTime\":1.763647391E9}");
    }

    @AfterEach
    void tearDown() {
        clients.close();
        stub.close();
    }

    void memberTrail() {
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"member-audit","S3BucketName":"member-audit-logs","IsMultiRegionTrail":true,
                 "HomeRegion":"eu-west-1","TrailARN":"%s","IsOrganizationTrail":false}]}""".formatted(MEMBER_TRAIL));
    }

    @Test
    void memberEvent_shouldBeHandledWithTheMemberRoleInTheEventsRegion() throws Exception {
        // given
        stub.stsAssumeRole(MEMBER_ROLE, MEMBER_KEY);
        memberTrail();

        // when
        Outcome outcome = handler.invoke(Events.load("member/stop-logging.json"));

        // then: the role is assumed first, with the hub's own credentials, at the regional endpoint
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        // (no baseline here: the comparison before the restart reads both sources and finds none)
        assertThat(stub.actions()).containsExactly("sts:AssumeRole", "cloudtrail:DescribeTrails",
                "cloudtrail:GetTrailStatus", "ssm:GetParameter", "config:GetResourceConfigHistory",
                "ssm:StartAutomationExecution", "ssm:DescribeAutomationExecutions", "sns:Publish");
        LoggedRequest assume = stub.requests("sts:AssumeRole").get(0);
        assertThat(AwsStub.form(assume)).containsEntry("RoleArn", MEMBER_ROLE)
                .containsEntry("RoleSessionName", "TrailGuard-hub");
        assertThat(AwsStub.signingAccessKey(assume)).isEqualTo(HUB_KEY);
        assertThat(AwsStub.signingRegion(assume)).isEqualTo("us-east-1");
        // every read and the start: the member's credentials, in the trail's home region
        for (String action : List.of("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                "ssm:StartAutomationExecution", "ssm:DescribeAutomationExecutions")) {
            LoggedRequest request = stub.requests(action).get(0);
            assertThat(AwsStub.signingAccessKey(request)).as(action).isEqualTo(MEMBER_KEY);
            assertThat(AwsStub.signingRegion(request)).as(action).isEqualTo("eu-west-1");
            assertThat(request.getHeader("X-Amz-Security-Token")).as(action).isEqualTo("member-session-token");
        }
        JsonNode start = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
        assertThat(start.path("Parameters").path("AutomationAssumeRole").get(0).asText())
                .isEqualTo("arn:aws:iam::" + MEMBER + ":role/TrailGuard-Automation");
        assertThat(start.path("Parameters").path("CloudTrailArn").get(0).asText()).isEqualTo(MEMBER_TRAIL);
        // the notification: the hub's topic, the hub's credentials, the member account named
        LoggedRequest publish = stub.requests("sns:Publish").get(0);
        assertThat(AwsStub.signingAccessKey(publish)).isEqualTo(HUB_KEY);
        assertThat(AwsStub.signingRegion(publish)).isEqualTo("us-east-1");
        assertThat(AwsStub.form(publish)).containsEntry("TopicArn", WireFixtures.TOPIC);
        assertThat(AwsStub.messageAttributes(publish)).containsEntry("account", MEMBER)
                .containsEntry("region", "eu-west-1");
    }

    @Test
    void manyEventsFromOneMember_shouldAssumeItsRoleOnce() throws Exception {
        // given
        stub.stsAssumeRole(MEMBER_ROLE, MEMBER_KEY);
        memberTrail();
        byte[] event = Events.load("member/stop-logging.json");

        // when: five stops, with their own ids, in two regions
        for (int i = 0; i < 5; i++) {
            String text = new String(event, StandardCharsets.UTF_8).replace("5e2a7c90-1b3d-4f6a-8e2c-9d0f1a2b3c4d",
                    "5e2a7c90-1b3d-4f6a-8e2c-9d0f1a2b3c4" + i);
            if (i % 2 == 1) {
                text = text.replace("\"region\": \"eu-west-1\"", "\"region\": \"eu-central-1\"");
            }
            assertThat(handler.invoke(text.getBytes(StandardCharsets.UTF_8)).outcome())
                    .isEqualTo("REMEDIATION_STARTED");
        }

        // then
        assertThat(stub.requests("sts:AssumeRole")).hasSize(1);
        assertThat(stub.requests("ssm:StartAutomationExecution")).hasSize(5)
                .allSatisfy(r -> assertThat(AwsStub.signingAccessKey(r)).isEqualTo(MEMBER_KEY));
        assertThat(stub.requests("cloudtrail:DescribeTrails")).extracting(AwsStub::signingRegion)
                .containsExactly("eu-west-1", "eu-central-1", "eu-west-1", "eu-central-1", "eu-west-1");
    }

    @Test
    void ownAccountEvent_shouldUseTheHubsOwnCredentials() throws Exception {
        // given
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"management-events","S3BucketName":"audit","IsMultiRegionTrail":true,
                 "HomeRegion":"us-east-1","TrailARN":"%s","IsOrganizationTrail":false}]}""".formatted(WireFixtures.MAIN));

        // when
        Outcome outcome = handler.invoke(Events.load("cloudtrail/stop-logging.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        assertThat(stub.requests("sts:AssumeRole")).isEmpty();
        assertThat(stub.requests()).allSatisfy(r -> assertThat(AwsStub.signingAccessKey(r)).isEqualTo(HUB_KEY));
        JsonNode start = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
        assertThat(start.path("Parameters").path("AutomationAssumeRole").get(0).asText())
                .isEqualTo(WireFixtures.ROLE);
    }

    @Test
    void memberWhoseRoleCannotBeAssumed_shouldBeACriticalNotificationNamingTheAccount() throws Exception {
        // given: the account is not onboarded (no member role yet)
        stub.stsError(MEMBER_ROLE, 403, "AccessDenied", "User: arn:aws:sts::111122223333:assumed-role/"
                + "TrailGuard-TamperResponderRole/x is not authorized to perform: sts:AssumeRole");

        // when
        Outcome outcome = handler.invoke(Events.load("member/stop-logging.json"));

        // then: nothing read or started in the account, and people are told which account is unguarded
        assertThat(outcome.outcome()).isEqualTo("MEMBER_UNREACHABLE");
        assertThat(outcome.severity()).isEqualTo("CRITICAL");
        assertThat(stub.actions()).containsExactly("sts:AssumeRole", "sns:Publish");
        Map<String, String> form = AwsStub.form(stub.requests("sns:Publish").get(0));
        assertThat(form.get("Subject")).isEqualTo("[CRITICAL] TrailGuard: TrailGuard cannot reach account " + MEMBER);
        JsonNode document = JSON.readTree(JSON.readTree(form.get("Message")).path("default").asText());
        assertThat(document.path("account").asText()).isEqualTo(MEMBER);
        assertThat(document.path("details").path("Member role").asText()).isEqualTo(MEMBER_ROLE);
        assertThat(document.path("details").path("Error").asText()).isEqualTo("AccessDenied");
        assertThat(document.path("summary").asText()).contains("not onboarded yet", "unguarded");
    }

    @Test
    void sweepOfAMemberAccountRegion_shouldListThatAccountsTrailsThere() throws Exception {
        // given: the hub's state machine invokes the sweeper once per member account and region
        stub.stsAssumeRole(MEMBER_ROLE, MEMBER_KEY);
        memberTrail();
        String hubBus = "arn:aws:events:us-east-1:111122223333:event-bus/TrailGuardHub";
        TrailSweeper sweeper = new TrailSweeper(Dependencies.live(WireFixtures.config(List.of()),
                ResponseConfig.defaults(), clients).withMembers(Members.live(MemberAccess.fromEnvironment(Map.of(
                MemberAccess.ROLE_NAME, "TrailGuard-Member", MemberAccess.AUTOMATION_ROLE_NAME,
                "TrailGuard-Automation", MemberAccess.HUB_BUS_ARN, hubBus)), clients, WireFixtures.config(List.of()))));
        // the forwarding rules: three fine, the tamper calls' disabled
        for (String name : dev.trailguard.contract.Forwarding.RULE_NAMES) {
            stub.events("DescribeRule", "\"" + name + "\"", "{\"Name\":\"" + name + "\",\"State\":\""
                    + (name.endsWith("TamperCalls") ? "DISABLED" : "ENABLED") + "\",\"EventBusName\":\"default\"}");
            stub.events("ListTargetsByRule", "\"" + name + "\"", "{\"Targets\":[{\"Id\":\"Target0\",\"Arn\":\""
                    + hubBus + "\",\"RoleArn\":\"arn:aws:iam::" + MEMBER + ":role/TrailGuard-Forwarder\"}]}");
        }

        // when
        Outcome outcome = sweeper.invoke(Events.load("member/sweep.json"));

        // then
        assertThat(stub.requests("cloudtrail:DescribeTrails")).singleElement().satisfies(r -> {
            assertThat(AwsStub.signingAccessKey(r)).isEqualTo(MEMBER_KEY);
            assertThat(AwsStub.signingRegion(r)).isEqualTo("eu-west-1");
        });
        assertThat(stub.requests("ssm:StartAutomationExecution")).hasSize(2).allSatisfy(r -> assertThat(
                AwsStub.json(r).path("Parameters").path("AutomationAssumeRole").get(0).asText())
                .isEqualTo("arn:aws:iam::" + MEMBER + ":role/TrailGuard-Automation"));
        // the forwarding rules, read with the member's credentials in its region; the disabled one re-enabled there
        assertThat(stub.requests("events:DescribeRule")).hasSize(dev.trailguard.contract.Forwarding.RULE_NAMES.size()).allSatisfy(r -> {
            assertThat(AwsStub.signingAccessKey(r)).isEqualTo(MEMBER_KEY);
            assertThat(AwsStub.signingRegion(r)).isEqualTo("eu-west-1");
        });
        assertThat(stub.requests("ssm:StartAutomationExecution")).filteredOn(r -> AwsStub.json(r).path("DocumentName")
                .asText().equals("TrailGuard-EnableRule")).singleElement().satisfies(r -> {
                    assertThat(AwsStub.json(r).path("Parameters").path("RuleName").get(0).asText())
                            .isEqualTo("TrailGuard-ForwardTamperCalls");
                    assertThat(AwsStub.json(r).path("Parameters").path("EventBusName").get(0).asText())
                            .isEqualTo("default");
                });
        assertThat(outcome.outcome()).isEqualTo("ISSUES_FOUND");
        assertThat(outcome.items()).extracting(Outcome::outcome).contains("FORWARDING_REENABLE_STARTED",
                "FORWARDING_OK");
    }

    @Test
    void memberAdminDisablingAForwardingRule_shouldBeReenabledInTheMember() throws Exception {
        // given
        stub.stsAssumeRole(MEMBER_ROLE, MEMBER_KEY);

        // when
        Outcome outcome = handler.invoke(Events.load("member/disable-forwarding-rule.json"));

        // then: TrailGuard-EnableRule in the member, with the member's automation role, on its default bus
        assertThat(outcome.outcome()).isEqualTo("REENABLE_STARTED");
        JsonNode start = AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0));
        assertThat(start.path("DocumentName").asText()).isEqualTo("TrailGuard-EnableRule");
        assertThat(start.path("Parameters").path("RuleName").get(0).asText())
                .isEqualTo("TrailGuard-ForwardTamperCalls");
        assertThat(start.path("Parameters").path("AutomationAssumeRole").get(0).asText())
                .isEqualTo("arn:aws:iam::" + MEMBER + ":role/TrailGuard-Automation");
        assertThat(AwsStub.signingAccessKey(stub.requests("ssm:StartAutomationExecution").get(0)))
                .isEqualTo(MEMBER_KEY);
    }

    @Test
    void theMembersStackSetExecutionRole_shouldBeADeploymentNotTampering() throws Exception {
        // given: the same call, made by the StackSet updating the member stack instance
        stub.stsAssumeRole(MEMBER_ROLE, MEMBER_KEY);
        String byStackSet = new String(Events.load("member/disable-forwarding-rule.json"), StandardCharsets.UTF_8)
                .replace("assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/eve",
                        "assumed-role/stacksets-exec-0f1e2d3c4b5a69788796a5b4c3d2e1f0/1733100000000")
                .replace("role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_"
                        + "0a1b2c3d4e5f6a7b", "role/stacksets-exec-0f1e2d3c4b5a69788796a5b4c3d2e1f0");

        // when
        Outcome outcome = handler.invoke(byStackSet.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("AUTHORIZED_CHANGE");
        assertThat(outcome.severity()).isEqualTo("MEDIUM");
        assertThat(stub.requests("ssm:StartAutomationExecution")).isEmpty();
    }

    @Test
    void hubNotification_shouldNameTheMemberAccountAndItsUnit() throws Exception {
        // given: the hub's wiring (Dependencies.fromEnvironment) names accounts through Organizations
        stub.stsAssumeRole(MEMBER_ROLE, MEMBER_KEY);
        memberTrail();
        stub.organizations("DescribeAccount", MEMBER, "{\"Account\":{\"Id\":\"" + MEMBER + "\",\"Name\":"
                + "\"payments-prod\",\"Status\":\"ACTIVE\"}}");
        stub.organizations("ListParents", MEMBER, "{\"Parents\":[{\"Id\":\"ou-ab12-34567890\",\"Type\":"
                + "\"ORGANIZATIONAL_UNIT\"}]}");
        TrailGuardConfig config = WireFixtures.config(List.of());
        Dependencies hub = Dependencies.live(config, ResponseConfig.defaults(), clients)
                .withMembers(Members.live(new MemberAccess("TrailGuard-Member", "TrailGuard-Automation"), clients,
                        config));
        TamperResponder named = new TamperResponder(hub.withNotifier(new dev.trailguard.notify.AccountNamingNotifier(
                hub.notifier(), clients.accountDirectory("aws"))));

        // when
        named.invoke(Events.load("member/stop-logging.json"));

        // then: the hub's credentials read the organization; the message names the account and carries its unit
        assertThat(stub.requests("organizations:DescribeAccount")).singleElement()
                .satisfies(r -> assertThat(AwsStub.signingAccessKey(r)).isEqualTo(HUB_KEY));
        LoggedRequest publish = stub.requests("sns:Publish").get(0);
        assertThat(AwsStub.messageAttributes(publish)).containsEntry("organizationalUnit", "ou-ab12-34567890");
        JsonNode message = JSON.readTree(AwsStub.form(publish).get("Message"));
        assertThat(message.path("email").asText()).contains("Account name: payments-prod");
        assertThat(JSON.readTree(message.path("default").asText()).path("accountName").asText())
                .isEqualTo("payments-prod");
    }
}
