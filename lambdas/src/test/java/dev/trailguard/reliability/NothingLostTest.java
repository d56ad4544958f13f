package dev.trailguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.IntegrationsConfig;
import dev.trailguard.config.SelfGuardConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.EventFunction;
import dev.trailguard.handler.Functions;
import dev.trailguard.testing.ChaosAws.TrailStatusAnswer;
import dev.trailguard.testing.ChaosAws;
import dev.trailguard.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The "nothing lost" figure: a large, seeded mix of events through every function, against an AWS fake that fails
 * at random. Each scenario states the outcomes it may end in (and which only after a fault was injected, or on a
 * repeated delivery); every delivery, and every trail item of a sweep or Config event, must end in one of them:
 * notified, ignored by design, not notified again because that incident was already reported in its period, or
 * failed on all of Lambda's attempts with AWS call failures (in AWS: the alarmed on-failure queue). Any other
 * exception, or an outcome the scenario does not allow, is unaccounted.
 *
 * <p>Executions are counted by what the test injected: one per event (all its deliveries), and for the backstops
 * (sweep, Config) one per stop of the trail per hour, however many events observe it.
 */
class NothingLostTest {

    static final long SEED = 20261123L;
    static final int EVENTS = 1200;
    static final double FAULT_RATE = 0.12;
    static final double DUPLICATE_RATE = 0.05;
    /** Lambda's asynchronous invocation: the first attempt and two retries. */
    static final int LAMBDA_ATTEMPTS = 3;
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);
    /** The backstops leave a stop this recent to the event path, and act once per stop per hour after it. */
    static final Duration GRACE = Duration.ofMinutes(3);
    static final Duration PERIOD = Duration.ofHours(1);

    /** What the trail's status means for a scenario. */
    enum Status {
        /** Not looked at, or the outcome does not depend on it. */
        ANY,
        /** A StopLogging event: mostly stopped at the call, sometimes logging again already. */
        STOPPED_BY_EVENT,
        /** A runbook result: mostly logging again, sometimes not. */
        AFTER_RUNBOOK,
        /** A backstop: the status of the trail at the event's time, from the timeline ({@link World}). */
        BACKSTOP
    }

    /**
     * One kind of event for one function and the outcomes it may end in.
     *
     * @param normal   the outcomes without any fault (for STOPPED_BY_EVENT and AFTER_RUNBOOK: the trail stopped,
     *                 respectively logging)
     * @param other    the outcomes when the status is the other way
     * @param repeat   also allowed on a second delivery or after a fault (the runbook already started)
     * @param degraded also allowed after a fault was injected while handling this event
     * @param notifies whether the outcome must carry an SNS message id
     */
    record Scenario(String function, String event, Status status, Set<String> normal, Set<String> other,
                    Set<String> repeat, Set<String> degraded, boolean notifies) {
    }

    static Scenario notifies(String function, String event, String outcome) {
        return new Scenario(function, event, Status.ANY, Set.of(outcome), Set.of(), Set.of(), Set.of(), true);
    }

    static Scenario ignored(String function, String event, String outcome) {
        return new Scenario(function, event, Status.ANY, Set.of(outcome), Set.of(), Set.of(), Set.of(), false);
    }

    static Scenario stop(String event) {
        // Throttling on every attempt of the start is a capacity refusal: logging is then started directly.
        return new Scenario("TamperResponder", event, Status.STOPPED_BY_EVENT, Set.of("REMEDIATION_STARTED"),
                Set.of("ALREADY_LOGGING"), Set.of("REMEDIATION_ALREADY_STARTED"),
                Set.of("REMEDIATION_NOT_STARTED", "LOGGING_STARTED_DIRECTLY"), true);
    }

    static Scenario restore(String event, String started) {
        return new Scenario("TamperResponder", event, Status.ANY, Set.of(started), Set.of(),
                Set.of("RESTORE_ALREADY_STARTED"),
                // a failed baseline read leaves no baseline: reported without a restore
                Set.of("RESTORE_NOT_STARTED", "CHANGE_REPORTED", "TRAIL_DELETED"), true);
    }

    static Scenario report(String event, String confirmed) {
        return new Scenario("RemediationReporter", event, Status.AFTER_RUNBOOK, Set.of(confirmed),
                Set.of("RESTORE_NOT_CONFIRMED"), Set.of(), Set.of(), true);
    }

    /** A restore or recreate result: "restored" only once the trail matches its baseline, which a fault can prevent. */
    static Scenario verifiedReport(String event, String confirmed) {
        return new Scenario("RemediationReporter", event, Status.AFTER_RUNBOOK, Set.of(confirmed),
                Set.of("RESTORE_NOT_CONFIRMED"), Set.of(),
                // the trail or its baseline could not be read back: reported as not verified, never as restored
                Set.of("RESTORE_NOT_VERIFIED"), true);
    }

    static Scenario failedRunbook(String event) {
        return new Scenario("RemediationReporter", event, Status.AFTER_RUNBOOK, Set.of("REMEDIATION_FAILED"),
                Set.of("REMEDIATION_FAILED"), Set.of(), Set.of(), true);
    }

    static Scenario backstop(String function, String event) {
        return new Scenario(function, event, Status.BACKSTOP, Set.of(), Set.of(), Set.of(), Set.of(), true);
    }

    /** Every function with the sample events it receives in production. */
    static final List<Scenario> SCENARIOS = List.of(
            stop("cloudtrail/stop-logging.json"),
            stop("cloudtrail/stop-logging-assumed-role-arn.json"),
            stop("cloudtrail/stop-logging-console.json"),
            notifies("TamperResponder", "cloudtrail/stop-logging-access-denied.json", "ATTEMPT_BLOCKED"),
            restore("cloudtrail/delete-trail.json", "RECREATE_STARTED"),
            restore("cloudtrail/update-trail.json", "RESTORE_STARTED"),
            restore("cloudtrail/put-event-selectors.json", "RESTORE_STARTED"),
            restore("cloudtrail/put-insight-selectors.json", "RESTORE_STARTED"),
            // When the loop guard's GetAutomationExecution fails, TrailGuard cannot tell the call is its own and
            // answers it like anyone's (AUTOMATION_ROLE_UNVERIFIED): its trail matches the baseline, so NO_CHANGE.
            new Scenario("TamperResponder", "cloudtrail/update-trail-by-trailguard.json", Status.ANY,
                    Set.of("IGNORED_OWN_ACTION"), Set.of(), Set.of(), Set.of("NO_CHANGE", "RESTORE_STARTED",
                    "RESTORE_ALREADY_STARTED", "RESTORE_NOT_STARTED", "CHANGE_REPORTED"), false),
            ignored("TamperResponder", "scheduled/keepalive-ping.json", "KEEPALIVE"),
            new Scenario("TamperResponder", "guard/disable-rule.json", Status.ANY, Set.of("REENABLE_STARTED"),
                    Set.of(), Set.of("REENABLE_ALREADY_STARTED"), Set.of("REENABLE_NOT_STARTED"), true),
            notifies("TamperResponder", "guard/delete-function.json", "GUARD_TAMPERED"),
            notifies("TamperResponder", "guard/put-role-policy.json", "GUARD_TAMPERED"),
            // #14 items 8-10: a rule put back from its definition, subscriptions put back, the second channel
            new Scenario("TamperResponder", "guard/put-targets-constant-input.json", Status.ANY,
                    Set.of("RULE_RESTORED"), Set.of(), Set.of(), Set.of("RULE_NOT_RESTORED"), true),
            new Scenario("TamperResponder", "guard/set-subscription-filter-policy.json", Status.ANY,
                    Set.of("SUBSCRIPTIONS_RESTORED"), Set.of(), Set.of(), Set.of("SUBSCRIPTIONS_NOT_RESTORED"), true),
            // the topic's key enabled again (hand-signed KMS); a fault on EnableKey leaves it to be done by hand
            new Scenario("TamperResponder", "guard/disable-topic-key.json", Status.ANY, Set.of("TOPIC_KEY_REPAIRED"),
                    Set.of(), Set.of(), Set.of("TOPIC_KEY_NOT_REPAIRED"), true),
            backstop("ComplianceResponder", "config/cloudtrail-enabled-non-compliant.json"),
            notifies("ComplianceResponder", "config/cloudtrail-enabled-compliant.json", "RESOLVED"),
            ignored("ComplianceResponder", "config/other-rule-non-compliant.json", "IGNORED"),
            ignored("ComplianceResponder", "config/cloudtrail-enabled-not-applicable.json", "IGNORED"),
            report("ssm/automation-success.json", "LOGGING_RESTORED"),
            failedRunbook("ssm/automation-failed.json"),
            failedRunbook("ssm/automation-timed-out.json"),
            failedRunbook("ssm/automation-cancelled.json"),
            ignored("RemediationReporter", "ssm/other-runbook-success.json", "IGNORED_NOT_OURS"),
            verifiedReport("ssm/restore-trail-success.json", "TRAIL_RESTORED"),
            failedRunbook("ssm/restore-trail-failed.json"),
            verifiedReport("ssm/recreate-trail-success.json", "TRAIL_RECREATED"),
            notifies("RemediationReporter", "ssm/enable-rule-success.json", "RULE_REENABLED"),
            backstop("TrailSweeper", "scheduled/sweep.json"),
            ignored("TrailSweeper", "scheduled/keepalive-ping.json", "KEEPALIVE"));

    /**
     * The mix drawn from: every scenario once, the sweep four times and the Config non-compliance twice, so that the
     * trail's timeline (one sweep every five minutes) spans many stops and hours.
     */
    static final List<Scenario> MIX = mix();

    static List<Scenario> mix() {
        List<Scenario> mix = new ArrayList<>(SCENARIOS);
        for (Scenario s : SCENARIOS) {
            if (s.status() == Status.BACKSTOP) {
                mix.add(s);
                if (s.function().equals("TrailSweeper")) {
                    mix.add(s);
                    mix.add(s);
                }
            }
        }
        return List.copyOf(mix);
    }

    /**
     * The trail as the backstops see it over time, advanced one sweep interval per sweep: healthy, stopped (at a
     * time up to a sweep interval before the episode's first sweep, so some first sweeps fall within the grace), or
     * logging with a delivery error. Config events happen between sweeps and see the same trail.
     */
    static final class World {
        final Random random;
        Instant now = Instant.parse("2026-11-20T15:00:00Z");
        TrailStatusAnswer status;
        int ticksLeft;

        World(Random random) {
            this.random = random;
            next();
        }

        void tick() {
            now = now.plus(SWEEP_INTERVAL);
            if (--ticksLeft <= 0) {
                next();
            }
        }

        boolean firstSweepOfHour() {
            return now.getEpochSecond() % 3600 < SWEEP_INTERVAL.getSeconds();
        }

        private void next() {
            double r = random.nextDouble();
            // Stops last from 10 minutes to 2 hours (up to three hourly attempts); healthy spells up to 40 minutes.
            if (r < 0.40) {
                status = TrailStatusAnswer.loggingSince(now.minus(Duration.ofDays(1)));
                ticksLeft = 1 + random.nextInt(8);
            } else if (r < 0.85) {
                status = TrailStatusAnswer.stoppedAt(now.minusSeconds(random.nextInt(290)));
                ticksLeft = 2 + random.nextInt(r < 0.75 ? 12 : 24);
            } else {
                TrailStatusAnswer logging = TrailStatusAnswer.loggingSince(now.minus(Duration.ofDays(1)));
                status = new TrailStatusAnswer(true, logging.startLogging(), logging.stopLogging(), "AccessDenied");
                ticksLeft = 2 + random.nextInt(18);
            }
        }

        /** The stop and hour an execution started at {@code at} belongs to: one execution each. */
        String incident(Instant at) {
            Instant stop = status.stopLogging();
            long period = Math.max(0, Math.floorDiv(Duration.between(stop.plus(GRACE), at).getSeconds(),
                    PERIOD.getSeconds()));
            return "stop " + stop + " hour " + period;
        }
    }

    /** What the test knows about one injected event. */
    record Injected(int index, Scenario scenario, boolean stopped, Instant at) {
    }

    @Test
    void randomizedMixWithRandomFaults_shouldAccountForEveryEventAndNeverStartTwice() throws Exception {
        run(false);
    }

    /**
     * The same mix with every integration on (Security Hub findings, the incident event, the chat card) and the same
     * random faults on their calls too. A delivery may only count an AWS failure on the notification's own path as
     * the reason for a degraded outcome or a dead letter: a failed integration never excuses a lost notification.
     */
    @Test
    void randomizedMixWithIntegrationFaults_shouldStillNotifyEveryEvent() throws Exception {
        run(true);
    }

    static void run(boolean integrations) throws Exception {
        Random random = new Random(SEED);
        World world = new World(new Random(SEED + 1));
        Map<String, Integer> totals = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> byFunction = new TreeMap<>();
        List<String> unaccounted = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        try (ChaosAws aws = new ChaosAws(SEED, FAULT_RATE, ROLE, 700)) {
            // given: one instance per function, as Lambda reuses an initialised environment
            TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                    TrailGuardConfig.TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:trailguard",
                    TrailGuardConfig.AUTOMATION_ROLE_ARN, ROLE,
                    TrailGuardConfig.CONFIG_RULES, "trailguard-cloudtrail-enabled",
                    TrailGuardConfig.FUNCTION_ROLE_ARNS, ChaosAws.FUNCTION_ROLE));
            AwsClients clients = new AwsClients(Region.US_EAST_1, aws.endpoint(), Duration.ofMillis(400),
                    Duration.ofSeconds(3));
            Dependencies deps = Dependencies.live(config, clients).withSelfGuard(SelfGuardConfig.fromEnvironment(Map.of(
                    SelfGuardConfig.SECOND_CHANNEL_TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:TrailGuard-Second",
                    SelfGuardConfig.TOPIC_KEY_ARN,
                    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    SelfGuardConfig.SUBSCRIPTIONS, "[{\"protocol\":\"email\",\"endpoint\":\""
                            + ChaosAws.SUBSCRIBER + "\"}]")), clients);
            if (integrations) {
                deps = deps.withIntegrations(new IntegrationsConfig(true, true, ChaosAws.CHAT_TOPIC), clients);
            }
            Dependencies wired = deps;
            Map<String, EventFunction> functions = new HashMap<>();
            for (Scenario s : SCENARIOS) {
                functions.computeIfAbsent(s.function(), name -> Functions.factory(name).apply(wired));
            }

            // when
            for (int i = 0; i < EVENTS; i++) {
                Scenario scenario = MIX.get(random.nextInt(MIX.size()));
                byte[] event = withFreshIds(scenario.event(), new UUID(random.nextLong(), random.nextLong()));
                Instant at = null;
                boolean stopped;
                switch (scenario.status()) {
                    case BACKSTOP -> {
                        if (scenario.function().equals("TrailSweeper")) {
                            world.tick();
                            at = world.now;
                        } else {
                            at = world.now.plusSeconds(random.nextInt((int) SWEEP_INTERVAL.getSeconds()));
                        }
                        event = withTime(event, at);
                        aws.trailStatus(world.status);
                        stopped = !world.status.logging();
                    }
                    case STOPPED_BY_EVENT -> {
                        Instant call = Instant.parse(JSON.readTree(event).path("detail").path("eventTime").asText());
                        stopped = random.nextDouble() < 0.9;
                        aws.trailStatus(stopped ? TrailStatusAnswer.stoppedAt(call)
                                : TrailStatusAnswer.loggingSince(call.plusSeconds(20)));
                    }
                    case AFTER_RUNBOOK -> {
                        Instant end = Instant.parse("2026-11-20T14:03:18Z");
                        stopped = random.nextDouble() < 0.15;
                        aws.trailStatus(stopped ? TrailStatusAnswer.stoppedAt(end.plusSeconds(60))
                                : TrailStatusAnswer.loggingSince(end));
                    }
                    default -> stopped = false;
                }
                Injected injected = new Injected(i, scenario, stopped, at);
                // A backstop's execution belongs to the stop and hour, shared by every observer of it.
                aws.attributeTo(scenario.status() == Status.BACKSTOP && stopped ? world.incident(at) : "event-" + i);
                int deliveries = random.nextDouble() < DUPLICATE_RATE ? 2 : 1;
                byFunction.merge(scenario.function(), 1, Integer::sum);
                totals.merge("events", 1, Integer::sum);
                totals.merge("deliveries", deliveries, Integer::sum);
                int faultsBefore = notificationPathFaults(aws);
                for (int d = 0; d < deliveries; d++) {
                    Delivery delivery = deliver(functions.get(scenario.function()), event, aws);
                    boolean faulted = notificationPathFaults(aws) > faultsBefore;
                    String result = account(injected, d, delivery, faulted, world, aws, reported, outcomes);
                    totals.merge(result.startsWith("unaccounted") ? "unaccounted" : result, 1, Integer::sum);
                    if (result.startsWith("unaccounted")) {
                        unaccounted.add("event " + i + " " + scenario.event() + " delivery " + (d + 1) + " -> "
                                + result);
                    }
                }
            }

            // then
            Map<String, Long> startsByInjected = aws.starts().stream().collect(Collectors.groupingBy(
                    ChaosAws.Start::injectedEventId, Collectors.counting()));
            long startedTwice = startsByInjected.values().stream().filter(n -> n > 1).count();
            Map<String, Long> startsByRunbook = aws.starts().stream().collect(Collectors.groupingBy(
                    ChaosAws.Start::document, TreeMap::new, Collectors.counting()));
            System.out.printf("nothing-lost: seed=%d events=%d by function=%s%n", SEED, EVENTS, byFunction);
            System.out.printf("nothing-lost: totals=%s%n", totals);
            System.out.printf("nothing-lost: outcomes=%s%n", outcomes);
            System.out.printf("nothing-lost: faults injected=%s requests=%s%n", aws.faults(), aws.requestsByAction());
            long stopHours = startsByInjected.keySet().stream().filter(k -> k.startsWith("stop ")).count();
            System.out.printf("nothing-lost: executions=%d by runbook=%s, injected events or stop-hours with an "
                    + "execution=%d (backstop stop-hours %d), with >1 execution=%d, starts without ClientToken=%d, "
                    + "unaccounted=%d%n", aws.starts().size(), startsByRunbook, startsByInjected.size(), stopHours,
                    startedTwice, aws.startsWithoutToken(), unaccounted.size());
            Map<String, Long> directByInjected = aws.directStarts().stream().collect(Collectors.groupingBy(
                    d -> d, Collectors.counting()));
            System.out.printf("nothing-lost: direct StartLogging calls=%d for %d injected events or stop-hours "
                    + "(%d of them called more than once: duplicate deliveries or retries)%n",
                    aws.directStarts().size(), directByInjected.size(),
                    directByInjected.values().stream().filter(n -> n > 1).count());
            unaccounted.stream().limit(20).forEach(u -> System.out.println("nothing-lost: " + u));
            if (integrations) {
                integrationFigures(aws, totals);
            }
            assertThat(unaccounted).as("unaccounted deliveries").isEmpty();
            assertThat(startedTwice).as("injected events (or stop-hours) with two executions").isZero();
            assertThat(totals.get("notified")).isGreaterThan(EVENTS / 2);
            assertThat(aws.faults().values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(200);
            assertThat(totals.getOrDefault("dead-lettered", 0)).isGreaterThan(0);
            // the overdue-runbook fallback was exercised: some stop-hours outlived their first sweep's start
            assertThat(aws.directStarts()).as("direct StartLogging calls").isNotEmpty();
            // the mix is real: every runbook TrailGuard starts was started
            assertThat(startsByRunbook).containsKeys("AWS-ConfigureCloudTrailLogging", "TrailGuard-RestoreTrail",
                    "TrailGuard-RecreateTrail", "TrailGuard-EnableRule");
        }
    }

    /**
     * One EventBridge delivery: Lambda tries up to three times, then sends the event to the on-failure queue.
     *
     * @param outcome  the successful attempt's outcome, null if all failed
     * @param failures the failed attempts' exceptions
     */
    record Delivery(Outcome outcome, List<RuntimeException> failures) {
    }

    static Delivery deliver(EventFunction function, byte[] event, ChaosAws aws) {
        List<RuntimeException> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= LAMBDA_ATTEMPTS; attempt++) {
            try {
                return new Delivery(function.invoke(event), failures);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        return new Delivery(null, failures);
    }

    /** What one delivery ended in, checked against what its scenario allows; "unaccounted: ..." if it is not. */
    static String account(Injected injected, int delivery, Delivery result, boolean faulted, World world,
                          ChaosAws aws, Set<String> reported, Map<String, Integer> outcomes) {
        Scenario s = injected.scenario();
        boolean backstop = s.status() == Status.BACKSTOP;
        String incident = backstop && injected.stopped() ? world.incident(injected.at()) : null;
        if (result.outcome() == null) {
            // Only AWS call failures may send an event to the on-failure queue, and only when AWS failed.
            List<String> defects = result.failures().stream().filter(e -> !(e instanceof AwsCallFailedException))
                    .map(e -> e.getClass().getSimpleName() + ": " + e.getMessage()).toList();
            if (!defects.isEmpty()) {
                return "unaccounted: dead-lettered, but not by AWS call failures: " + defects;
            }
            if (!faulted) {
                return "unaccounted: dead-lettered although AWS answered every call";
            }
            // The on-failure queue's alarm reports it: it counts as reported for its period.
            if (incident != null) {
                reported.add(incident);
            } else if (backstop && world.status.deliveryError() != null) {
                reported.add("delivery error " + injected.at().truncatedTo(ChronoUnit.HOURS));
            }
            return "dead-lettered";
        }
        List<String> defects = result.failures().stream().filter(e -> !(e instanceof AwsCallFailedException))
                .map(e -> e.getClass().getSimpleName() + ": " + e.getMessage()).toList();
        if (!defects.isEmpty()) {
            return "unaccounted: an attempt failed with something else than an AWS call failure: " + defects;
        }
        Outcome outcome = result.outcome();
        outcomes.merge(s.event().replaceFirst(".*/", "").replace(".json", "") + ":" + outcome.outcome()
                + outcome.items().stream().map(Outcome::outcome).toList(), 1, Integer::sum);
        if (backstop) {
            return backstop(injected, outcome, faulted, world, aws, reported, incident);
        }
        Set<String> allowed = new HashSet<>(s.status() != Status.ANY && injected.stopped()
                == (s.status() == Status.AFTER_RUNBOOK) ? s.other() : s.normal());
        if (delivery > 0 || faulted) {
            allowed.addAll(s.repeat());
        }
        if (faulted) {
            allowed.addAll(s.degraded());
        }
        if (!allowed.contains(outcome.outcome())) {
            return "unaccounted: " + outcome.outcome() + " not in " + allowed + (faulted ? " (after a fault)" : "");
        }
        // A degraded outcome of an ignored event is an answer to a call TrailGuard could not tell from tampering: told.
        if (s.notifies() || (faulted && s.degraded().contains(outcome.outcome()))) {
            return outcome.messageId() != null ? "notified" : "unaccounted: " + outcome.outcome() + " not notified";
        }
        return outcome.messageId() == null ? "ignored-by-design" : "unaccounted: notified although ignored";
    }

    /** A sweep or Config event: the outcome follows from the trail's state, every trail item is accounted for. */
    static String backstop(Injected injected, Outcome outcome, boolean faulted, World world, ChaosAws aws,
                           Set<String> reported, String incident) {
        boolean sweep = injected.scenario().function().equals("TrailSweeper");
        TrailStatusAnswer status = world.status;
        boolean healthy = status.logging() && status.deliveryError() == null;
        String expected = sweep ? (healthy ? "HEALTHY" : "ISSUES_FOUND")
                : (injected.stopped() ? "REMEDIATED" : "NO_STOPPED_TRAIL");
        if (!expected.equals(outcome.outcome()) || outcome.items().size() != 1) {
            return "unaccounted: " + outcome.outcome() + outcome.items().stream().map(Outcome::outcome).toList()
                    + " for " + status + ", expected " + expected + " with one trail item";
        }
        Outcome item = outcome.items().get(0);
        String errorKey = "delivery error " + injected.at().truncatedTo(ChronoUnit.HOURS);
        if (!injected.stopped()) {
            if (sweep && status.deliveryError() != null) {
                if (!item.outcome().equals("DELIVERY_ERROR")) {
                    return "unaccounted: item " + item.outcome() + " for a delivery error";
                }
                if (item.messageId() != null) {
                    reported.add(errorKey);
                    return "notified";
                }
                if (reported.contains(errorKey)) {
                    return "already-reported-this-period";
                }
                // Notified by the first sweep that sees it and by the first sweep of each hour (documented).
                return "unaccounted: delivery error neither notified when first seen nor reported this hour";
            }
            if (!item.outcome().equals("LOGGING")) {
                return "unaccounted: item " + item.outcome() + " for a logging trail";
            }
            if (sweep) {
                return "ignored-by-design";
            }
            return outcome.messageId() != null ? "notified" : "unaccounted: NO_STOPPED_TRAIL not notified";
        }
        boolean recent = Duration.between(status.stopLogging(), injected.at()).compareTo(GRACE) < 0;
        if (sweep && recent) {
            return item.outcome().equals("STOP_RECENT") ? "left-to-event-path"
                    : "unaccounted: item " + item.outcome() + " within the grace";
        }
        boolean startedBefore = aws.starts().stream().anyMatch(st -> incident.equals(st.injectedEventId()));
        Set<String> allowed = new HashSet<>(Set.of("REMEDIATION_STARTED"));
        if (startedBefore) {
            allowed.add("REMEDIATION_ALREADY_STARTED");
            // The trail is still stopped on the second sweep of the period after a start: the runbook is overdue.
            if (sweep) {
                allowed.add("LOGGING_STARTED_DIRECTLY");
            }
        }
        if (faulted) {
            allowed.add("REMEDIATION_NOT_STARTED");
            allowed.add("LOGGING_STARTED_DIRECTLY");
        }
        if (!allowed.contains(item.outcome())) {
            return "unaccounted: item " + item.outcome() + " not in " + allowed;
        }
        if (item.messageId() != null) {
            reported.add(incident);
            return "notified";
        }
        if (sweep && item.notes().stream().anyMatch(n -> n.startsWith("not notified again"))
                && reported.contains(incident)) {
            return "already-reported-this-period";
        }
        return "unaccounted: " + item.outcome() + " not notified, and nothing reported " + incident + " before";
    }

    /** The calls of the integrations: their faults are no excuse for a lost or degraded notification. */
    static final Set<String> INTEGRATION_ACTIONS = Set.of("securityhub:BatchImportFindings", "events:PutEvents",
            ChaosAws.CHAT_PUBLISH);

    /** Faults injected so far on every call but the integrations'. */
    static int notificationPathFaults(ChaosAws aws) {
        return aws.faultsByAction().entrySet().stream().filter(e -> !INTEGRATION_ACTIONS.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
    }

    /**
     * The integrations' figures: their requests and injected faults, and the notifications that said an integration
     * failed. Every notification published must carry either all three integrations or a "Not delivered to" each.
     */
    static void integrationFigures(ChaosAws aws, Map<String, Integer> totals) throws Exception {
        Map<String, Integer> faults = new TreeMap<>();
        aws.faultsByAction().forEach((action, n) -> {
            if (INTEGRATION_ACTIONS.contains(action)) {
                faults.put(action, n);
            }
        });
        Map<String, Integer> requests = new TreeMap<>();
        aws.requestsByAction().forEach((action, n) -> {
            if (INTEGRATION_ACTIONS.contains(action)) {
                requests.put(action, n);
            }
        });
        Map<String, Integer> reported = new TreeMap<>();
        int published = 0;
        for (var publish : aws.requests("sns:Publish")) {
            Map<String, String> form = dev.trailguard.testing.AwsStub.form(publish);
            if (!"arn:aws:sns:us-east-1:111122223333:trailguard".equals(form.get("TopicArn"))) {
                continue;
            }
            published++;
            var details = JSON.readTree(JSON.readTree(form.get("Message")).path("default").asText()).path("details");
            details.fieldNames().forEachRemaining(label -> {
                if (label.startsWith("Not delivered to ")) {
                    reported.merge(label.substring("Not delivered to ".length()), 1, Integer::sum);
                }
            });
        }
        System.out.printf("nothing-lost (integrations): requests=%s faults injected=%s; notification publishes "
                + "attempted=%d, of which reporting a failed integration=%s; notified=%d lost=%d%n", requests, faults,
                published, reported, totals.getOrDefault("notified", 0), totals.getOrDefault("unaccounted", 0));
        assertThat(faults.values().stream().mapToInt(Integer::intValue).sum()).as("integration faults").isGreaterThan(100);
        assertThat(reported).as("notifications that name a failed integration").containsKeys("Security Hub",
                "EventBridge", "chat");
    }

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
