package dev.trailguard.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark: starts the stub once, then measures the reference build and the deployed jar side by side,
 * interleaved, in the same run, and prints a Markdown table. See docs/performance.md.
 *
 * <pre>mvn -B -Pbench -DskipTests verify            # builds everything, then runs this
 * java -jar bench/target/trailguard-bench.jar --repo . [--runs 11] [--jvms 5] [--warm 4000] [--burst 1000]
 *      [--threads 32] [--throttle 0.1] [--baseline-jar old.jar]</pre>
 */
public final class Bench {

    /** The JVM options the deployed functions get through JAVA_TOOL_OPTIONS; infra must use exactly these. */
    static final String DEPLOYED_FLAGS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    /** The options deployed before this work, for comparison. */
    static final String PREVIOUS_FLAGS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    /** Alternatives measured against the deployed flags on every run. */
    static final List<String> FLAG_VARIANTS = List.of(
            "",
            "-XX:+TieredCompilation -XX:TieredStopAtLevel=1",
            "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
            "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData");

    /** Replaced by a fresh copy of the sample event with its own event id (so its own ClientToken) on every run. */
    private static final String EVENT_FILE = "{event}";

    private final Map<String, String> opts = new HashMap<>();
    private int eventCounter;
    private long inProcessRuns;
    private final Path repo;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String benchJar;
    private final String candidateJar;
    private final String event;
    private StubServer stub;

    private Bench(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        repo = Path.of(opts.getOrDefault("repo", ".")).toRealPath();
        benchJar = new File(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        candidateJar = repo.resolve("lambdas/target/trailguard-lambdas.jar").toString();
        event = repo.resolve("events/cloudtrail/stop-logging.json").toString();
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "serve".equals(args[0])) {
            // The stub alone, for trying the local invoke by hand: AWS_ENDPOINT_URL=<printed endpoint>.
            StubServer server = new StubServer();
            System.out.println(server.endpoint());
            Thread.currentThread().join();
        }
        new Bench(args).run();
    }

    private int opt(String name, int fallback) {
        return opts.containsKey(name) ? Integer.parseInt(opts.get(name)) : fallback;
    }

    private void run() throws Exception {
        int runs = opt("runs", 11);
        int jvms = opt("jvms", 5);
        int warm = opt("warm", 2000);
        int burst = opt("burst", 1000);
        int threads = opt("threads", 32);
        double throttle = Double.parseDouble(opts.getOrDefault("throttle", "0.1"));
        String baselineJar = opts.get("baseline-jar");

        try (StubServer server = new StubServer()) {
            stub = server;
            List<Cold> cold = new ArrayList<>();
            cold.add(new Cold("JVM printing one line (floor)", DEPLOYED_FLAGS, List.of("-cp", benchJar,
                    Hello.class.getName()), "hello"));
            cold.add(new Cold("reference, no flags", "", List.of("-cp", benchJar, ReferenceMain.class.getName()),
                    "REFERENCE_OK"));
            cold.add(new Cold("reference, deployed flags", DEPLOYED_FLAGS, List.of("-cp", benchJar,
                    ReferenceMain.class.getName()), "REFERENCE_OK"));
            if (baselineJar != null) {
                cold.add(new Cold("baseline jar, previous flags", PREVIOUS_FLAGS, invoke(baselineJar),
                        "REMEDIATION_STARTED"));
            }
            Cold candidate = new Cold("candidate, deployed flags", DEPLOYED_FLAGS, invoke(candidateJar),
                    "REMEDIATION_STARTED");
            cold.add(candidate);
            cold.add(new Cold("SDK floor: the same clients and five calls alone, deployed jar and flags",
                    DEPLOYED_FLAGS, List.of("-cp", repo.resolve("bench/target/classes") + File.pathSeparator
                    + candidateJar, FloorMain.class.getName()), "FLOOR_OK"));
            for (String flags : FLAG_VARIANTS) {
                if (!flags.equals(DEPLOYED_FLAGS)) {
                    cold.add(new Cold("candidate, flags: " + (flags.isEmpty() ? "(none)" : flags), flags,
                            invoke(candidateJar), "REMEDIATION_STARTED"));
                }
            }
            // One untimed round fills the page cache, then rounds in a rotating order.
            for (Cold c : cold) {
                c.once(false);
            }
            for (int i = 0; i < runs; i++) {
                List<Cold> order = new ArrayList<>(cold);
                Collections.rotate(order, i);
                for (Cold c : order) {
                    c.once(true);
                }
                System.err.printf("cold round %d/%d done%n", i + 1, runs);
            }

            // After priming vs no priming, interleaved, one fresh JVM each.
            List<Map<String, Double>> primed = new ArrayList<>();
            List<Map<String, Double>> unprimed = new ArrayList<>();
            List<Map<String, Double>> primedInMemory = new ArrayList<>();
            List<Map<String, Double>> primedOnce = new ArrayList<>();
            for (int i = 0; i < jvms; i++) {
                unprimed.add(inProcess(List.of("unprimed", event)));
                primedOnce.add(inProcess(List.of("primed-once", event)));
                primedInMemory.add(inProcess(List.of("primed-memory", event)));
                primed.add(inProcess(List.of("primed", event, Integer.toString(warm))));
                System.err.printf("in-process round %d/%d done%n", i + 1, jvms);
            }

            stub.reset();
            stub.throttle(throttle);
            int duplicates = burst / 20;
            Map<String, Double> b = inProcess(List.of("burst", event, Integer.toString(burst),
                    Integer.toString(threads), Integer.toString(duplicates)));
            stub.throttle(0);

            printTable(cold, candidate, primed, primedOnce, primedInMemory, unprimed, b, runs, jvms, warm, burst,
                    threads, throttle, duplicates);
        }
    }

    private List<String> invoke(String jar) {
        return List.of("-jar", jar, "TamperResponder", EVENT_FILE);
    }

    private Map<String, String> env(String flags) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("AWS_ENDPOINT_URL", stub.endpoint().toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCHNOTREAL0000");
        env.put("AWS_SECRET_ACCESS_KEY", "bench-secret-not-real");
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("TRAILGUARD_TOPIC_ARN", "arn:aws:sns:us-east-1:111122223333:trailguard-alerts");
        env.put("TRAILGUARD_AUTOMATION_ROLE_ARN", "arn:aws:iam::111122223333:role/trailguard-automation");
        if (!flags.isEmpty()) {
            env.put("JAVA_TOOL_OPTIONS", flags);
        }
        return env;
    }

    private Map<String, Double> inProcess(List<String> args) throws IOException, InterruptedException {
        // Every in-process JVM gets its own range of event ids, so every event is a fresh incident for the stub.
        List<String> cmd = new ArrayList<>(List.of(java, "-Dbench.idBase=" + (10_000_000L * ++inProcessRuns), "-cp",
                repo.resolve("bench/target/classes") + File.pathSeparator + candidateJar, InProcess.class.getName()));
        cmd.addAll(args);
        Result r = exec(cmd, env(DEPLOYED_FLAGS));
        for (String line : r.stdout.split("\n")) {
            if (line.startsWith("RESULT ")) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] p = kv.split("=");
                    values.put(p[0], Double.parseDouble(p[1]));
                }
                return values;
            }
        }
        throw new IllegalStateException("no RESULT from " + args + ": " + r.stdout + "\n" + tail(r.stderr));
    }

    private record Result(int code, String stdout, String stderr, double ms) {
    }

    private static Result exec(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("bench", ".out");
        Path err = Files.createTempFile("bench", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        int code = p.waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        Result r = new Result(code, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), ms);
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** One cold-process variant: JVM start to exit, with its peak RSS from /usr/bin/time. */
    private final class Cold {
        final String name;
        final String flags;
        final List<String> args;
        final String expect;
        final List<Double> ms = new ArrayList<>();
        final List<Double> rssMb = new ArrayList<>();

        Cold(String name, String flags, List<String> args, String expect) {
            this.name = name;
            this.flags = flags;
            this.args = args;
            this.expect = expect;
        }

        void once(boolean record) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "RSSKB=%M", java));
            Path eventFile = Files.createTempFile("stop-logging", ".json");
            Files.write(eventFile, InProcess.event(Files.readAllBytes(Path.of(event)), 1_000_000 + ++eventCounter));
            for (String arg : args) {
                cmd.add(arg.equals(EVENT_FILE) ? eventFile.toString() : arg);
            }
            Result r = exec(cmd, env(flags));
            Files.delete(eventFile);
            if (r.code != 0 || !r.stdout.contains(expect)) {
                throw new IllegalStateException(name + " failed (exit " + r.code + "): " + r.stdout + "\n"
                        + tail(r.stderr));
            }
            if (record) {
                ms.add(r.ms);
                int i = r.stderr.lastIndexOf("RSSKB=");
                rssMb.add(Double.parseDouble(r.stderr.substring(i + 6).trim()) / 1024);
            }
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    static double[] stats(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {quantile(a, 0.5), quantile(a, 0.25), quantile(a, 0.75), a[0], a[a.length - 1]};
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static String fmt(List<Double> values, String unit, int decimals) {
        double[] s = stats(values);
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " %s (IQR " + f + "–" + f + ", range " + f + "–" + f + ")", s[0],
                unit, s[1], s[2], s[3], s[4]);
    }

    private static List<Double> col(List<Map<String, Double>> rows, String key) {
        return rows.stream().map(m -> m.get(key)).toList();
    }

    private void printTable(List<Cold> cold, Cold candidate, List<Map<String, Double>> primed,
                            List<Map<String, Double>> primedOnce, List<Map<String, Double>> primedInMemory,
                            List<Map<String, Double>> unprimed, Map<String, Double> burst, int runs, int jvms,
                            int warm, int burstEvents, int threads, double throttle, int duplicates)
            throws IOException {
        Cold reference = cold.get(1);
        double refMedian = stats(reference.ms)[0];
        StringBuilder t = new StringBuilder();
        t.append("\n### TrailGuard benchmark\n\n");
        t.append(String.format("Machine: %d CPUs, %s; %s %s; load average at the end %s; stub on loopback, "
                        + "no injected latency.%n", Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1")));
        t.append(String.format("Deployed JAVA_TOOL_OPTIONS: `%s`.%n%n", DEPLOYED_FLAGS));
        t.append(String.format("Cold process, JVM start to exit after the StopLogging event is fully handled "
                + "(%d fresh JVMs each, interleaved):%n%n", runs));
        t.append("| variant | wall time: median (IQR, range) | × reference | peak RSS median |\n");
        t.append("|---|---|---|---|\n");
        for (Cold c : cold) {
            t.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.0f MB |%n", c.name, fmt(c.ms, "ms", 0),
                    stats(c.ms)[0] / refMedian, stats(c.rssMb)[0]));
        }
        double first = stats(col(primed, "first_ms"))[0];
        double p50 = stats(col(primed, "warm_p50_ms"))[0];
        double p99 = stats(col(primed, "warm_p99_ms"))[0];
        double ownP99 = stats(col(primed, "mem_p99_ms"))[0];
        t.append(String.format("%nIn one JVM with the deployed flags and jar (%d fresh JVMs each, interleaved; warm = "
                + "the last %d of %d events per JVM):%n%n", jvms, warm / 2, warm));
        t.append("| measure | median over JVMs (IQR, range) |\n|---|---|\n");
        row(t, "handler construction (Lambda init)", primed, "init_ms", 1);
        row(t, "priming (beforeCheckpoint, deployed)", primed, "prime_ms", 1);
        row(t, "priming, each sample event once", primedOnce, "prime_ms", 1);
        row(t, "first event, after priming (deployed: loopback HTTP stack, repeated for the JIT)", primed, "first_ms",
                2);
        row(t, "first event, after priming each sample event once", primedOnce, "first_ms", 2);
        row(t, "first event, after priming in memory only (repeated)", primedInMemory, "first_ms", 2);
        row(t, "first event, no priming", unprimed, "first_ms", 1);
        row(t, "warm event p50", primed, "warm_p50_ms", 3);
        row(t, "warm event p99", primed, "warm_p99_ms", 3);
        row(t, "warm event max", primed, "warm_max_ms", 2);
        row(t, "handler overhead p50 (in-memory HTTP client, no stub)", primed, "mem_p50_ms", 3);
        row(t, "handler overhead p99 (in-memory HTTP client, no stub)", primed, "mem_p99_ms", 3);
        row(t, "handler overhead max (in-memory HTTP client, no stub)", primed, "mem_max_ms", 2);
        t.append(String.format(Locale.ROOT, "%nBurst: %d events (%d of them redeliveries) on %d threads in one primed "
                        + "JVM, stub throttling %.0f%% of calls: **%.0f events/s** (%.0f ms); started %.0f, already "
                        + "started %.0f, other outcomes %.0f, failed after retries %.0f; stub: %d requests, %d throttled, %d executions "
                        + "started, %d reused ClientTokens answered, **%d executions started twice**.%n",
                burstEvents, duplicates, threads, throttle * 100, burst.get("events_per_s"), burst.get("elapsed_ms"),
                burst.get("started"), burst.get("already_started"), burst.getOrDefault("other", 0.0),
                burst.get("failed"), stub.requests(),
                stub.throttled(), stub.executionsStarted(), stub.reusedTokens(), stub.doubleStarts()));
        long jar = Files.size(Path.of(candidateJar));
        t.append(String.format(Locale.ROOT, "%nDeployed jar: %.2f MB (%d bytes).%n", jar / 1e6, jar));
        // Like for like: the candidate runs with the deployed flags, so it is divided by the reference with the
        // same flags; without flags on both sides as well.
        double refFlagged = median(cold, "reference, deployed flags");
        double coldRatio = stats(candidate.ms)[0] / refFlagged;
        double unflaggedRatio = median(cold, "candidate, flags: (none)") / refMedian;
        double floorRatio = median(cold, "SDK floor") / refFlagged;
        t.append(String.format(Locale.ROOT, "%n| target | measured | met |%n|---|---|---|%n"
                        + "| cold process ≤ 0.6 × reference (same flags) | %.2f × with the deployed flags on both "
                        + "(no flags on both: %.2f ×; the SDK floor alone: %.2f ×) | %s |%n"
                        + "| first event after priming (in the priming JVM, not a snapshot restore) ≤ 3 × warm p50 "
                        + "| %.1f × (%.2f / %.2f ms) | %s |%n"
                        + "| warm handler overhead p99 < 5 ms | %.2f ms (with 5 loopback round trips to the stub: "
                        + "%.2f ms) | %s |%n"
                        + "| jar < 12 MB | %.2f MB | %s |%n",
                coldRatio, unflaggedRatio, floorRatio, yes(coldRatio <= 0.6), first / p50, first, p50, yes(first <= 3 * p50), ownP99,
                p99, yes(ownP99 < 5), jar / 1e6, yes(jar < 12e6)));
        System.out.println(t);
    }

    /** The median of the first cold row whose name starts with {@code prefix}, NaN if there is none. */
    private static double median(List<Cold> cold, String prefix) {
        return cold.stream().filter(c -> c.name.startsWith(prefix)).findFirst().map(c -> stats(c.ms)[0])
                .orElse(Double.NaN);
    }

    /** One row of the in-process table: the median, IQR and range over the JVMs of one measure. */
    private static void row(StringBuilder t, String label, List<Map<String, Double>> jvms, String key, int decimals) {
        t.append("| ").append(label).append(" | ").append(fmt(col(jvms, key), "ms", decimals)).append(" |\n");
    }

    private static String yes(boolean b) {
        return b ? "yes" : "**no**";
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

}
