package dev.trailguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Dependencies;
import dev.trailguard.core.Outcome;
import dev.trailguard.handler.EventFunction;
import dev.trailguard.handler.Functions;
import dev.trailguard.testing.ChaosAws;
import dev.trailguard.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The "nothing lost" figure: a large, seeded mix of events through every function, against an AWS fake that fails
 * at random. Every event must end notified, ignored by design (TrailGuard's own action, not ours, keepalive), or
 * failed to the caller on all of Lambda's attempts (which in AWS means the on-failure destination, a dead-letter
 * queue with an alarm). No event may start two executions, even when delivered twice.
 */
class NothingLostTest {

    static final long SEED = 20261123L;
    static final int EVENTS = 1200;
    static final double FAULT_RATE = 0.12;
    static final double DUPLICATE_RATE = 0.05;
    /** Lambda's asynchronous invocation: the first attempt and two retries. */
    static final int LAMBDA_ATTEMPTS = 3;
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final Set<String> IGNORED_BY_DESIGN = Set.of("IGNORED_OWN_ACTION", "IGNORED", "IGNORED_NOT_OURS",
            "KEEPALIVE", "HEALTHY");
    static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of event for one function. */
    record Scenario(String function, String event) {
    }

    /** Every function with the sample events it receives in production. */
    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("TamperResponder", "cloudtrail/stop-logging.json"),
            new Scenario("TamperResponder", "cloudtrail/stop-logging-assumed-role-arn.json"),
            new Scenario("TamperResponder", "cloudtrail/stop-logging-console.json"),
            new Scenario("TamperResponder", "cloudtrail/stop-logging-access-denied.json"),
            new Scenario("TamperResponder", "cloudtrail/delete-trail.json"),
            new Scenario("TamperResponder", "cloudtrail/update-trail.json"),
            new Scenario("TamperResponder", "cloudtrail/put-event-selectors.json"),
            new Scenario("TamperResponder", "cloudtrail/put-insight-selectors.json"),
            new Scenario("TamperResponder", "cloudtrail/update-trail-by-trailguard.json"),
            new Scenario("TamperResponder", "scheduled/keepalive-ping.json"),
            new Scenario("TamperResponder", "guard/disable-rule.json"),
            new Scenario("TamperResponder", "guard/delete-function.json"),
            new Scenario("TamperResponder", "guard/put-role-policy.json"),
            new Scenario("ComplianceResponder", "config/cloudtrail-enabled-non-compliant.json"),
            new Scenario("ComplianceResponder", "config/cloudtrail-enabled-compliant.json"),
            new Scenario("ComplianceResponder", "config/other-rule-non-compliant.json"),
            new Scenario("ComplianceResponder", "config/cloudtrail-enabled-not-applicable.json"),
            new Scenario("RemediationReporter", "ssm/automation-success.json"),
            new Scenario("RemediationReporter", "ssm/automation-failed.json"),
            new Scenario("RemediationReporter", "ssm/automation-timed-out.json"),
            new Scenario("RemediationReporter", "ssm/automation-cancelled.json"),
            new Scenario("RemediationReporter", "ssm/other-runbook-success.json"),
            new Scenario("RemediationReporter", "ssm/restore-trail-success.json"),
            new Scenario("RemediationReporter", "ssm/restore-trail-failed.json"),
            new Scenario("RemediationReporter", "ssm/enable-rule-success.json"),
            new Scenario("TrailSweeper", "scheduled/sweep.json"),
            new Scenario("TrailSweeper", "scheduled/keepalive-ping.json"));

    @Test
    void randomizedMixWithRandomFaults_shouldAccountForEveryEventAndNeverStartTwice() throws Exception {
        Random random = new Random(SEED);
        Map<String, Integer> totals = new TreeMap<>();
        Map<String, Integer> byFunction = new TreeMap<>();
        List<String> unaccounted = new ArrayList<>();
        Set<String> reportedPeriods = new java.util.HashSet<>();
        int sweeps = 0;
        try (ChaosAws aws = new ChaosAws(SEED, FAULT_RATE, ROLE, 700)) {
            // given: one instance per function, as Lambda reuses an initialised environment
            TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                    TrailGuardConfig.TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:trailguard",
                    TrailGuardConfig.AUTOMATION_ROLE_ARN, ROLE,
                    TrailGuardConfig.CONFIG_RULES, "trailguard-cloudtrail-enabled"));
            Dependencies deps = Dependencies.live(config, new AwsClients(Region.US_EAST_1, aws.endpoint(),
                    Duration.ofMillis(400), Duration.ofSeconds(3)));
            Map<String, EventFunction> functions = new HashMap<>();
            for (Scenario s : SCENARIOS) {
                functions.computeIfAbsent(s.function(), name -> Functions.factory(name).apply(deps));
            }

            // when
            for (int i = 0; i < EVENTS; i++) {
                Scenario scenario = SCENARIOS.get(random.nextInt(SCENARIOS.size()));
                byte[] event = withFreshIds(scenario.event(), new UUID(random.nextLong(), random.nextLong()));
                boolean sweep = scenario.event().equals("scheduled/sweep.json");
                String period = null;
                if (sweep) {
                    // Sweeps march on in 5-minute steps, as the schedule runs them.
                    Instant at = FIRST_SWEEP.plus(Duration.ofMinutes(5L * sweeps++));
                    event = withTime(event, at);
                    period = "hour-" + Duration.between(STOPPED_AT.plus(Duration.ofMinutes(3)), at).toHours();
                }
                int deliveries = random.nextDouble() < DUPLICATE_RATE ? 2 : 1;
                byFunction.merge(scenario.function(), 1, Integer::sum);
                totals.merge("events", 1, Integer::sum);
                totals.merge("deliveries", deliveries, Integer::sum);
                aws.attributeTo("event-" + i);
                for (int d = 0; d < deliveries; d++) {
                    String result = deliver(functions.get(scenario.function()), event);
                    totals.merge(result, 1, Integer::sum);
                    if (period != null) {
                        if (result.equals("already-reported-this-period")
                                && !reportedPeriods.contains(period)) {
                            result = "unaccounted:already-reported claimed, but no earlier sweep of " + period
                                    + " notified or dead-lettered";
                        }
                        if (result.equals("notified") || result.equals("dead-lettered")) {
                            reportedPeriods.add(period);
                        }
                    }
                    if (result.startsWith("unaccounted")) {
                        unaccounted.add(scenario.event() + " -> " + result);
                    }
                }
            }

            // then
            Map<String, Set<String>> tokens = aws.tokensByIncident();
            long incidentsWithTwoTokens = tokens.values().stream().filter(t -> t.size() > 1).count();
            // Counted by the event the test injected, not by anything the code chose (token, incident tag).
            Map<String, Long> startsByEvent = aws.starts().stream().collect(java.util.stream.Collectors.groupingBy(
                    ChaosAws.Start::injectedEventId, java.util.stream.Collectors.counting()));
            long duplicateExecutions = startsByEvent.values().stream().filter(n -> n > 1).count();
            System.out.printf("nothing-lost: seed=%d events=%d by function=%s%n", SEED, EVENTS, byFunction);
            System.out.printf("nothing-lost: totals=%s%n", totals);
            System.out.printf("nothing-lost: faults injected=%s requests=%s%n", aws.faults(), aws.requestsByAction());
            System.out.printf("nothing-lost: incidents with an execution=%d, incidents with >1 token=%d, "
                    + "injected events with >1 execution=%d (executions %d, without token %d), unaccounted=%d%n",
                    tokens.size(), incidentsWithTwoTokens, duplicateExecutions, aws.starts().size(),
                    aws.startsWithoutToken(), unaccounted.size());
            assertThat(unaccounted).as("unaccounted events").isEmpty();
            assertThat(incidentsWithTwoTokens).isZero();
            assertThat(duplicateExecutions).isZero();
            assertThat(totals.get("notified")).isGreaterThan(EVENTS / 2);
            assertThat(aws.faults().values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(200);
            assertThat(totals.getOrDefault("dead-lettered", 0)).isGreaterThan(0);
        }
    }

    /** One EventBridge delivery: Lambda tries up to three times, then sends the event to the on-failure queue. */
    static String deliver(EventFunction function, byte[] event) {
        for (int attempt = 1; attempt <= LAMBDA_ATTEMPTS; attempt++) {
            Outcome outcome;
            try {
                outcome = function.invoke(event);
            } catch (RuntimeException e) {
                continue;
            }
            if (outcome.messageId() != null || outcome.items().stream().anyMatch(i -> i.messageId() != null)) {
                return "notified";
            }
            if (IGNORED_BY_DESIGN.contains(outcome.outcome())) {
                return "ignored-by-design";
            }
            if (!outcome.items().isEmpty() && outcome.items().stream().allMatch(i -> i.notes().stream()
                    .anyMatch(n -> n.startsWith("not notified again")))) {
                // A sweep that finds a problem it already reported this period (see Cadence): the first sweep of
                // the period notified it, and the runbook's result is reported by the RemediationReporter.
                return "already-reported-this-period";
            }
            return "unaccounted:" + outcome.outcome() + outcome.items().stream().map(Outcome::outcome).toList();
        }
        return "dead-lettered";
    }

    /** The trail's StopLoggingTime as ChaosAws reports it, and the first sweep's time. */
    static final Instant STOPPED_AT = Instant.ofEpochSecond(1_763_647_391L);
    static final Instant FIRST_SWEEP = STOPPED_AT.plus(Duration.ofMinutes(4));

    static byte[] withTime(byte[] event, Instant at) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(event);
        tree.put("time", at.toString());
        return JSON.writeValueAsBytes(tree);
    }

    /** The sample event with new ids, as a distinct incident. */
    static byte[] withFreshIds(String sample, UUID id) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(Events.load(sample));
        tree.put("id", id.toString());
        if (tree.path("detail").has("eventID")) {
            ((ObjectNode) tree.get("detail")).put("eventID", new UUID(id.getLeastSignificantBits(),
                    id.getMostSignificantBits()).toString());
        }
        if (tree.path("detail").has("ExecutionId")) {
            ((ObjectNode) tree.get("detail")).put("ExecutionId", id.toString());
        }
        return JSON.writeValueAsBytes(tree);
    }
}
