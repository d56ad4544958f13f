package dev.trailguard.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local AWS stand-in with no injected latency, on the JDK's HTTP server: CloudTrail and SSM speak JSON 1.1 (by
 * {@code X-Amz-Target}), SNS speaks Query with XML answers. It answers the StopLogging path (DescribeTrails,
 * GetTrailStatus with IsLogging false, StartAutomationExecution, Publish), counts successful starts per ClientToken,
 * answers a reused token as SSM does (IdempotentParameterMismatchException), and can throttle a share of all calls.
 */
final class StubServer implements AutoCloseable {

    static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    private static final Pattern CLIENT_TOKEN = Pattern.compile("\"ClientToken\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, AtomicInteger> startsByToken = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong reusedTokens = new AtomicLong();
    private volatile double throttleShare;

    StubServer() throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK: +40 ms a call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "stub");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void throttle(double share) {
        this.throttleShare = share;
    }

    void reset() {
        startsByToken.clear();
        requests.set(0);
        throttled.set(0);
        reusedTokens.set(0);
    }

    /** Distinct tokens with a started execution. */
    int executionsStarted() {
        return startsByToken.size();
    }

    /** Tokens whose execution was started more than once: must be zero. */
    long doubleStarts() {
        return startsByToken.values().stream().filter(c -> c.get() > 1).count();
    }

    long requests() {
        return requests.get();
    }

    long throttled() {
        return throttled.get();
    }

    long reusedTokens() {
        return reusedTokens.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        boolean json = target != null;
        if (throttleShare > 0 && ThreadLocalRandom.current().nextDouble() < throttleShare) {
            throttled.incrementAndGet();
            if (json) {
                send(exchange, 400, "application/x-amz-json-1.1",
                        "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
            } else {
                send(exchange, 400, "text/xml", "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                        + "<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                        + "<RequestId>00000000-0000-4000-8000-000000000001</RequestId></ErrorResponse>");
            }
            return;
        }
        if (!json) {
            if (body.contains("Action=Publish")) {
                send(exchange, 200, "text/xml", "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                        + "<PublishResult><MessageId>" + java.util.UUID.randomUUID() + "</MessageId></PublishResult>"
                        + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId>"
                        + "</ResponseMetadata></PublishResponse>");
            } else {
                send(exchange, 400, "text/xml", "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>");
            }
            return;
        }
        String op = target.substring(target.lastIndexOf('.') + 1);
        switch (op) {
            case "DescribeTrails" -> sendJson(exchange, 200, "{\"trailList\":[{\"Name\":\"management-events\","
                    + "\"S3BucketName\":\"org-trail-logs-111122223333\",\"IncludeGlobalServiceEvents\":true,"
                    + "\"IsMultiRegionTrail\":true,\"HomeRegion\":\"us-east-1\",\"TrailARN\":\"" + TRAIL_ARN + "\","
                    + "\"LogFileValidationEnabled\":true,\"HasCustomEventSelectors\":false,"
                    + "\"HasInsightSelectors\":false,\"IsOrganizationTrail\":false}]}");
            case "GetTrailStatus" -> sendJson(exchange, 200, "{\"IsLogging\":false,"
                    + "\"StopLoggingTime\":1.763647391E9,\"LatestDeliveryTime\":1.763647300E9}");
            case "StartAutomationExecution" -> {
                Matcher m = CLIENT_TOKEN.matcher(body);
                String token = m.find() ? m.group(1) : java.util.UUID.randomUUID().toString();
                AtomicInteger starts = startsByToken.computeIfAbsent(token, t -> new AtomicInteger());
                if (starts.get() > 0) {
                    reusedTokens.incrementAndGet();
                    sendJson(exchange, 400, "{\"__type\":\"IdempotentParameterMismatch\","
                            + "\"Message\":\"Client token already used\"}");
                } else {
                    starts.incrementAndGet();
                    sendJson(exchange, 200, "{\"AutomationExecutionId\":\"" + java.util.UUID.randomUUID() + "\"}");
                }
            }
            // The repeat count behind REPEATED_TAMPERING: no earlier stops by this actor.
            case "DescribeAutomationExecutions" -> sendJson(exchange, 200, "{\"AutomationExecutionMetadataList\":[]}");
            default -> sendJson(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
        }
    }

    private static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/x-amz-json-1.1", body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amzn-RequestId", "00000000-0000-4000-8000-000000000002");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
