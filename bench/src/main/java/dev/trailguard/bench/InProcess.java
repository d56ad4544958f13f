package dev.trailguard.bench;

import dev.trailguard.handler.EventFunction;
import dev.trailguard.handler.Functions;
import dev.trailguard.handler.TamperResponder;
import dev.trailguard.priming.Priming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs inside one child JVM on the deployed jar, with the deployed JVM flags, against the stub named by
 * {@code AWS_ENDPOINT_URL}. Prints one {@code RESULT key=value ...} line.
 *
 * <ul>
 *   <li>{@code primed <event> <warm>}: build the handler as Lambda does, run SnapStart's priming, time the first real
 *       event (the closest local stand-in for the first event after a restore), then {@code warm} more events
 *       against the stub, then {@code warm} events over the in-memory client (the handler's own work).</li>
 *   <li>{@code primed-once <event>}: priming runs each sample event once (no repeated rounds for the JIT).</li>
 *   <li>{@code primed-memory <event>}: priming over the in-memory client only (no loopback socket).</li>
 *   <li>{@code unprimed <event>}: the same without priming (SnapStart without a priming hook).</li>
 *   <li>{@code burst <event> <events> <threads> <duplicates>}: prime, then hand {@code events} events (a share of them
 *       redeliveries of earlier ones, as EventBridge may deliver twice) to a pool of {@code threads}.</li>
 * </ul>
 */
public final class InProcess {

    private InProcess() {
    }

    public static void main(String[] args) throws Exception {
        byte[] template = Files.readAllBytes(Path.of(args[1]));
        String mode = args[0];
        long t0 = System.nanoTime();
        EventFunction function = new TamperResponder();
        long initNanos = System.nanoTime() - t0;
        long primeNanos = 0;
        if ("primed-once".equals(mode)) {
            System.setProperty(Priming.WARM_EVENTS_PROPERTY, "0");
        }
        if (!"unprimed".equals(mode)) {
            long p0 = System.nanoTime();
            List<String> outcomes = "primed-memory".equals(mode) ? Priming.primeInMemory(function)
                    : Priming.prime(function);
            primeNanos = System.nanoTime() - p0;
            if (outcomes.isEmpty()) {
                throw new IllegalStateException("priming failed");
            }
        }
        switch (mode) {
            case "primed", "primed-once", "primed-memory", "unprimed" -> {
                // Ids unique to this JVM: the stub remembers every ClientToken of the run, and a reused one would take
                // the "already started" error path instead of a fresh incident's.
                long base = Long.getLong("bench.idBase", 0L);
                long first = timeOne(function, event(template, base));
                StringBuilder line = new StringBuilder("RESULT init_ms=" + ms(initNanos) + " prime_ms="
                        + ms(primeNanos) + " first_ms=" + ms(first));
                int warm = args.length > 2 ? Integer.parseInt(args[2]) : 0;
                if (warm > 0) {
                    long[] times = new long[warm];
                    for (int i = 0; i < warm; i++) {
                        times[i] = timeOne(function, event(template, base + i + 1));
                    }
                    long[] steady = steady(times);
                    line.append(" warm_n=").append(steady.length)
                            .append(" warm_p50_ms=").append(ms(pct(steady, 50)))
                            .append(" warm_p99_ms=").append(ms(pct(steady, 99)))
                            .append(" warm_max_ms=").append(ms(steady[steady.length - 1]));
                    long[] own = handlerOverhead(warm);
                    line.append(" mem_p50_ms=").append(ms(pct(own, 50)))
                            .append(" mem_p99_ms=").append(ms(pct(own, 99)))
                            .append(" mem_max_ms=").append(ms(own[own.length - 1]));
                }
                System.out.println(line);
            }
            case "burst" -> burst(function, template, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException(mode);
        }
        System.exit(0);
    }

    private static void burst(EventFunction function, byte[] template, int events, int threads, int duplicates)
            throws Exception {
        List<byte[]> batch = new ArrayList<>();
        int distinct = events - duplicates;
        for (int i = 0; i < distinct; i++) {
            batch.add(event(template, 100_000 + i));
        }
        Random random = new Random(42);
        for (int i = 0; i < duplicates; i++) {
            batch.add(random.nextInt(batch.size()), event(template, 100_000 + random.nextInt(distinct)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<String>> results = new ArrayList<>();
        for (byte[] event : batch) {
            results.add(pool.submit(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                function.handleRequest(new ByteArrayInputStream(event), out, null);
                return out.toString(StandardCharsets.UTF_8);
            }));
        }
        int started = 0;
        int already = 0;
        int failed = 0;
        int other = 0;
        for (Future<String> f : results) {
            try {
                String out = f.get();
                if (out.contains("\"REMEDIATION_STARTED\"")) {
                    started++;
                } else if (out.contains("\"REMEDIATION_ALREADY_STARTED\"")) {
                    already++;
                } else {
                    other++;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
            }
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        System.out.println("RESULT events=" + events + " threads=" + threads + " elapsed_ms=" + ms(elapsed)
                + " events_per_s=" + String.format("%.0f", events / (elapsed / 1e9)) + " started=" + started
                + " already_started=" + already + " other=" + other + " failed=" + failed);
    }

    /**
     * The handler's own per-event work: the same function over the in-memory HTTP client that priming uses (canned
     * answers, no socket, no stub), on the StopLogging priming sample with a fresh event id each time, so every event
     * takes the full path (locate, status, repeated-tampering count, start, publish). Returns the steady state of
     * {@code events} events.
     */
    private static long[] handlerOverhead(int events) throws IOException {
        EventFunction twin = (EventFunction) Priming.inMemoryTwin(
                (config, clients) -> Functions.twin(TamperResponder.NAME, config, clients));
        byte[] template = null;
        for (byte[] sample : Priming.sampleEvents(TamperResponder.NAME)) {
            if (new String(sample, StandardCharsets.UTF_8).contains("\"StopLogging\"")) {
                template = sample;
            }
        }
        if (template == null) {
            throw new IllegalStateException("no StopLogging priming sample");
        }
        String text = new String(template, StandardCharsets.UTF_8);
        long[] times = new long[events];
        for (int i = 0; i < events; i++) {
            byte[] event = text.replace("00000000-0000-4000-8000-00000000e001",
                    String.format("00000000-0000-4000-8000-%012d", 2_000_000 + i)).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            twin.handleRequest(new ByteArrayInputStream(event), out, null);
            times[i] = System.nanoTime() - t0;
            if (!out.toString(StandardCharsets.UTF_8).contains("\"REMEDIATION_STARTED\"")) {
                throw new IllegalStateException("in-memory event did not take the full path: " + out);
            }
        }
        return steady(times);
    }

    /** The steady state: the second half of the times (after the JIT has settled), sorted. */
    private static long[] steady(long[] times) {
        long[] steady = Arrays.copyOfRange(times, times.length / 2, times.length);
        Arrays.sort(steady);
        return steady;
    }

    private static long timeOne(EventFunction function, byte[] event) throws IOException {
        long t0 = System.nanoTime();
        function.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
        return System.nanoTime() - t0;
    }

    /** The template event with a distinct event id (so a distinct incident and ClientToken). */
    static byte[] event(byte[] template, long n) {
        String id = String.format("7f9e2b1a-3c4d-4e5f-8a9b-%012d", n);
        return new String(template, StandardCharsets.UTF_8)
                .replace("7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b", id).getBytes(StandardCharsets.UTF_8);
    }

    static long pct(long[] sorted, int p) {
        return sorted[(int) Math.ceil(p / 100.0 * sorted.length) - 1];
    }

    static String ms(long nanos) {
        return String.format("%.3f", nanos / 1e6);
    }
}
