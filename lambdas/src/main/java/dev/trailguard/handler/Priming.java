package dev.trailguard.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Dependencies;
import dev.trailguard.logging.JsonLoggerProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * SnapStart priming, shared by every {@link EventFunction}: before Lambda takes the snapshot, run the function's real
 * code path (event parsing, the service, notification rendering, SDK endpoint resolution, signing, marshalling and
 * unmarshalling of each call, JSON logging) on the sample events in {@code priming/<FunctionName>.json}. The twin
 * that handles them is built by the function's {@link Functions} factory over SDK clients whose answers are canned
 * ({@link PrimingHttpClient}) and whose credentials are fixed dummies, so priming never reaches AWS or the
 * credentials endpoint.
 * The classes loaded and the code interpreted here are then in the snapshot, not on the first real event's path.
 *
 * <p>The answers travel over the production HTTP client to a server on the loopback interface inside this JVM
 * ({@link PrimingLoopback}), so the JDK's HTTP and socket code is primed too; where no loopback socket can be opened,
 * the in-memory client answers directly. Either way no request leaves the machine.
 */
public final class Priming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    /**
     * How many priming events to run in all: enough calls of the event path's methods for C1 (the deployed
     * {@code -XX:TieredStopAtLevel=1}) to compile them. 1,000 took about 8 s here and brought the first event after
     * priming from about 60 ms to about 30 ms against a 10 ms warm event (docs/performance.md). It runs once per
     * published version; Lambda allows a SnapStart init at least 130 s.
     */
    static final int WARM_EVENTS = 1000;
    /** A system property that overrides {@link #WARM_EVENTS} (0: one round only; the benchmark compares both). */
    public static final String WARM_EVENTS_PROPERTY = "trailguard.priming.events";
    /** The most time the repeated rounds may take: a slower (smaller) Lambda instance stops early, still primed. */
    static final long WARM_BUDGET_NANOS = 20_000_000_000L;
    private static final Set<Class<?>> REGISTERED = ConcurrentHashMap.newKeySet();
    /** Strong references: a CRaC context may hold its resources weakly. */
    private static final List<Priming> RESOURCES = new ArrayList<>();

    private final EventFunction function;

    private Priming(EventFunction function) {
        this.function = function;
    }

    /**
     * Registers the function for priming, once per handler class. Outside a CRaC-enabled runtime (tests, the local
     * invoke, Lambda without SnapStart) the registration is a no-op.
     */
    static void register(EventFunction function) {
        if (REGISTERED.add(function.getClass())) {
            Priming resource = new Priming(function);
            synchronized (RESOURCES) {
                RESOURCES.add(resource);
            }
            Core.getGlobalContext().register(resource);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime(function);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: the real clients resolve credentials and connections on first use after restore.
    }

    /**
     * Runs the function's priming events; returns the outcome of each (the JSON the handler wrote). Never throws: a failed priming only costs
     * the first event some latency, while a failed checkpoint would fail the deployment.
     */
    public static List<String> prime(EventFunction function) {
        return prime(function, true);
    }

    /**
     * Priming with the in-memory client only, as where no loopback socket can be opened: the benchmark compares it
     * with {@link #prime(EventFunction)} to show what priming the HTTP stack buys.
     */
    public static List<String> primeInMemory(EventFunction function) {
        return prime(function, false);
    }

    private static List<String> prime(EventFunction function, boolean overLoopback) {
        String name = function.name();
        MDC.put("priming", "true");
        Region region = region();
        PrimingHttpClient answers = new PrimingHttpClient(region.id());
        PrimingLoopback loopback = null;
        try {
            List<byte[]> events = events(name);
            Function<Dependencies, EventFunction> factory = Functions.factory(name);
            SdkHttpClient http = answers;
            if (overLoopback) {
                try {
                    loopback = PrimingLoopback.start(answers);
                    http = loopback.redirecting(AwsClients.httpClient(AwsClients.ATTEMPT_TIMEOUT));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Priming {} without the HTTP stack: no loopback socket ({})", name, e.toString());
                }
            }
            EventFunction twin = factory == null ? function : factory.apply(dependencies(region, http));
            List<String> outcomes = new ArrayList<>();
            for (byte[] event : events) {
                outcomes.add(handle(twin, event));
            }
            // Again and again, without log output, until the event path's methods are called often enough for the
            // JIT to compile them: compiled code is in the snapshot too, so the first real event does not run
            // interpreted. Bounded by a count and a time budget.
            long deadline = System.nanoTime() + WARM_BUDGET_NANOS;
            int target = Integer.getInteger(WARM_EVENTS_PROPERTY, WARM_EVENTS);
            int[] handled = {outcomes.size()};
            JsonLoggerProvider.quietly(() -> {
                while (handled[0] < target && System.nanoTime() < deadline) {
                    for (byte[] event : events) {
                        handle(twin, event);
                        handled[0]++;
                    }
                }
            });
            LOG.info("Primed {} with {} events, {} runs{}", name, outcomes.size(), handled[0],
                    loopback == null ? " (in memory)" : " (over loopback)");
            return outcomes;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Priming {} failed; the first event will be slower", name, e);
            return List.of();
        } finally {
            if (loopback != null) {
                loopback.close();
            }
            MDC.clear();
        }
    }

    /**
     * The function's priming twin over the in-memory client alone: no socket, canned answers, dummy credentials. The
     * benchmark measures the handler's own per-event work (parsing, the service, SDK marshalling and signing,
     * rendering, logging) on it, without the network or the stub on the other end.
     */
    public static EventFunction inMemoryTwin(String functionName) {
        Region region = region();
        return Functions.factory(functionName).apply(dependencies(region, new PrimingHttpClient(region.id())));
    }

    /** The function's priming events: the keepalive ping, then its sample events. */
    public static List<byte[]> sampleEvents(String functionName) throws IOException {
        return events(functionName);
    }

    private static String handle(EventFunction twin, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            twin.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MDC.put("priming", "true");
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Region region() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            return Region.US_EAST_1;
        }
    }

    /**
     * The function's dependencies over SDK clients with dummy credentials and the given HTTP client. A fixed endpoint
     * override, so that whatever {@code AWS_ENDPOINT_URL} says in this environment (even an empty value) cannot break
     * priming; the SDK's endpoint rules still run, and the HTTP client decides where requests actually go.
     */
    private static Dependencies dependencies(Region region, SdkHttpClient http) {
        String arn = "arn:aws:%s:" + region.id() + ":" + PrimingHttpClient.ACCOUNT + ":%s";
        TrailGuardConfig config = new TrailGuardConfig(String.format(arn, "sns", "trailguard-priming"),
                "arn:aws:iam::" + PrimingHttpClient.ACCOUNT + ":role/trailguard-priming", Set.of(), List.of(),
                // the rule of the ComplianceResponder's priming event, so that it runs its remediation path
                Set.of("trailguard-cloudtrail-enabled"));
        AwsClients clients = new AwsClients(region, URI.create("https://trailguard-priming.invalid"), http,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMINGNOTREAL0", "priming")));
        return Dependencies.live(config, clients);
    }

    /** The keepalive ping, then the function's own sample events if it has any. */
    static List<byte[]> events(String functionName) throws IOException {
        List<byte[]> events = new ArrayList<>();
        events.add(("{\"source\":\"" + EventFunction.KEEPALIVE_SOURCE + "\"}").getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Priming.class.getResourceAsStream("/priming/" + functionName + ".json")) {
            if (in != null) {
                ObjectMapper mapper = new ObjectMapper();
                for (JsonNode event : mapper.readTree(in)) {
                    events.add(mapper.writeValueAsBytes(event));
                }
            }
        }
        return events;
    }
}
