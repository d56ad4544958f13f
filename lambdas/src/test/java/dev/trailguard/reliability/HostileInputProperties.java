package dev.trailguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.EventFunction;
import dev.trailguard.handler.Functions;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.NotificationRenderer;
import dev.trailguard.notify.Notifier;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.EventSelectors;
import dev.trailguard.restore.RestoreRequest;
import dev.trailguard.restore.TrailId;
import dev.trailguard.restore.TrailRestorer;
import dev.trailguard.restore.TrailSettings;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile and malformed events against all four functions (their real code, with in-memory ports for AWS): whatever
 * the input, no exception escapes, every notification is in the outcome and every outcome that is not ignored by
 * design published one, runbooks are only ever started for validated trail ARNs and rule names, and notification
 * text is bounded and cannot forge lines in the subject or the body. Every try mutates its sample (removed or
 * replaced field, duplicate key, truncation); the statistics report how many inputs were distinct, and coverage
 * checks that long subjects and repeated tampering were generated.
 */
class HostileInputProperties {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Every sample event, by the function that receives it in production. */
    static final Map<String, List<String>> SAMPLES = Map.of(
            "TamperResponder", List.of("cloudtrail/stop-logging.json", "cloudtrail/stop-logging-assumed-role-arn.json",
                    "cloudtrail/stop-logging-console.json", "cloudtrail/stop-logging-access-denied.json",
                    "cloudtrail/stop-logging-organization-trail.json", "cloudtrail/delete-trail.json",
                    "cloudtrail/update-trail.json", "cloudtrail/put-event-selectors.json",
                    "cloudtrail/put-event-selectors-add-data-events.json", "cloudtrail/put-insight-selectors.json",
                    "cloudtrail/update-trail-by-trailguard.json", "guard/disable-rule.json",
                    "guard/delete-function.json", "guard/put-role-policy.json", "guard/remove-targets.json"),
            "ComplianceResponder", List.of("config/cloudtrail-enabled-non-compliant.json",
                    "config/cloudtrail-enabled-compliant.json", "config/multi-region-non-compliant.json",
                    "config/other-rule-non-compliant.json", "config/cloudtrail-enabled-not-applicable.json"),
            "RemediationReporter", List.of("ssm/automation-success.json", "ssm/automation-failed.json",
                    "ssm/automation-timed-out.json", "ssm/restore-trail-success.json", "ssm/restore-trail-failed.json",
                    "ssm/recreate-trail-success.json", "ssm/enable-rule-success.json"),
            "TrailSweeper", List.of("scheduled/sweep.json"));
    /** Outcomes that publish nothing by design. */
    static final Set<String> SILENT = Set.of("IGNORED_OWN_ACTION", "IGNORED", "IGNORED_NOT_OURS", "KEEPALIVE",
            "HEALTHY", "NOT_TRAILGUARD_RESOURCE");
    static final Pattern RULE_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
    /** A valid trail name of the maximum length: headlines with it exceed the subject's bound. */
    static final String LONG_NAME = "audit-" + "x".repeat(118) + "-end";
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final String MAIN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    static final Set<Integer> SEEN = java.util.Collections.synchronizedSet(new HashSet<>());
    static final Pattern TRAIL_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:cloudtrail:[a-z]{2}(-[a-z]+)+-\\d{1,2}:\\d{12}:trail/[A-Za-z0-9._-]{3,128}");
    static final String OWN_ROLE = ROLE;
    static final int SNS_MAX_BYTES = 256 * 1024;

    static final List<JsonNode> HOSTILE_VALUES = List.of(
            JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.numberNode(12),
            JsonNodeFactory.instance.booleanNode(true),
            JsonNodeFactory.instance.arrayNode().add("a").add(1),
            JsonNodeFactory.instance.objectNode().put("nested", "x"),
            JsonNodeFactory.instance.textNode(""),
            JsonNodeFactory.instance.textNode("x".repeat(100_000)),
            JsonNodeFactory.instance.textNode("line1\r\nSubject: [INFO] all good\r\n\r\nBody"),
            JsonNodeFactory.instance.textNode("nul\u0000bell\u0007esc\u001b[31mred"),
            JsonNodeFactory.instance.textNode("bidi \u202egnp.exe\u202c and \u2028line sep"),
            JsonNodeFactory.instance.textNode("ünïcödé 日本語 \uD83D\uDE00 emoji"),
            JsonNodeFactory.instance.textNode("\uD800 lone surrogate"),
            JsonNodeFactory.instance.textNode("arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/management-events"),
            JsonNodeFactory.instance.textNode("arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/x-y-z"),
            JsonNodeFactory.instance.textNode("arn:aws:cloudtrail:us-east-1:999999999999:trail/management-events"),
            JsonNodeFactory.instance.textNode("arn:aws:s3:::management-events"),
            JsonNodeFactory.instance.textNode("arn:aws:cloudtrail:us-east-1:111122223333:trail/a"),
            JsonNodeFactory.instance.textNode("10.0.0.1"),
            JsonNodeFactory.instance.textNode("my--trail"),
            JsonNodeFactory.instance.textNode("../../etc/passwd"),
            JsonNodeFactory.instance.textNode(OWN_ROLE),
            JsonNodeFactory.instance.textNode("aws.config"),
            JsonNodeFactory.instance.textNode("StartLogging"),
            JsonNodeFactory.instance.textNode(LONG_NAME),
            JsonNodeFactory.instance.textNode("arn:aws:cloudtrail:us-east-1:111122223333:trail/" + LONG_NAME),
            JsonNodeFactory.instance.textNode("arn:aws:sts::111122223333:assumed-role/" + "R".repeat(64) + "/"
                    + "session-" + "s".repeat(56)),
            JsonNodeFactory.instance.textNode("2026-11-20T15:00:01Z"),
            JsonNodeFactory.instance.textNode("Failed"));

    /** Every try changes its sample: there is no unmodified case. */
    enum Mutation { REMOVE, REPLACE, DUPLICATE_KEY, TRUNCATE }

    /**
     * One input.
     *
     * @param priorStops executions TrailGuard already started for the actor in the window (3 or more: repeated
     *                   tampering)
     * @param longTrail  whether the account's trail (as AWS lists it) has a name of the maximum length
     */
    record Case(String function, String sample, Mutation mutation, int pathIndex, int valueIndex, int priorStops,
                boolean longTrail) {
    }

    /** Every (function, sample) pair once, the single sweep sample three times, so that each sample is as likely. */
    static final List<String[]> INPUTS = inputs();

    static List<String[]> inputs() {
        List<String[]> inputs = new ArrayList<>();
        SAMPLES.forEach((function, samples) -> samples.forEach(sample -> inputs.add(new String[] {function, sample})));
        inputs.add(new String[] {"TrailSweeper", "scheduled/sweep.json"});
        inputs.add(new String[] {"TrailSweeper", "scheduled/sweep.json"});
        inputs.sort(java.util.Comparator.comparing((String[] i) -> i[1]));
        return List.copyOf(inputs);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(INPUTS), Arbitraries.of(Mutation.values()),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, HOSTILE_VALUES.size() - 1),
                Arbitraries.integers().between(0, 4), Arbitraries.of(true, false))
                .as((input, mutation, path, value, stops, longTrail) -> new Case(input[0], input[1], mutation, path,
                        value, stops, longTrail));
    }

    @Property(tries = 1500, seed = "20261123", edgeCases = EdgeCasesMode.NONE)
    void anyEvent_shouldEndInSafeNotificationsAndOnlyValidatedRunbookParameters(@ForAll("cases") Case c)
            throws Exception {
        // given
        byte[] event = mutate(c);
        Recorder recorder = new Recorder(c.priorStops(), c.longTrail());
        EventFunction function = Functions.factory(c.function()).apply(recorder.dependencies());

        // when: no exception may escape (the notifier never fails here)
        Outcome outcome = function.invoke(event);

        // then
        Statistics.label("function").collect(c.function());
        Statistics.label("input").collect(SEEN.add(java.util.Arrays.hashCode(event)) ? "distinct" : "seen before");
        Statistics.label("input").coverage(k -> k.check("distinct").percentage(p -> p >= 80));
        // The safety net for defects must never be what handles an input.
        assertThat(outcome.outcome()).isNotEqualTo("INTERNAL_ERROR");
        List<String> messageIds = new ArrayList<>();
        if (outcome.messageId() != null) {
            messageIds.add(outcome.messageId());
        }
        outcome.items().stream().filter(i -> i.messageId() != null).forEach(i -> messageIds.add(i.messageId()));
        assertThat(messageIds).as("every notification published is in the outcome, once")
                .containsExactlyInAnyOrderElementsOf(recorder.published());
        if (recorder.notifications.isEmpty()) {
            assertThat(SILENT.contains(outcome.outcome()) || !outcome.items().isEmpty() && outcome.items().stream()
                    .allMatch(i -> i.notes().stream().anyMatch(n -> n.startsWith("not notified again")
                            || n.startsWith("stopped less than"))))
                    .as("%s published nothing", outcome.outcome()).isTrue();
        }
        for (RemediationRequest request : recorder.starts) {
            assertThat(request.trail().arn()).matches(TRAIL_ARN);
        }
        for (RestoreRequest request : recorder.restores) {
            assertThat(request.trail().arn()).matches(TRAIL_ARN);
        }
        recorder.rules.forEach(rule -> assertThat(rule).matches(RULE_NAME));
        NotificationRenderer renderer = new NotificationRenderer(JSON);
        for (Notification n : recorder.notifications) {
            String subject = renderer.subject(n);
            Statistics.label("subject").collect(subject.length() >= 95 ? "at the bound" : "shorter");
            Statistics.label("subject").coverage(k -> k.check("at the bound").count(n2 -> n2 >= 20));
            Statistics.label("kind").collect(n.kind());
            Statistics.label("kind").coverage(k -> k.check("REPEATED_TAMPERING").count(n2 -> n2 >= 5));
            assertThat(subject).hasSizeLessThanOrEqualTo(99);
            assertThat(subject.chars()).allMatch(ch -> ch >= 0x20 && ch < 0x7f);
            assertThat(subject).startsWith("[" + n.severity() + "] TrailGuard: ");
            String message = renderer.snsMessage(n);
            assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThan(SNS_MAX_BYTES);
            String text = renderer.text(n);
            assertThat(text.codePoints()).allMatch(cp -> cp == '\n' || !Character.isISOControl(cp));
            assertThat(text).doesNotContain("\u202e", "\u2028", "\r");
            assertThat(text.lines().filter(l -> l.startsWith("Severity: "))).hasSize(1);
            assertThat(text.lines()).allMatch(l -> l.length() <= 1200);
            assertThat(JSON.readTree(renderer.json(n).toString()).path("schemaVersion").asText()).isEqualTo("1.0");
            renderer.attributes(n).values().forEach(v -> assertThat(v.chars()).allMatch(ch -> ch >= 0x20 && ch < 0x7f));
        }
        if (c.mutation() == Mutation.TRUNCATE || c.mutation() == Mutation.DUPLICATE_KEY) {
            assertThat(outcome.outcome()).isEqualTo("UNREADABLE_EVENT");
        }
    }

    static byte[] mutate(Case c) throws Exception {
        String raw = new String(Events.load(c.sample()), StandardCharsets.UTF_8);
        if (c.mutation() == Mutation.TRUNCATE) {
            return raw.substring(0, c.pathIndex() % (raw.length() - 1)).getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode tree = (ObjectNode) JSON.readTree(raw);
        List<Object[]> slots = new ArrayList<>();
        collect(tree, slots);
        List<Object[]> fields = slots.stream().filter(slot -> slot[0] instanceof ObjectNode).toList();
        JsonNode value = HOSTILE_VALUES.get(c.valueIndex());
        if (c.mutation() == Mutation.DUPLICATE_KEY) {
            // Any field of any object, once more with a hostile value: a second reading of the same key.
            Object[] slot = fields.get(c.pathIndex() % fields.size());
            return withDuplicate(tree, (ObjectNode) slot[0], (String) slot[1], value);
        }
        Object[] slot = slots.get(c.pathIndex() % slots.size());
        if (slot[0] instanceof ObjectNode parent) {
            String field = (String) slot[1];
            if (c.mutation() == Mutation.REMOVE) {
                parent.remove(field);
            } else {
                parent.set(field, value.deepCopy());
            }
        } else if (slot[0] instanceof ArrayNode parent) {
            int index = (Integer) slot[1];
            if (c.mutation() == Mutation.REMOVE) {
                parent.remove(index);
            } else {
                parent.set(index, value.deepCopy());
            }
        }
        return JSON.writeValueAsBytes(tree);
    }

    /** The tree as JSON, with {@code field} of {@code parent} written twice: the hostile value first. */
    static byte[] withDuplicate(JsonNode root, ObjectNode parent, String field, JsonNode value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            write(g, root, parent, field, value);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode node, ObjectNode parent, String field, JsonNode value)
            throws IOException {
        if (node instanceof ObjectNode object) {
            g.writeStartObject();
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                if (object == parent && f.getKey().equals(field)) {
                    g.writeFieldName(field);
                    JSON.writeTree(g, value);
                }
                g.writeFieldName(f.getKey());
                write(g, f.getValue(), parent, field, value);
            }
            g.writeEndObject();
        } else if (node instanceof ArrayNode array) {
            g.writeStartArray();
            for (JsonNode element : array) {
                write(g, element, parent, field, value);
            }
            g.writeEndArray();
        } else {
            JSON.writeTree(g, node);
        }
    }

    private static void collect(JsonNode node, List<Object[]> slots) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                slots.add(new Object[] {object, f.getKey()});
                collect(f.getValue(), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Object[] {array, i});
                collect(array.get(i), slots);
            }
        }
    }

    /**
     * In-memory ports: a locator that finds any validated trail stopped (and lists one stopped trail), a baseline
     * declared for every trail, and recorders for runbook starts and notifications.
     */
    static final class Recorder implements TrailLocator, Remediator, Notifier, AutomationExecutions, TrailRestorer,
            RuleReenabler, BaselineSource {
        final List<RemediationRequest> starts = new ArrayList<>();
        final List<RestoreRequest> restores = new ArrayList<>();
        final List<String> rules = new ArrayList<>();
        final List<Notification> notifications = new ArrayList<>();
        final int priorStops;
        final boolean longTrail;

        Recorder(int priorStops, boolean longTrail) {
            this.priorStops = priorStops;
            this.longTrail = longTrail;
        }

        Dependencies dependencies() {
            TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard", OWN_ROLE,
                    Set.of(OWN_ROLE), List.of(), Set.of("trailguard-cloudtrail-enabled",
                    "trailguard-multi-region-cloudtrail-enabled"));
            return new Dependencies(config, new EventReader(), this, this, this, this, ResponseConfig.defaults(),
                    this, this, this);
        }

        List<String> published() {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= notifications.size(); i++) {
                ids.add("m-" + i);
            }
            return ids;
        }

        @Override
        public Optional<TrailState> locate(TrailRef ref) {
            // As DescribeTrails would: the ARN comes from AWS, never from the event.
            String arn = ref.isArn() ? ref.value() : "arn:aws:cloudtrail:us-east-1:111122223333:trail/" + ref.name();
            Trail trail = new Trail(arn, ref.name(), ref.region().orElse("us-east-1"), true, false);
            return Optional.of(new TrailState(trail, status(trail)));
        }

        @Override
        public List<Trail> listTrails() {
            String name = longTrail ? LONG_NAME : "management-events";
            return List.of(new Trail("arn:aws:cloudtrail:us-east-1:111122223333:trail/" + name, name, "us-east-1",
                    true, false));
        }

        @Override
        public TrailStatus status(Trail trail) {
            return new TrailStatus(false, Optional.empty(), Optional.empty(), Optional.empty());
        }

        @Override
        public RemediationStart startLogging(RemediationRequest request) {
            starts.add(request);
            return new RemediationStart(Optional.of("exec-" + starts.size()), request.trail().homeRegion(),
                    "token-" + starts.size(), false, false);
        }

        @Override
        public RemediationStart restore(RestoreRequest request) {
            restores.add(request);
            return new RemediationStart(Optional.of("restore-" + restores.size()), request.trail().homeRegion(),
                    "token-r" + restores.size(), false, false);
        }

        @Override
        public RemediationStart reenable(String ruleName, String busName, String region, String incidentKey) {
            rules.add(ruleName);
            return new RemediationStart(Optional.of("rule-" + rules.size()), region, "token-e" + rules.size(), false,
                    false);
        }

        @Override
        public Baseline baselineBefore(TrailId trail, Instant before) {
            JsonNode declared = read(String.format(dev.trailguard.testing.ChaosAws.DECLARED_BASELINE, trail.arn()));
            return new Baseline(Optional.of(TrailSettings.fromDescription(declared.get("Trail"))), "declared",
                    Optional.empty(), Optional.ofNullable(EventSelectors.parse(declared)),
                    Optional.of(Set.of("ApiCallRateInsight")), "declared");
        }

        @Override
        public Optional<AutomationExecution> get(String executionId, String region) {
            // As GetAutomationExecution would answer for one of TrailGuard's own executions.
            return Optional.of(new AutomationExecution(executionId, "AWS-ConfigureCloudTrailLogging", "Failed",
                    Map.of("AutomationAssumeRole", List.of(ROLE), "CloudTrailArn", List.of(MAIN),
                            "TrailName", List.of(MAIN), "RuleName", List.of("TrailGuard-TamperEvents")),
                    "Step fails", Optional.of(Instant.parse("2026-11-20T14:03:13Z")),
                    Optional.of(Instant.parse("2026-11-20T14:03:19Z")), "verifyLogging"));
        }

        @Override
        public int countStartedFor(String actor, Instant since, String region, int limit) {
            assertThat(actor).doesNotContain("\n", "\r");
            return priorStops + starts.size();
        }

        @Override
        public String publish(Notification notification) {
            notifications.add(notification);
            return "m-" + notifications.size();
        }

        private static JsonNode read(String json) {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
