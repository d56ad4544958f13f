package dev.trailguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.NotificationRenderer;
import dev.trailguard.notify.Notifier;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.ClientTokens;
import dev.trailguard.remediation.RemediationRequest;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.tamper.TamperService;
import dev.trailguard.testing.Events;
import dev.trailguard.trail.Trail;
import dev.trailguard.trail.TrailLocator;
import dev.trailguard.trail.TrailRef;
import dev.trailguard.trail.TrailState;
import dev.trailguard.trail.TrailStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile and malformed events against the TamperResponder's logic: whatever the input, no exception escapes, every
 * event ends in exactly one notification (or is ignored as TrailGuard's own action), runbook parameters are only ever
 * validated trail ARNs, and notification text is bounded and cannot forge lines in the subject or the body.
 */
class HostileInputProperties {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SAMPLES = List.of("stop-logging.json", "stop-logging-assumed-role-arn.json",
            "stop-logging-console.json", "stop-logging-access-denied.json", "delete-trail.json", "update-trail.json",
            "put-event-selectors.json", "put-insight-selectors.json", "update-trail-by-trailguard.json");
    static final Pattern TRAIL_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:cloudtrail:[a-z]{2}(-[a-z]+)+-\\d{1,2}:\\d{12}:trail/[A-Za-z0-9._-]{3,128}");
    static final String OWN_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
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
            JsonNodeFactory.instance.textNode("StartLogging"));

    enum Mutation { REMOVE, REPLACE, DUPLICATE_KEY, TRUNCATE, NONE }

    record Case(String sample, Mutation mutation, int pathIndex, int valueIndex) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(SAMPLES), Arbitraries.of(Mutation.values()),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, HOSTILE_VALUES.size() - 1))
                .as(Case::new);
    }

    @Property(tries = 1500, seed = "20261123")
    void anyEvent_shouldEndInOneSafeNotificationAndOnlyValidatedRunbookParameters(@ForAll("cases") Case c)
            throws Exception {
        // given
        byte[] event = mutate(c);
        Recorder recorder = new Recorder();
        TamperService service = recorder.service();

        // when: no exception may escape (the notifier never fails here)
        Outcome outcome = service.handle(event);

        // then
        Statistics.label("outcome").collect(outcome.outcome());
        // The safety net for defects must never be what handles an input.
        assertThat(outcome.outcome()).isNotEqualTo("INTERNAL_ERROR");
        if ("IGNORED_OWN_ACTION".equals(outcome.outcome())) {
            assertThat(recorder.notifications).isEmpty();
        } else {
            assertThat(recorder.notifications).hasSize(1);
            assertThat(outcome.messageId()).isEqualTo("m-1");
        }
        for (RemediationRequest request : recorder.starts) {
            assertThat(request.trail().arn()).matches(TRAIL_ARN);
        }
        NotificationRenderer renderer = new NotificationRenderer(JSON);
        for (Notification n : recorder.notifications) {
            String subject = renderer.subject(n);
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
        String raw = new String(Events.load("cloudtrail/" + c.sample()), StandardCharsets.UTF_8);
        switch (c.mutation()) {
            case NONE:
                return raw.getBytes(StandardCharsets.UTF_8);
            case TRUNCATE:
                return raw.substring(0, c.pathIndex() % (raw.length() - 1)).getBytes(StandardCharsets.UTF_8);
            case DUPLICATE_KEY:
                return raw.replaceFirst("\\{", "{\"source\": \"aws.other\",").getBytes(StandardCharsets.UTF_8);
            default:
                break;
        }
        ObjectNode tree = (ObjectNode) JSON.readTree(raw);
        List<Object[]> slots = new ArrayList<>();
        collect(tree, slots);
        Object[] slot = slots.get(c.pathIndex() % slots.size());
        JsonNode value = HOSTILE_VALUES.get(c.valueIndex());
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

    /** In-memory ports: a locator that finds any validated trail stopped, and recorders for starts and notices. */
    static final class Recorder implements TrailLocator, Remediator, Notifier, AutomationExecutions {
        final List<RemediationRequest> starts = new ArrayList<>();
        final List<Notification> notifications = new ArrayList<>();

        TamperService service() {
            TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:trailguard", OWN_ROLE,
                    Set.of(OWN_ROLE), List.of(), Set.of());
            // No baseline: UpdateTrail and friends are reported, as the restore service does without one.
            return new TamperService(new EventReader(), this, this, this, this, config,
                    new dev.trailguard.restore.RestoreService(dev.trailguard.restore.BaselineSource.none(),
                            request -> {
                                throw new AssertionError("no restore without a baseline");
                            }, this, config, dev.trailguard.config.ResponseConfig.defaults()));
        }

        @Override
        public Optional<TrailState> locate(TrailRef ref) {
            // As DescribeTrails would: the ARN comes from AWS, never from the event.
            String arn = ref.isArn() ? ref.value() : "arn:aws:cloudtrail:us-east-1:111122223333:trail/" + ref.name();
            Trail trail = new Trail(arn, ref.name(), ref.region().orElse("us-east-1"), true, false);
            return Optional.of(new TrailState(trail, new TrailStatus(false, Optional.empty(), Optional.empty(),
                    Optional.empty())));
        }

        @Override
        public List<Trail> listTrails() {
            return List.of();
        }

        @Override
        public TrailStatus status(Trail trail) {
            return new TrailStatus(false, Optional.empty(), Optional.empty(), Optional.empty());
        }

        @Override
        public RemediationStart startLogging(RemediationRequest request) {
            starts.add(request);
            return new RemediationStart(Optional.of("exec-" + starts.size()), request.trail().homeRegion(),
                    ClientTokens.of(request.incidentKey(), request.trail().arn()), false, false);
        }

        @Override
        public Optional<dev.trailguard.remediation.AutomationExecution> get(String executionId, String region) {
            return Optional.empty();
        }

        @Override
        public int countStartedFor(String actor, java.time.Instant since, String region, int limit) {
            assertThat(actor).doesNotContain("\n", "\r");
            return starts.size();
        }

        @Override
        public String publish(Notification notification) {
            notifications.add(notification);
            return "m-" + notifications.size();
        }
    }
}
