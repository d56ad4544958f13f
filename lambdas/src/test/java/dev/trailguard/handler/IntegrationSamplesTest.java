package dev.trailguard.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.IntegrationsConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.testing.AwsStub;
import dev.trailguard.testing.ChaosAws;
import dev.trailguard.testing.ChaosAws.TrailStatusAnswer;
import dev.trailguard.testing.Events;
import dev.trailguard.testing.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Every sample event in {@code events/} through the function that receives it in production, with the trail stopped
 * and then logging, against a fake AWS that answers every call: every notification that results is checked in all
 * its integrated forms. The notification document (and so the incident event's detail) must match the committed JSON
 * Schema, the finding the ASFF subset's, and the chat card must keep its bounds and thread with the finding.
 */
class IntegrationSamplesTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:trailguard";
    static final String CHAT = "arn:aws:sns:us-east-1:111122223333:trailguard-chat";
    static final String ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The sample folders and the function each one's events reach (the member folder is the hub's, tested there). */
    static final Map<String, String> FOLDERS = Map.of("cloudtrail", "TamperResponder", "guard", "TamperResponder",
            "config", "ComplianceResponder", "ssm", "RemediationReporter", "scheduled", "TrailSweeper");

    @Test
    void everySampleOutcome_shouldMatchTheSchemasInEveryForm() throws Exception {
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int samples = 0;
        try (ChaosAws aws = new ChaosAws(1L, 0.0, ROLE, 700)) {
            TrailGuardConfig config = TrailGuardConfig.fromEnvironment(Map.of(
                    TrailGuardConfig.TOPIC_ARN, TOPIC,
                    TrailGuardConfig.AUTOMATION_ROLE_ARN, ROLE,
                    TrailGuardConfig.CONFIG_RULES, "trailguard-cloudtrail-enabled",
                    TrailGuardConfig.FUNCTION_ROLE_ARNS, ChaosAws.FUNCTION_ROLE));
            AwsClients clients = new AwsClients(Region.US_EAST_1, aws.endpoint(), Duration.ofSeconds(2),
                    Duration.ofSeconds(5));
            Dependencies deps = Dependencies.live(config, clients)
                    .withIntegrations(new IntegrationsConfig(true, true, CHAT), clients);
            Map<String, EventFunction> functions = new HashMap<>();
            for (String sample : samples()) {
                String function = FOLDERS.get(sample.substring(0, sample.indexOf('/')));
                EventFunction handler = functions.computeIfAbsent(function, n -> Functions.factory(n).apply(deps));
                for (boolean logging : new boolean[] {false, true}) {
                    samples++;
                    Instant now = Instant.parse("2026-11-20T14:00:00Z");
                    aws.trailStatus(logging ? TrailStatusAnswer.loggingSince(now) : TrailStatusAnswer.stoppedAt(now));
                    aws.resetRequests();
                    try {
                        handler.invoke(Events.load(sample));
                    } catch (RuntimeException e) {
                        problems.add(sample + " (logging=" + logging + ") threw " + e);
                        continue;
                    }
                    check(sample + " (logging=" + logging + ")", aws, kinds, problems);
                }
            }
        }
        System.out.printf("integration samples: %d runs, notifications by kind %s%n", samples, kinds);
        assertThat(problems).isEmpty();
        // the samples reach the kinds that matter for the integrations: a stop, a change, a verified restore, a failure
        assertThat(kinds).containsKeys("LOGGING_STOPPED", "TRAIL_WEAKENED", "TRAIL_DELETED", "LOGGING_RESTORED",
                "TRAIL_RESTORED", "REMEDIATION_FAILED", "ATTEMPT_BLOCKED");
        assertThat(kinds.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(40);
    }

    /** One sample run's notifications: each in its four forms. */
    static void check(String run, ChaosAws aws, Map<String, Integer> kinds, List<String> problems) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        List<JsonNode> cards = new ArrayList<>();
        for (LoggedRequest publish : aws.requests("sns:Publish")) {
            Map<String, String> form = AwsStub.form(publish);
            if (TOPIC.equals(form.get("TopicArn"))) {
                documents.add(JSON.readTree(JSON.readTree(form.get("Message")).path("default").asText()));
            } else {
                cards.add(JSON.readTree(form.get("Message")));
            }
        }
        List<JsonNode> details = new ArrayList<>();
        for (LoggedRequest put : aws.requests("events:PutEvents")) {
            JsonNode entry = AwsStub.json(put).path("Entries").get(0);
            if (!"trailguard".equals(entry.path("Source").asText())
                    || !"TrailGuard Incident".equals(entry.path("DetailType").asText())) {
                problems.add(run + ": PutEvents entry " + entry.path("Source") + "/" + entry.path("DetailType"));
            }
            details.add(JSON.readTree(entry.path("Detail").asText()));
        }
        List<JsonNode> findings = new ArrayList<>();
        for (LoggedRequest imported : aws.requests("securityhub:BatchImportFindings")) {
            findings.add(AwsStub.json(imported).path("Findings").get(0));
        }
        if (details.size() != documents.size() || findings.size() != documents.size()
                || cards.size() != documents.size()) {
            problems.add(run + ": " + documents.size() + " notifications, " + details.size() + " events, "
                    + findings.size() + " findings, " + cards.size() + " cards");
        }
        if (!new TreeSet<>(details.stream().map(JsonNode::toString).toList())
                .equals(new TreeSet<>(documents.stream().map(JsonNode::toString).toList()))) {
            problems.add(run + ": the incident events' details differ from the notification documents");
        }
        for (JsonNode document : documents) {
            kinds.merge(document.path("kind").asText(), 1, Integer::sum);
            Schemas.errors(Schemas.NOTIFICATION, document).forEach(e -> problems.add(run + ": notification " + e));
            if (document.path("details").toString().contains("Not delivered")) {
                problems.add(run + ": an integration failed although AWS answered every call: " + document);
            }
        }
        Set<String> findingIds = new TreeSet<>();
        for (JsonNode finding : findings) {
            findingIds.add(finding.path("Id").asText());
            Schemas.errors(Schemas.ASFF, finding).forEach(e -> problems.add(run + ": finding " + e));
            boolean restored = Set.of("LOGGING_RESTORED", "TRAIL_RESTORED", "TRAIL_RECREATED")
                    .contains(finding.path("ProductFields").path("trailguard/kind").asText());
            if (!finding.path("Workflow").path("Status").asText().equals(restored ? "RESOLVED" : "NEW")
                    || !finding.path("RecordState").asText().equals(restored ? "ARCHIVED" : "ACTIVE")) {
                problems.add(run + ": finding workflow " + finding.path("Workflow") + " " + finding.path("RecordState"));
            }
        }
        for (JsonNode card : cards) {
            problems.addAll(ChatCardBounds.violations(run, card));
            if (!findingIds.contains(card.path("metadata").path("threadId").asText())) {
                problems.add(run + ": card thread " + card.path("metadata").path("threadId") + " is no finding's id");
            }
        }
    }

    /** Every sample event file, as {@code folder/name.json}, from the folders with a production function. */
    static List<String> samples() throws URISyntaxException {
        Path root = Path.of(IntegrationSamplesTest.class.getResource("/events").toURI());
        List<String> samples = new ArrayList<>();
        for (String folder : new TreeSet<>(FOLDERS.keySet())) {
            try (Stream<Path> files = Files.list(root.resolve(folder))) {
                files.map(p -> folder + "/" + p.getFileName()).filter(p -> p.endsWith(".json")).sorted()
                        .forEach(samples::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return samples;
    }
}
