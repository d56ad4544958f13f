package dev.trailguard.priming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.PrimingClients;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.logging.JsonLoggerProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * SnapStart priming, shared by every TrailGuard function: before Lambda takes the snapshot, run the function's real
 * code path (event parsing, the service, notification rendering, SDK endpoint resolution, signing, marshalling and
 * unmarshalling of each call, JSON logging) on the sample events in {@code priming/<FunctionName>.json}. The twin
 * that handles them is built by the {@link Primable.Twins} the function registered with, over SDK clients whose
 * answers are canned and whose credentials are fixed dummies ({@link PrimingClients}), so priming never reaches AWS
 * or the credentials endpoint. The classes loaded and the code interpreted here are then in the snapshot, not on the
 * first real event's path.
 *
 * <p>The answers travel over the production HTTP client to a server on the loopback interface inside this JVM, so the
 * JDK's HTTP and socket code is primed too; where no loopback socket can be opened, the in-memory client answers
 * directly. Either way no request leaves the machine.
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
    /** The most time priming may take: a slower (smaller) Lambda instance stops early, still primed. */
    static final long WARM_BUDGET_NANOS = 20_000_000_000L;
    private static final Set<Class<?>> REGISTERED = ConcurrentHashMap.newKeySet();
    /** How each registered function builds its twin, by function name. */
    private static final Map<String, Primable.Twins> TWINS = new ConcurrentHashMap<>();
    /** Strong references: a CRaC context may hold its resources weakly. */
    private static final List<Priming> RESOURCES = new ArrayList<>();

    private final Primable function;

    private Priming(Primable function) {
        this.function = function;
    }

    /**
     * Registers the function for priming, once per handler class, with the factory of its twin. Outside a
     * CRaC-enabled runtime (tests, the local invoke, Lambda without SnapStart) the registration is a no-op.
     */
    public static void register(Primable function, Primable.Twins twins) {
        TWINS.putIfAbsent(function.name(), twins);
        if (REGISTERED.add(function.getClass())) {
            Priming resource = new Priming(function);
            synchronized (RESOURCES) {
                RESOURCES.add(resource);
            }
            Core.getGlobalContext().register(resource);
        }
    }

    /** The resources registered for the checkpoint, for the test of the checkpoint path. */
    static List<Priming> registered() {
        synchronized (RESOURCES) {
            return List.copyOf(RESOURCES);
        }
    }

    Primable function() {
        return function;
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
     * Runs the function's priming events; returns the outcome of each (the JSON the handler wrote). Exceptions do not
     * escape: a failed priming only costs the first event some latency, while a failed checkpoint would fail the
     * deployment. Errors do, deliberately: a class missing from the jar ({@code NoClassDefFoundError}) should fail
     * the version's publication rather than ship a function that cannot run.
     */
    public static List<String> prime(Primable function) {
        return prime(function, true);
    }

    /**
     * Priming with the in-memory client only, as where no loopback socket can be opened: the benchmark compares it
     * with {@link #prime(Primable)} to show what priming the HTTP stack buys.
     */
    public static List<String> primeInMemory(Primable function) {
        return prime(function, false);
    }

    private static List<String> prime(Primable function, boolean overLoopback) {
        String name = function.name();
        Primable.Twins twins = TWINS.get(name);
        MDC.put("priming", "true");
        long deadline = System.nanoTime() + WARM_BUDGET_NANOS;
        String region = PrimingClients.region();
        try (PrimingClients clients = PrimingClients.open(region, overLoopback)) {
            Primable twin = twins == null ? null : twins.twin(config(region), clients.clients());
            if (twin == null) {
                // Without a twin the only instance is the real one, wired to the real clients: never run it here.
                LOG.warn("Priming {} skipped: no factory to build a twin that cannot reach AWS", name);
                return List.of();
            }
            List<byte[]> events = events(name);
            List<String> outcomes = new ArrayList<>();
            for (byte[] event : events) {
                outcomes.add(handle(twin, event));
            }
            // Again and again, without log output, until the event path's methods are called often enough for the
            // JIT to compile them: compiled code is in the snapshot too, so the first real event does not run
            // interpreted. Bounded by a count and a time budget, checked before every event; one failing run does
            // not undo the others.
            int target = Integer.getInteger(WARM_EVENTS_PROPERTY, WARM_EVENTS);
            int[] runs = {outcomes.size(), 0};
            JsonLoggerProvider.quietly(() -> {
                while (runs[0] < target && System.nanoTime() < deadline) {
                    for (byte[] event : events) {
                        if (System.nanoTime() >= deadline) {
                            break;
                        }
                        try {
                            handle(twin, event);
                        } catch (RuntimeException e) {
                            runs[1]++;
                        }
                        runs[0]++;
                    }
                }
            });
            primeCredentialsChain();
            LOG.info("Primed {} with {} events, {} runs ({} failed){}", name, outcomes.size(), runs[0], runs[1],
                    clients.overLoopback() ? " (over loopback)" : " (in memory)");
            return outcomes;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Priming {} failed; the first event will be slower", name, e);
            return List.of();
        } finally {
            MDC.clear();
        }
    }

    /**
     * A function's priming twin over the in-memory client alone: no socket, canned answers, dummy credentials. The
     * benchmark measures the handler's own per-event work (parsing, the service, SDK marshalling and signing,
     * rendering, logging) on it, without the network or the stub on the other end. Its clients stay open.
     */
    public static Primable inMemoryTwin(Primable.Twins twins) {
        String region = PrimingClients.region();
        return twins.twin(config(region), PrimingClients.open(region, false).clients());
    }

    /** The function's priming events: the keepalive ping, then its sample events. */
    public static List<byte[]> sampleEvents(String functionName) throws IOException {
        return events(functionName);
    }

    /** See {@link PrimingClients#primeCredentialsChain()}. */
    static void primeCredentialsChain() {
        PrimingClients.primeCredentialsChain();
    }

    private static String handle(Primable twin, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            twin.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MDC.put("priming", "true");
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The priming configuration: a topic, role and trail in the priming account, nothing real. */
    private static TrailGuardConfig config(String region) {
        String arn = "arn:aws:%s:" + region + ":" + PrimingClients.ACCOUNT + ":%s";
        return new TrailGuardConfig(String.format(arn, "sns", "trailguard-priming"),
                "arn:aws:iam::" + PrimingClients.ACCOUNT + ":role/trailguard-priming", Set.of(), List.of(),
                // the rule of the ComplianceResponder's priming event, so that it runs its remediation path
                Set.of("trailguard-cloudtrail-enabled"),
                // the starter of the canned execution, so that the reporter runs its diagnosis, not the tamper path
                Set.of(PrimingClients.FUNCTION_ROLE));
    }

    /** The keepalive ping, then the function's own sample events if it has any. */
    static List<byte[]> events(String functionName) throws IOException {
        List<byte[]> events = new ArrayList<>();
        events.add(("{\"source\":\"" + EventTypes.KEEPALIVE_SOURCE + "\"}").getBytes(StandardCharsets.UTF_8));
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
