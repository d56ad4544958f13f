package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.aws.EmfDrillMetrics;
import dev.trailguard.aws.MemberDrillCanary;
import dev.trailguard.config.DrillConfig;
import dev.trailguard.config.MemberAccess;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.notify.AccountNamingNotifier;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.Events;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Issue 16 item 5: the organization hub's fire drill on the stub, with the real SDK. The hub's FireDrill lists the
 * guarded OUs' active accounts, takes the day's sample, and stops each one's canary as that account's
 * {@code TrailGuard-MemberDrill} role (never as {@code TrailGuard-Member}); one account whose drill role cannot be
 * assumed is a notification naming it, and the others are drilled. Then the real path in the hub for a member: the
 * member's StopLogging of its canary by its drill role is recognised as the drill (that account's role and that
 * account's canary, nothing else), restarted with the drill's tags through the member role, and reported with the
 * stage times and the metrics carrying the member's account.
 */
class OrganizationDrillWireTest {

    static final String HUB = WireFixtures.ACCOUNT;
    static final String MEMBER = "444455556666";
    static final String BROKEN = "777788889999";
    static final String SUSPENDED = "222233334444";
    static final String OU = "ou-ab12-34567890";
    static final String CHILD_OU = "ou-ab12-0a1b2c3d";
    static final String DRILL_ROLE_NAME = "TrailGuard-MemberDrill";
    static final String MEMBER_DRILL_ROLE = "arn:aws:iam::" + MEMBER + ":role/" + DRILL_ROLE_NAME;
    static final String MEMBER_CANARY = "arn:aws:cloudtrail:us-east-1:" + MEMBER + ":trail/TrailGuard-Canary";
    static final String MEMBER_ROLE = "arn:aws:iam::" + MEMBER + ":role/TrailGuard-Member";
    static final String MEMBER_AUTOMATION = "arn:aws:iam::" + MEMBER + ":role/TrailGuard-Automation";
    static final String EXECUTION = FireDrillWireTest.EXECUTION;
    /** 2026-11-20, day 20777 since 1970-01-01; the drill event's StopLogging is at 14:02:30. */
    static final Instant NOW = Instant.parse("2026-11-20T14:02:33.400Z");
    static final ObjectMapper JSON = new ObjectMapper();

    AwsStub stub;
    AwsClients clients;
    ByteArrayOutputStream metrics;
    Dependencies deps;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        clients = stub.clients(Region.US_EAST_1);
        metrics = new ByteArrayOutputStream();
        deps = hub("3");
        stub.snsPublish("5e1b7c2a-9d3f-5b8e-a1c4-0f6d2e8b3a7c");
        stub.organizations("DescribeAccount", MEMBER, "{\"Account\":{\"Id\":\"" + MEMBER + "\",\"Name\":\"payments-prod\"}}");
        stub.organizations("DescribeAccount", BROKEN, "{\"Account\":{\"Id\":\"" + BROKEN + "\",\"Name\":\"data-lake\"}}");
        stub.organizations("ListParents", "", "{\"Parents\":[{\"Id\":\"" + OU + "\",\"Type\":\"ORGANIZATIONAL_UNIT\"}]}");
    }

    @AfterEach
    void tearDown() {
        clients.close();
        stub.close();
    }

    /** The hub's dependencies as {@link Dependencies#fromEnvironment} wires them, on the stub. */
    Dependencies hub(String accountsPerDay) {
        TrailGuardConfig config = WireFixtures.config(List.of());
        DrillConfig drill = DrillConfig.fromEnvironment(Map.of(DrillConfig.MEMBER_DRILL_ROLE_NAME, DRILL_ROLE_NAME,
                DrillConfig.MEMBER_CANARY_REGION, "us-east-1", DrillConfig.PARENT_IDS, OU,
                DrillConfig.ACCOUNTS_PER_DAY, accountsPerDay));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        DrillSetup setup = new DrillSetup(drill, new MemberDrillCanary(clients, DRILL_ROLE_NAME, "aws"),
                new EmfDrillMetrics(new PrintStream(metrics, true, StandardCharsets.UTF_8), clock, true), clock,
                clients.drillAccounts("aws", drill.members().parentIds())).forAccount("aws", HUB);
        MemberAccess access = MemberAccess.fromEnvironment(Map.of(MemberAccess.ROLE_NAME, "TrailGuard-Member",
                MemberAccess.AUTOMATION_ROLE_NAME, "TrailGuard-Automation"));
        Dependencies live = Dependencies.live(config, ResponseConfig.defaults(), clients).withDrill(setup)
                .withMembers(Members.live(access, clients, config));
        return live.withNotifier(new AccountNamingNotifier(live.notifier(), clients.accountDirectory("aws")));
    }

    void organization() {
        // the guarded OU: two active members and a suspended one; its child OU: the hub account
        stub.organizations("ListAccountsForParent", OU, """
                {"Accounts":[{"Id":"%s","Status":"ACTIVE"},{"Id":"%s","Status":"SUSPENDED"}],"NextToken":"page-2"}"""
                .formatted(MEMBER, SUSPENDED));
        stub.organizations("ListAccountsForParent", "page-2", """
                {"Accounts":[{"Id":"%s","Status":"ACTIVE"}]}""".formatted(BROKEN));
        stub.organizations("ListOrganizationalUnitsForParent", OU, """
                {"OrganizationalUnits":[{"Id":"%s","Name":"security"}]}""".formatted(CHILD_OU));
        stub.organizations("ListAccountsForParent", CHILD_OU, """
                {"Accounts":[{"Id":"%s","Status":"ACTIVE"}]}""".formatted(HUB));
        stub.organizations("ListOrganizationalUnitsForParent", CHILD_OU, "{\"OrganizationalUnits\":[]}");
    }

    @Test
    void dailyDrill_shouldStopEachSampledCanaryAsItsDrillRole_andNameTheAccountThatFailed() throws Exception {
        // given: three active accounts (the hub's own included), three a day; one has no drill role yet
        organization();
        stub.stsAssumeRole(MEMBER_DRILL_ROLE, "ASIAMEMBERDRILL00001");
        stub.stsAssumeRole("arn:aws:iam::" + HUB + ":role/" + DRILL_ROLE_NAME, "ASIAHUBDRILL00000001");
        stub.stsError("arn:aws:iam::" + BROKEN + ":role/" + DRILL_ROLE_NAME, 403, "AccessDenied",
                "User: arn:aws:sts::" + HUB + ":assumed-role/TrailGuardHub-FireDrill/x is not authorized to perform:"
                        + " sts:AssumeRole");
        stub.cloudTrail("StopLogging", "{}");

        // when: the daily schedule
        Outcome outcome = new FireDrill(deps).invoke(Events.load("scheduled/fire-drill.json"));

        // then: the two reachable canaries stopped, each by ARN with its own account's drill role credentials
        System.out.println("hub drill outcome: " + JSON.writeValueAsString(outcome));
        assertThat(outcome.outcome()).isEqualTo("DRILLS_PARTLY_STARTED");
        assertThat(outcome.items()).extracting(Outcome::outcome)
                .containsExactlyInAnyOrder("DRILL_STARTED", "DRILL_STARTED", "DRILL_NOT_STARTED");
        assertThat(stub.requests("sts:AssumeRole")).extracting(r -> AwsStub.form(r).get("RoleArn"))
                .containsExactlyInAnyOrder(MEMBER_DRILL_ROLE, "arn:aws:iam::" + HUB + ":role/" + DRILL_ROLE_NAME,
                        "arn:aws:iam::" + BROKEN + ":role/" + DRILL_ROLE_NAME)
                .noneMatch(arn -> arn.endsWith("/TrailGuard-Member"));
        assertThat(stub.requests("sts:AssumeRole")).allSatisfy(r -> {
            assertThat(AwsStub.form(r)).containsEntry("RoleSessionName", "TrailGuard-drill");
            assertThat(AwsStub.signingAccessKey(r)).isEqualTo(MemberAccountWireTest.HUB_KEY);
        });
        List<LoggedRequest> stops = stub.requests("cloudtrail:StopLogging");
        assertThat(stops).hasSize(2);
        LoggedRequest memberStop = stops.stream().filter(r -> AwsStub.json(r).path("Name").asText()
                .equals(MEMBER_CANARY)).findFirst().orElseThrow();
        assertThat(AwsStub.signingAccessKey(memberStop)).isEqualTo("ASIAMEMBERDRILL00001");
        assertThat(AwsStub.signingRegion(memberStop)).isEqualTo("us-east-1");
        assertThat(stops).extracting(r -> AwsStub.json(r).path("Name").asText()).containsExactlyInAnyOrder(
                MEMBER_CANARY, "arn:aws:cloudtrail:us-east-1:" + HUB + ":trail/TrailGuard-Canary");
        // the suspended account is not drilled
        assertThat(stub.requests().toString()).doesNotContain(SUSPENDED + ":role");
        // and the failed account is named, with its role and the error, in one HIGH notification
        assertThat(stub.requests("sns:Publish")).hasSize(1);
        JsonNode message = JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"));
        System.out.println("member drill not started (e-mail text):\n" + message.path("email").asText());
        JsonNode doc = JSON.readTree(message.path("default").asText());
        assertThat(doc.path("kind").asText()).isEqualTo("DRILL_NOT_STARTED");
        assertThat(doc.path("severity").asText()).isEqualTo("HIGH");
        assertThat(doc.path("account").asText()).isEqualTo(BROKEN);
        assertThat(doc.path("headline").asText()).contains("account " + BROKEN);
        assertThat(doc.path("details").path("Member drill role").asText())
                .isEqualTo("arn:aws:iam::" + BROKEN + ":role/" + DRILL_ROLE_NAME);
        assertThat(doc.path("details").path("Failed call").asText()).isEqualTo("sts:AssumeRole");
        assertThat(doc.path("details").path("Error").asText()).isEqualTo("AccessDenied");
        assertThat(doc.path("summary").asText()).contains("other accounts' drills went on");
    }

    @Test
    void dailyDrill_shouldTakeOnlyTheDaysSample() throws Exception {
        // given: one account a day out of the three
        deps = hub("1");
        organization();
        stub.stsAssumeRole(MEMBER_DRILL_ROLE, "ASIAMEMBERDRILL00001");
        stub.stsAssumeRole("arn:aws:iam::" + HUB + ":role/" + DRILL_ROLE_NAME, "ASIAHUBDRILL00000001");
        stub.stsAssumeRole("arn:aws:iam::" + BROKEN + ":role/" + DRILL_ROLE_NAME, "ASIABROKENDRILL00001");
        stub.cloudTrail("StopLogging", "{}");

        // when
        Outcome outcome = new FireDrill(deps).invoke(Events.load("scheduled/fire-drill.json"));

        // then: day 20777, sorted [111122223333, 444455556666, 777788889999]: position 20777 mod 3 = 2
        assertThat(outcome.outcome()).isEqualTo("DRILLS_STARTED");
        assertThat(stub.requests("cloudtrail:StopLogging")).singleElement().satisfies(r -> assertThat(
                AwsStub.json(r).path("Name").asText()).contains(":" + BROKEN + ":"));
    }

    @Test
    void onDemand_shouldDrillExactlyTheNamedAccount() throws Exception {
        // given
        stub.stsAssumeRole(MEMBER_DRILL_ROLE, "ASIAMEMBERDRILL00001");
        stub.cloudTrail("StopLogging", "{}");

        // when: the documented one-line invocation
        Outcome outcome = new FireDrill(deps).invoke(("{\"drillAccounts\":[\"" + MEMBER + "\"]}")
                .getBytes(StandardCharsets.UTF_8));

        // then: no listing, one stop
        assertThat(outcome.outcome()).isEqualTo("DRILLS_STARTED");
        assertThat(stub.actions()).containsExactly("sts:AssumeRole", "cloudtrail:StopLogging");
        assertThat(AwsStub.json(stub.requests("cloudtrail:StopLogging").get(0)).path("Name").asText())
                .isEqualTo(MEMBER_CANARY);
    }

    @Test
    void onDemandWithAMalformedAccount_shouldStopNothing() {
        Outcome outcome = new FireDrill(deps).invoke("{\"drillAccounts\":[\"4444\"]}".getBytes(StandardCharsets.UTF_8));

        assertThat(outcome.outcome()).isEqualTo("DRILL_REQUEST_INVALID");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void memberDrill_shouldBeRecognisedRestartedAndMeasuredWithTheMembersAccount() throws Exception {
        // given: the member's StopLogging of its canary by its drill role, forwarded to the hub bus
        stub.stsAssumeRole(MEMBER_ROLE, MemberAccountWireTest.MEMBER_KEY);
        memberTrails();
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(FireDrillWireTest.STOPPED));
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"" + EXECUTION + "\"}");
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");

        // when
        Outcome detected = new TamperResponder(deps).invoke(Events.load("member/stop-logging-canary-drill.json"));

        // then: the drill, restarted in the member as the member role, with the member's automation role and the
        // drill's tags; no notification yet
        assertThat(detected.outcome()).isEqualTo("REMEDIATION_STARTED");
        assertThat(stub.requests("sns:Publish")).isEmpty();
        LoggedRequest start = stub.requests("ssm:StartAutomationExecution").get(0);
        assertThat(AwsStub.signingAccessKey(start)).isEqualTo(MemberAccountWireTest.MEMBER_KEY);
        JsonNode startRequest = AwsStub.json(start);
        assertThat(startRequest.path("Parameters").path("CloudTrailArn").get(0).asText()).isEqualTo(MEMBER_CANARY);
        assertThat(startRequest.path("Parameters").path("AutomationAssumeRole").get(0).asText())
                .isEqualTo(MEMBER_AUTOMATION);
        assertThat(FireDrillWireTest.tags(startRequest)).containsEntry("TrailGuard:DrillStoppedAt",
                "2026-11-20T14:02:30Z").containsEntry("TrailGuard:DrillDetectedAt", "2026-11-20T14:02:33.400Z");

        // when: the member's runbook result reaches the hub's reporter
        stub.ssm("GetAutomationExecution", memberExecution());
        stub.ssm("ListTagsForResource", FireDrillWireTest.tagList(startRequest));
        stub.cloudTrail("GetTrailStatus", WireFixtures.RESTARTED);
        Outcome reported = new RemediationReporter(deps).invoke(Events.load("member/automation-success-canary.json"));

        // then: the drill notification, naming the member account
        assertThat(reported.outcome()).isEqualTo("DRILL_PASSED");
        assertThat(AwsStub.signingAccessKey(stub.requests("ssm:ListTagsForResource").get(0)))
                .isEqualTo(MemberAccountWireTest.MEMBER_KEY);
        JsonNode message = JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0)).get("Message"));
        System.out.println("member drill notification (e-mail text):\n" + message.path("email").asText());
        JsonNode doc = JSON.readTree(message.path("default").asText());
        assertThat(doc.path("kind").asText()).isEqualTo("DRILL_PASSED");
        assertThat(doc.path("account").asText()).isEqualTo(MEMBER);
        assertThat(doc.path("details").path("Canary logging again (StartLoggingTime)").asText()).startsWith("+48.0 s");
        // and the metrics carry the member's account and the canary's region, plus the organization-wide series
        List<JsonNode> lines = emf();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        System.out.println("member drill metric line: " + line);
        assertThat(line.path("Account").asText()).isEqualTo(MEMBER);
        assertThat(line.path("Region").asText()).isEqualTo("us-east-1");
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[\"Account\",\"Region\"],[]]");
        assertThat(line.path("TimeToDetect").asDouble()).isEqualTo(3.4);
        assertThat(line.path("TimeToRestore").asDouble()).isEqualTo(48.0);
    }

    @Test
    void membersCanaryStoppedByAnotherPrincipal_shouldBeARealIncident() throws Exception {
        for (String issuer : List.of(
                "arn:aws:iam::" + MEMBER + ":role/DevOpsAdmin",
                // another account's drill role: never this account's drill
                "arn:aws:iam::" + BROKEN + ":role/" + DRILL_ROLE_NAME,
                // the single-account drill role's name: not a drill in the hub
                "arn:aws:iam::" + MEMBER + ":role/TrailGuard-FireDrillRole-1A2B3C4D5E6F")) {
            // given
            stub.server().resetRequests();
            stub.stsAssumeRole(MEMBER_ROLE, MemberAccountWireTest.MEMBER_KEY);
            memberTrails();
            stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(FireDrillWireTest.STOPPED));
            stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"" + EXECUTION + "\"}");
            stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
            byte[] event = FireDrillWireTest.replace("member/stop-logging-canary-drill.json", MEMBER_DRILL_ROLE,
                    issuer);

            // when
            Outcome outcome = new TamperResponder(deps).invoke(event);

            // then: restarted and notified as the incident it is, without the drill's tags
            assertThat(outcome.outcome()).as(issuer).isEqualTo("REMEDIATION_STARTED");
            JsonNode doc = JSON.readTree(JSON.readTree(AwsStub.form(stub.requests("sns:Publish").get(0))
                    .get("Message")).path("default").asText());
            assertThat(doc.path("kind").asText()).as(issuer).isEqualTo("LOGGING_STOPPED");
            assertThat(doc.path("severity").asText()).as(issuer).isEqualTo("HIGH");
            assertThat(FireDrillWireTest.tags(AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0))))
                    .as(issuer).doesNotContainKey("TrailGuard:DrillStoppedAt");
        }
        assertThat(emf()).isEmpty();
    }

    @Test
    void memberDrillRoleStoppingAnotherTrail_shouldBeARealIncident() throws Exception {
        // given
        stub.stsAssumeRole(MEMBER_ROLE, MemberAccountWireTest.MEMBER_KEY);
        memberTrails();
        stub.cloudTrail("GetTrailStatus", WireFixtures.stopped(FireDrillWireTest.STOPPED));
        stub.ssm("StartAutomationExecution", "{\"AutomationExecutionId\":\"" + EXECUTION + "\"}");
        stub.ssm("DescribeAutomationExecutions", "{\"AutomationExecutionMetadataList\":[]}");
        byte[] event = FireDrillWireTest.replace("member/stop-logging-canary-drill.json", MEMBER_CANARY,
                "arn:aws:cloudtrail:us-east-1:" + MEMBER + ":trail/member-audit");

        // when
        Outcome outcome = new TamperResponder(deps).invoke(event);

        // then
        assertThat(outcome.outcome()).isEqualTo("REMEDIATION_STARTED");
        assertThat(FireDrillWireTest.tags(AwsStub.json(stub.requests("ssm:StartAutomationExecution").get(0))))
                .doesNotContainKey("TrailGuard:DrillStoppedAt");
        assertThat(stub.requests("sns:Publish")).hasSize(1);
    }

    @Test
    void memberSweep_shouldWatchTheCanaryAndNotTakeItForARecordingTrail() throws Exception {
        // given: in the canary's region the member has only the canary (its audit trail is homed elsewhere and was
        // deleted): the canary logs, but records nothing
        stub.stsAssumeRole(MEMBER_ROLE, MemberAccountWireTest.MEMBER_KEY);
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[{"Name":"TrailGuard-Canary","S3BucketName":"canary","IsMultiRegionTrail":false,
                 "HomeRegion":"us-east-1","TrailARN":"%s","IsOrganizationTrail":false}]}""".formatted(MEMBER_CANARY));
        stub.cloudTrail("GetTrailStatus", WireFixtures.HEALTHY);
        byte[] sweep = FireDrillWireTest.replace("member/sweep.json", "eu-west-1", "us-east-1");

        // when
        Outcome outcome = new TrailSweeper(deps).invoke(sweep);

        // then: the region is reported as recording nothing
        assertThat(outcome.items()).extracting(Outcome::outcome).contains("NO_TRAIL_LOGGING");
        // and the canary's gauge: 0 s, organization-wide only (a healthy member adds no per-account series)
        JsonNode line = emf().get(0);
        assertThat(line.path("CanaryStoppedSeconds").asDouble()).isZero();
        assertThat(line.path("Account").asText()).isEqualTo(MEMBER);
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[]]");
    }

    void memberTrails() {
        stub.cloudTrail("DescribeTrails", """
                {"trailList":[
                 {"Name":"member-audit","S3BucketName":"member-audit-logs","IsMultiRegionTrail":true,
                  "HomeRegion":"us-east-1","TrailARN":"arn:aws:cloudtrail:us-east-1:%s:trail/member-audit",
                  "IsOrganizationTrail":false},
                 {"Name":"TrailGuard-Canary","S3BucketName":"trailguardmembercanary-canarylogs-1a2b","IsMultiRegionTrail":false,
                  "HomeRegion":"us-east-1","TrailARN":"%s","IsOrganizationTrail":false}]}"""
                .formatted(MEMBER, MEMBER_CANARY));
    }

    /** The member's execution, as GetAutomationExecution returns it there: started by the hub as the member role. */
    static String memberExecution() {
        return WireFixtures.runbookExecution(EXECUTION, "AWS-ConfigureCloudTrailLogging", "Success",
                Map.of("AutomationAssumeRole", MEMBER_AUTOMATION, "CloudTrailArn", MEMBER_CANARY,
                        "StartLogging", "True"), null, null)
                .replace("arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/TamperResponder",
                        "arn:aws:sts::" + MEMBER + ":assumed-role/TrailGuard-Member/TrailGuard-hub");
    }

    List<JsonNode> emf() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : metrics.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
