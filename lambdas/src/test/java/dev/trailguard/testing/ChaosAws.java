package dev.trailguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A small fake of the AWS APIs TrailGuard calls, that misbehaves at random (seeded, reproducible): throttling,
 * 5xx, connection resets (also after SSM has started the execution), stalls and AccessDenied.
 *
 * <p>StartAutomationExecution behaves like SSM: a request without a {@code ClientToken} always starts a new
 * execution; a token used before is refused with {@code IdempotentParameterMismatch}. Every execution actually
 * started is recorded against the event the test is delivering ({@link #attributeTo(String)}), not against anything
 * the code under test chose, so a test can prove that one injected event never yields two executions.
 *
 * <p>The test sets what {@code GetTrailStatus} answers ({@link #trailStatus(TrailStatusAnswer)}); a declared
 * baseline is served from {@code GetParameter}, so the restore and recreate runbooks start.
 */
public final class ChaosAws implements AutoCloseable {

    /** What can go wrong with one request. */
    public enum Kind {
        THROTTLING, INTERNAL_ERROR, UNAVAILABLE, RESET, RESET_AFTER_PROCESSING, STALL, ACCESS_DENIED, SNS_OUTAGE
    }

    /** SNS publishes numbered in [from, until) are refused, as during an outage of the topic. */
    static final int SNS_OUTAGE_FROM = 600;
    static final int SNS_OUTAGE_UNTIL = 630;

    static final ObjectMapper JSON = new ObjectMapper();
    /** The chat topic of the integrations; its publishes are counted as {@link #CHAT_PUBLISH}. */
    public static final String CHAT_TOPIC = "arn:aws:sns:us-east-1:111122223333:trailguard-chat";
    public static final String CHAT_PUBLISH = "sns:Publish:chat";
    public static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    /** The function role whose session starts every execution here (its ExecutedBy). */
    public static final String FUNCTION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole";
    /** The deployed target of TrailGuard's rules in the rule definitions served. */
    public static final String RULE_TARGET = "arn:aws:lambda:us-east-1:111122223333:function:TrailGuard-TamperResponder:live";
    /** The notification topic whose subscriptions are served, and its one configured subscriber. */
    public static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:TrailGuard-Notifications";
    public static final String SUBSCRIBER = "secops@example.com";

    private final WireMockServer server;
    private final Chaos chaos;

    public ChaosAws(long seed, double faultRate, String automationRoleArn, int stallMillis) {
        this.chaos = new Chaos(new Random(seed), faultRate, automationRoleArn, stallMillis);
        this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(chaos));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Faults injected so far, by kind. */
    public synchronized Map<Kind, Integer> faults() {
        synchronized (chaos) {
            return new EnumMap<>(chaos.faults);
        }
    }

    /** Faults injected so far, by action (for example {@code securityhub:BatchImportFindings}). */
    public Map<String, Integer> faultsByAction() {
        synchronized (chaos) {
            return new LinkedHashMap<>(chaos.faultsByAction);
        }
    }

    /** Every request received for one action, in arrival order. */
    public List<LoggedRequest> requests(String action) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl())).stream()
                .filter(r -> action.equals(AwsStub.action(r))).toList();
    }

    /** Forgets the requests received so far (the journal grows with every request otherwise). */
    public void resetRequests() {
        server.resetRequests();
    }

    /** ClientTokens seen per incident (the execution's TrailGuard:Incident tag). */
    public Map<String, Set<String>> tokensByIncident() {
        synchronized (chaos) {
            Map<String, Set<String>> copy = new HashMap<>();
            chaos.tokensByIncident.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
            return copy;
        }
    }

    /** Every execution actually started, in order. */
    public List<Start> starts() {
        synchronized (chaos) {
            return List.copyOf(chaos.starts);
        }
    }

    /**
     * The injected events (or stop-hours) for which CloudTrail's {@code StartLogging} was called directly, once per
     * call that reached CloudTrail (the quota fallback, docs/restore.md).
     */
    public List<String> directStarts() {
        synchronized (chaos) {
            return List.copyOf(chaos.directStarts);
        }
    }

    /** StartAutomationExecution requests that carried no ClientToken. */
    public int startsWithoutToken() {
        synchronized (chaos) {
            return chaos.withoutToken;
        }
    }

    /** Executions started from now on belong to this injected event (the test's own id, not the code's). */
    public void attributeTo(String injectedEventId) {
        synchronized (chaos) {
            chaos.injectedEventId = injectedEventId;
        }
    }

    /** What GetTrailStatus answers from now on. */
    public void trailStatus(TrailStatusAnswer answer) {
        synchronized (chaos) {
            chaos.trailStatus = answer;
        }
    }

    /**
     * One execution SSM started.
     *
     * @param injectedEventId the event the test was delivering ({@link #attributeTo(String)})
     * @param document        the runbook
     * @param clientToken     the request's token, null if it had none
     * @param incidentTag     the execution's TrailGuard:Incident tag, null if none
     * @param executionId     the execution's id
     */
    public record Start(String injectedEventId, String document, String clientToken, String incidentTag,
                        String executionId) {
    }

    /**
     * A GetTrailStatus answer.
     *
     * @param logging       IsLogging
     * @param startLogging  StartLoggingTime, if any
     * @param stopLogging   StopLoggingTime, if any
     * @param deliveryError LatestDeliveryError, if any
     */
    public record TrailStatusAnswer(boolean logging, Instant startLogging, Instant stopLogging,
                                    String deliveryError) {

        /** The trail stopped at {@code at}, after logging since long before. */
        public static TrailStatusAnswer stoppedAt(Instant at) {
            return new TrailStatusAnswer(false, at.minusSeconds(86_400), at, null);
        }

        /** The trail logging since {@code since}, last stopped before that. */
        public static TrailStatusAnswer loggingSince(Instant since) {
            return new TrailStatusAnswer(true, since, since.minusSeconds(600), null);
        }

        String json() {
            StringBuilder b = new StringBuilder("{\"IsLogging\":").append(logging);
            if (startLogging != null) {
                b.append(",\"StartLoggingTime\":").append(epoch(startLogging));
            }
            if (stopLogging != null) {
                b.append(",\"StopLoggingTime\":").append(epoch(stopLogging));
            }
            if (deliveryError != null) {
                b.append(",\"LatestDeliveryError\":\"").append(deliveryError).append('"');
            }
            return b.append('}').toString();
        }

        private static String epoch(Instant t) {
            return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
        }
    }

    /** The declared baseline GetParameter serves: the trail's settings, selectors and Insights. */
    public static final String DECLARED_BASELINE = ("{\"Trail\":{\"Name\":\"management-events\","
            + "\"S3BucketName\":\"org-audit-logs\",\"IncludeGlobalServiceEvents\":true,\"IsMultiRegionTrail\":true,"
            + "\"HomeRegion\":\"us-east-1\",\"TrailARN\":\"" + "%s" + "\",\"LogFileValidationEnabled\":true,"
            + "\"IsOrganizationTrail\":false},"
            + "\"EventSelectors\":[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,"
            + "\"DataResources\":[{\"Type\":\"AWS::S3::Object\",\"Values\":[\"arn:aws:s3:::payroll-data/\"]}]}],"
            + "\"InsightSelectors\":[{\"InsightType\":\"ApiCallRateInsight\"}]}");

    /** Requests served, by action. */
    public Map<String, Integer> requestsByAction() {
        synchronized (chaos) {
            return new LinkedHashMap<>(chaos.requests);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    static final class Chaos implements ResponseDefinitionTransformerV2 {
        final Random random;
        final double faultRate;
        final String automationRoleArn;
        final int stallMillis;
        final Map<Kind, Integer> faults = new EnumMap<>(Kind.class);
        final Map<String, Integer> faultsByAction = new LinkedHashMap<>();
        final Map<String, Set<String>> tokensByIncident = new HashMap<>();
        final Map<String, String> executionByToken = new HashMap<>();
        final List<Start> starts = new ArrayList<>();
        final List<String> directStarts = new ArrayList<>();
        int withoutToken;
        String injectedEventId;
        TrailStatusAnswer trailStatus = new TrailStatusAnswer(false, Instant.ofEpochSecond(1_763_622_000L),
                Instant.ofEpochSecond(1_763_647_391L), null);
        final Map<String, Integer> requests = new LinkedHashMap<>();
        final Map<String, Integer> executionsByTagKey = new HashMap<>();
        final Map<String, String> documentByExecution = new HashMap<>();

        Chaos(Random random, double faultRate, String automationRoleArn, int stallMillis) {
            this.random = random;
            this.faultRate = faultRate;
            this.automationRoleArn = automationRoleArn;
            this.stallMillis = stallMillis;
        }

        @Override
        public String getName() {
            return "chaos";
        }

        @Override
        public synchronized ResponseDefinition transform(ServeEvent serveEvent) {
            LoggedRequest request = serveEvent.getRequest();
            String action = AwsStub.action(request);
            if (action.equals("sns:Publish") && CHAT_TOPIC.equals(AwsStub.form(request).get("TopicArn"))) {
                // The chat card: an integration, counted apart from the notification's own publish.
                action = CHAT_PUBLISH;
            }
            int n = requests.merge(action, 1, Integer::sum);
            if (action.equals("sns:Publish") && n >= SNS_OUTAGE_FROM && n < SNS_OUTAGE_UNTIL) {
                // A window in which the topic refuses everything (a broken key or topic policy): invocations fail.
                faults.merge(Kind.SNS_OUTAGE, 1, Integer::sum);
                faultsByAction.merge(action, 1, Integer::sum);
                return AwsFault.ACCESS_DENIED.response(action).build();
            }
            Kind fault = random.nextDouble() < faultRate ? pick(action) : null;
            if (fault != null) {
                faults.merge(fault, 1, Integer::sum);
                faultsByAction.merge(action, 1, Integer::sum);
                if (fault != Kind.RESET_AFTER_PROCESSING) {
                    return failure(fault, action);
                }
            }
            ResponseDefinitionBuilder ok = answer(action, request);
            if (fault == Kind.RESET_AFTER_PROCESSING) {
                // The side effect happened, but the caller never learns it: its retry must reuse the token.
                return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            }
            return ok.build();
        }

        private Kind pick(String action) {
            // Throttling is kept to a tenth: its retries back off for up to seconds, the rest for milliseconds.
            double r = random.nextDouble();
            if (r < 0.10) {
                return Kind.THROTTLING;
            }
            if (r < 0.40) {
                return Kind.INTERNAL_ERROR;
            }
            if (r < 0.60) {
                return Kind.UNAVAILABLE;
            }
            if (r < 0.80) {
                return Kind.RESET;
            }
            if (r < 0.90) {
                return action.equals("ssm:StartAutomationExecution") ? Kind.RESET_AFTER_PROCESSING : Kind.RESET;
            }
            if (r < 0.95) {
                return Kind.STALL;
            }
            return Kind.ACCESS_DENIED;
        }

        private ResponseDefinition failure(Kind kind, String action) {
            return switch (kind) {
                case THROTTLING -> AwsFault.THROTTLING_400.response(action).build();
                case INTERNAL_ERROR -> AwsFault.INTERNAL_ERROR_500.response(action).build();
                case UNAVAILABLE -> AwsFault.SERVICE_UNAVAILABLE_503.response(action).build();
                case RESET, RESET_AFTER_PROCESSING -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
                case STALL -> aResponse().withStatus(200).withFixedDelay(stallMillis).withBody("{}").build();
                case ACCESS_DENIED, SNS_OUTAGE -> AwsFault.ACCESS_DENIED.response(action).build();
            };
        }

        private ResponseDefinitionBuilder answer(String action, LoggedRequest request) {
            switch (action) {
                case "cloudtrail:DescribeTrails":
                    return json("{\"trailList\":[{\"Name\":\"management-events\",\"HomeRegion\":\"us-east-1\","
                            + "\"TrailARN\":\"" + TRAIL_ARN + "\",\"IsMultiRegionTrail\":true,"
                            + "\"IsOrganizationTrail\":false}]}");
                case "cloudtrail:GetTrailStatus":
                    return json(trailStatus.json());
                case "cloudtrail:StartLogging":
                    // The test's world decides whether the trail logs; the call is only counted.
                    directStarts.add(injectedEventId);
                    return json("{}");
                case "ssm:StartAutomationExecution":
                    return start(AwsStub.json(request));
                case "ssm:GetAutomationExecution":
                    String id = AwsStub.json(request).path("AutomationExecutionId").asText();
                    // An execution started here runs its own document; the sample events' ids run the logging one.
                    return json("{\"AutomationExecution\":{\"AutomationExecutionId\":\"" + id + "\","
                            + "\"ExecutedBy\":\"arn:aws:sts::111122223333:assumed-role/TrailGuard-TamperResponderRole/"
                            + "TamperResponder\",\"DocumentName\":\""
                            + documentByExecution.getOrDefault(id, "AWS-ConfigureCloudTrailLogging") + "\","
                            + "\"AutomationExecutionStatus\":"
                            + "\"Success\",\"Parameters\":{\"CloudTrailArn\":[\"" + TRAIL_ARN + "\"],"
                            + "\"TrailName\":[\"" + TRAIL_ARN + "\"],\"RuleName\":[\"TrailGuard-TamperRule\"],"
                            + "\"StartLogging\":[\"True\"],\"AutomationAssumeRole\":[\"" + automationRoleArn
                            + "\"]}}}");
                case "ssm:DescribeAutomationExecutions":
                    String key = "";
                    for (JsonNode f : AwsStub.json(request).path("Filters")) {
                        if ("TagKey".equals(f.path("Key").asText())) {
                            key = f.path("Values").path(0).asText();
                        }
                    }
                    int count = executionsByTagKey.getOrDefault(key, 0);
                    StringBuilder list = new StringBuilder();
                    for (int i = 0; i < count; i++) {
                        list.append(i == 0 ? "" : ",").append("{\"AutomationExecutionId\":\"").append(UUID.randomUUID())
                                .append("\"}");
                    }
                    return json("{\"AutomationExecutionMetadataList\":[" + list + "]}");
                case "ssm:GetParameter":
                    String parameter = AwsStub.json(request).path("Name").asText();
                    return parameter.startsWith("/trailguard/rules/") ? ruleDefinition(parameter)
                            : declaredBaseline(parameter);
                // The topic key's repairs (#14 item 9), hand-signed KMS calls: accepted.
                case "kms:EnableKey", "kms:CancelKeyDeletion":
                    return json("{}");
                // TrailGuard's own rule as an attacker left it: disabled, its target's input replaced (#14 item 8)
                case "events:DescribeRule":
                    return json(JSON.createObjectNode().put("Name", AwsStub.json(request).path("Name").asText())
                            .put("State", "DISABLED").put("EventPattern", "{\"source\":[\"aws.nothing\"]}")
                            .toString());
                case "events:ListTargetsByRule":
                    return json("{\"Targets\":[{\"Id\":\"Target0\",\"Arn\":\"" + RULE_TARGET
                            + "\",\"Input\":\"{}\"}]}");
                case "events:PutRule":
                    return json("{\"RuleArn\":\"arn:aws:events:us-east-1:111122223333:rule/TrailGuard-TamperEvents\"}");
                case "events:PutTargets", "events:RemoveTargets":
                    return json("{\"FailedEntryCount\":0,\"FailedEntries\":[]}");
                // The topic's configured e-mail subscriber, filtered to INFO (#14 item 10)
                case "sns:ListSubscriptionsByTopic":
                    return snsXml(action, "<Subscriptions><member><TopicArn>" + TOPIC + "</TopicArn><Protocol>email"
                            + "</Protocol><SubscriptionArn>" + TOPIC + ":mail-1</SubscriptionArn><Owner>111122223333"
                            + "</Owner><Endpoint>" + SUBSCRIBER + "</Endpoint></member></Subscriptions>");
                case "sns:GetSubscriptionAttributes":
                    return snsXml(action, "<Attributes><entry><key>FilterPolicy</key><value>"
                            + "{\"severity\":[\"INFO\"]}</value></entry></Attributes>");
                case "sns:SetSubscriptionAttributes":
                    return snsXml(action, "");
                case "sns:Subscribe":
                    return snsXml(action, "<SubscriptionArn>pending confirmation</SubscriptionArn>");
                case "config:GetResourceConfigHistory":
                    return json("{\"configurationItems\":[]}");
                // The restored trail as the reporter reads it back: the declared baseline, so a restore verifies.
                case "cloudtrail:GetTrail":
                    return json(JSON.createObjectNode().set("Trail", baseline().path("Trail")).toString());
                case "cloudtrail:GetEventSelectors":
                    return json(JSON.createObjectNode().put("TrailARN", TRAIL_ARN)
                            .set("EventSelectors", baseline().path("EventSelectors")).toString());
                case "cloudtrail:GetInsightSelectors":
                    return json(JSON.createObjectNode().put("TrailARN", TRAIL_ARN)
                            .set("InsightSelectors", baseline().path("InsightSelectors")).toString());
                case "securityhub:BatchImportFindings":
                    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("{\"FailedCount\":0,\"SuccessCount\":1,\"FailedFindings\":[]}");
                case "events:PutEvents":
                    return json("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"" + UUID.randomUUID()
                            + "\"}]}");
                case "sns:Publish", CHAT_PUBLISH:
                    return aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                            .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                                    + "<PublishResult><MessageId>" + UUID.randomUUID() + "</MessageId>"
                                    + "</PublishResult></PublishResponse>");
                default:
                    return aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody("{\"__type\":\"UnknownOperationException\",\"message\":\"" + action + "\"}");
            }
        }

        private JsonNode baseline() {
            try {
                return JSON.readTree(String.format(DECLARED_BASELINE, TRAIL_ARN));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private ResponseDefinitionBuilder ruleDefinition(String name) {
            String definition = JSON.createObjectNode().put("state", "ENABLED")
                    .set("eventPattern", JSON.createObjectNode().set("source", JSON.createArrayNode().add("aws.events")))
                    .toString();
            ObjectNode value = (ObjectNode) readTree(definition);
            value.putArray("targets").addObject().put("id", "Target0").put("arn", RULE_TARGET);
            return json(JSON.createObjectNode().set("Parameter", JSON.createObjectNode().put("Name", name)
                    .put("Type", "String").put("Value", value.toString()).put("Version", 1)).toString());
        }

        private static JsonNode readTree(String text) {
            try {
                return JSON.readTree(text);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static ResponseDefinitionBuilder snsXml(String action, String result) {
            String name = action.substring("sns:".length());
            return aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                    .withBody("<" + name + "Response xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><" + name
                            + "Result>" + result + "</" + name + "Result></" + name + "Response>");
        }

        private ResponseDefinitionBuilder declaredBaseline(String name) {
            String value = String.format(DECLARED_BASELINE, TRAIL_ARN);
            return json(JSON.createObjectNode().set("Parameter", JSON.createObjectNode().put("Name", name)
                    .put("Type", "String").put("Value", value).put("Version", 1)).toString());
        }

        private ResponseDefinitionBuilder start(JsonNode body) {
            // SSM: without a token every request is a new execution; a token can be used once.
            String token = body.hasNonNull("ClientToken") && !body.path("ClientToken").asText().isEmpty()
                    ? body.path("ClientToken").asText() : null;
            String incident = "";
            for (JsonNode tag : body.path("Tags")) {
                if ("TrailGuard:Incident".equals(tag.path("Key").asText())) {
                    incident = tag.path("Value").asText();
                }
            }
            tokensByIncident.computeIfAbsent(incident, k -> new HashSet<>()).add(token == null ? "" : token);
            List<String> tagKeys = new ArrayList<>();
            body.path("Tags").forEach(tag -> tagKeys.add(tag.path("Key").asText()));
            if (token == null) {
                withoutToken++;
            } else if (executionByToken.containsKey(token)) {
                return aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"IdempotentParameterMismatch\",\"message\":\"token reused\"}");
            }
            String execution = UUID.randomUUID().toString();
            if (token != null) {
                executionByToken.put(token, execution);
            }
            documentByExecution.put(execution, body.path("DocumentName").asText());
            starts.add(new Start(injectedEventId, body.path("DocumentName").asText(), token,
                    incident.isEmpty() ? null : incident, execution));
            tagKeys.forEach(k -> executionsByTagKey.merge(k, 1, Integer::sum));
            return json("{\"AutomationExecutionId\":\"" + execution + "\"}");
        }

        private static ResponseDefinitionBuilder json(String body) {
            return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(body);
        }
    }

    static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
