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
 * For the organization hub's storm it also answers STS AssumeRole with credentials whose access key id names the
 * member account ({@code ASIA<account>}), and answers each account's calls (by the signing key) with that account's
 * trail in the signing region; it counts AssumeRole calls and starts that were not signed and passed as the account
 * whose trail they start.
 */
final class StubServer implements AutoCloseable {

    static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
    private static final Pattern CLIENT_TOKEN = Pattern.compile("\"ClientToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/");
    private static final Pattern ROLE_ARN = Pattern.compile("RoleArn=arn%3Aaws%3Aiam%3A%3A(\\d{12})%3Arole%2F");
    private static final Pattern ASSUME_ROLE_PARAM = Pattern.compile(
            "\"AutomationAssumeRole\"\\s*:\\s*\\[\\s*\"arn:aws:iam::(\\d{12}):role/");
    private static final Pattern CLOUDTRAIL_ARN = Pattern.compile("arn:aws:cloudtrail:[a-z0-9-]+:(\\d{12}):trail/");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, AtomicInteger> startsByToken = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong reusedTokens = new AtomicLong();
    private final AtomicLong assumeRoles = new AtomicLong();
    private final AtomicLong crossedStarts = new AtomicLong();
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
        assumeRoles.set(0);
        crossedStarts.set(0);
    }

    /** STS AssumeRole calls answered. */
    long assumeRoles() {
        return assumeRoles.get();
    }

    /**
     * Starts whose signing account, AutomationAssumeRole account and trail account were not all the same: must be
     * zero (a member's runbook started with another account's credentials or role).
     */
    long crossedStarts() {
        return crossedStarts.get();
    }

    /** The account a request was signed as: ASIA<account> for member credentials, else the hub's. */
    private static String account(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher m = CREDENTIAL.matcher(auth == null ? "" : auth);
        if (m.find() && m.group(1).matches("ASIA\\d{12}")) {
            return m.group(1).substring(4);
        }
        return "111122223333";
    }

    private static String region(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher m = CREDENTIAL.matcher(auth == null ? "" : auth);
        return m.find() ? m.group(2) : "us-east-1";
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
            if (body.contains("Action=AssumeRole")) {
                Matcher m = ROLE_ARN.matcher(body);
                if (!m.find()) {
                    send(exchange, 400, "text/xml", "<ErrorResponse><Error><Code>ValidationError</Code></Error>"
                            + "</ErrorResponse>");
                    return;
                }
                assumeRoles.incrementAndGet();
                send(exchange, 200, "text/xml", "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::" + m.group(1)
                        + ":assumed-role/TrailGuard-Member/TrailGuard-hub</Arn><AssumedRoleId>AROAEXAMPLE:TrailGuard-hub"
                        + "</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIA" + m.group(1)
                        + "</AccessKeyId><SecretAccessKey>storm</SecretAccessKey><SessionToken>storm</SessionToken>"
                        + "<Expiration>" + java.time.Instant.now().plusSeconds(3600).truncatedTo(
                                java.time.temporal.ChronoUnit.SECONDS) + "</Expiration></Credentials>"
                        + "</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7"
                        + "</RequestId></ResponseMetadata></AssumeRoleResponse>");
                return;
            }
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
            case "DescribeTrails" -> {
                String account = account(exchange);
                String region = "111122223333".equals(account) ? "us-east-1" : region(exchange);
                String arn = "111122223333".equals(account) ? TRAIL_ARN
                        : "arn:aws:cloudtrail:" + region + ":" + account + ":trail/management-events";
                sendJson(exchange, 200, "{\"trailList\":[{\"Name\":\"management-events\","
                        + "\"S3BucketName\":\"org-trail-logs-" + account + "\",\"IncludeGlobalServiceEvents\":true,"
                        + "\"IsMultiRegionTrail\":true,\"HomeRegion\":\"" + region + "\",\"TrailARN\":\"" + arn + "\","
                        + "\"LogFileValidationEnabled\":true,\"HasCustomEventSelectors\":false,"
                        + "\"HasInsightSelectors\":false,\"IsOrganizationTrail\":false}]}");
            }
            case "GetTrailStatus" -> sendJson(exchange, 200, "{\"IsLogging\":false,"
                    + "\"StopLoggingTime\":1.763647391E9,\"LatestDeliveryTime\":1.763647300E9}");
            case "StartAutomationExecution" -> {
                String signer = account(exchange);
                Matcher role = ASSUME_ROLE_PARAM.matcher(body);
                Matcher trail = CLOUDTRAIL_ARN.matcher(body);
                if (!role.find() || !trail.find() || !signer.equals(role.group(1)) || !signer.equals(trail.group(1))) {
                    crossedStarts.incrementAndGet();
                }
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
