package dev.trailguard.bench;

import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.MemberAccess;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.Members;
import dev.trailguard.handler.TamperResponder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.regions.Region;

/**
 * The organization hub under a storm (issue 13): {@code --events} StopLogging events from {@code --accounts} member
 * accounts (in four regions) through one hub TamperResponder, against the local stub with STS AssumeRole, and as many
 * events of the hub's own account through a single-account TamperResponder, interleaved in the same JVM. Prints the
 * events handled, runbooks started, events lost (an outcome other than a start), AssumeRole calls, starts signed or
 * passed as another account, and the handling time of each kind (p50, p99, the steady second half).
 *
 * <p>Run: {@code mvn -B -Pbench -DskipTests package && java -cp bench/target/trailguard-bench.jar
 * dev.trailguard.bench.Storm --repo .}
 */
public final class Storm {

    private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1");
    private static final String HUB = "111122223333";

    private Storm() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int events = Integer.parseInt(opts.getOrDefault("events", "1000"));
        int accounts = Integer.parseInt(opts.getOrDefault("accounts", "200"));
        int warm = Integer.parseInt(opts.getOrDefault("warm", "300"));
        Path repo = Path.of(opts.getOrDefault("repo", "."));
        byte[] template = Files.readAllBytes(repo.resolve("events/member/stop-logging.json"));
        byte[] own = Files.readAllBytes(repo.resolve("events/cloudtrail/stop-logging.json"));
        System.setProperty("aws.accessKeyId", "AKIDSTORMHUB0000000");
        System.setProperty("aws.secretAccessKey", "storm");

        try (StubServer stub = new StubServer()) {
            TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:" + HUB + ":trailguard",
                    "arn:aws:iam::" + HUB + ":role/TrailGuard-AutomationRole", Set.of(), List.of(),
                    Set.of("trailguard-cloudtrail-enabled"),
                    Set.of("arn:aws:iam::" + HUB + ":role/TrailGuard-TamperResponderRole"));
            AwsClients hubClients = new AwsClients(Region.US_EAST_1, stub.endpoint());
            AwsClients singleClients = new AwsClients(Region.US_EAST_1, stub.endpoint());
            MemberAccess access = new MemberAccess("TrailGuard-Member", "TrailGuard-Automation");
            TamperResponder hub = new TamperResponder(Dependencies.live(config, ResponseConfig.defaults(), hubClients)
                    .withMembers(Members.live(access, hubClients, config)));
            TamperResponder single = new TamperResponder(Dependencies.live(config, singleClients));

            // Warm-up on the hub's own account (JIT, SDK), not counted; then the storm, interleaved.
            for (int i = 0; i < warm; i++) {
                hub.invoke(ownEvent(own, 9_000_000L + i));
                single.invoke(ownEvent(own, 8_000_000L + i));
            }
            stub.reset();
            long[] hubTimes = new long[events];
            long[] singleTimes = new long[events];
            int lost = 0;
            Map<String, Integer> outcomes = new java.util.TreeMap<>();
            for (int i = 0; i < events; i++) {
                String account = String.format("%012d", 444_400_000_000L + i % accounts);
                String region = REGIONS.get((i % accounts) % REGIONS.size());
                byte[] member = memberEvent(template, account, region, i);
                long t0 = System.nanoTime();
                Outcome o = hub.invoke(member);
                hubTimes[i] = System.nanoTime() - t0;
                outcomes.merge(o.outcome(), 1, Integer::sum);
                if (!"REMEDIATION_STARTED".equals(o.outcome())) {
                    lost++;
                }
                t0 = System.nanoTime();
                Outcome s = single.invoke(ownEvent(own, 7_000_000L + i));
                singleTimes[i] = System.nanoTime() - t0;
                if (!"REMEDIATION_STARTED".equals(s.outcome())) {
                    throw new IllegalStateException("single-account event not started: " + s.outcome());
                }
            }
            long[] h = steady(hubTimes);
            long[] s = steady(singleTimes);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.printf("storm: %d member events from %d accounts in %d regions through one hub JVM%n", events,
                    accounts, REGIONS.size());
            System.out.printf("  outcomes: %s; lost (not started): %d%n", outcomes, lost);
            System.out.printf("  runbooks started: %d (hub and single-account together), started twice: %d%n",
                    stub.executionsStarted(), stub.doubleStarts());
            System.out.printf("  sts:AssumeRole calls: %d (accounts: %d)%n", stub.assumeRoles(), accounts);
            System.out.printf("  starts signed or passed as another account: %d%n", stub.crossedStarts());
            System.out.printf("  hub p50 / p99: %.2f / %.2f ms; single-account p50 / p99: %.2f / %.2f ms; "
                    + "p99 ratio %.2f%n", pct(h, 50) / 1e6, pct(h, 99) / 1e6, pct(s, 50) / 1e6, pct(s, 99) / 1e6,
                    (double) pct(h, 99) / pct(s, 99));
            System.out.printf("  first-event-of-an-account p50 / p99 (AssumeRole and new clients): %.2f / %.2f ms%n",
                    pct(firsts(hubTimes, accounts), 50) / 1e6, pct(firsts(hubTimes, accounts), 99) / 1e6);
            System.out.printf("  heap used after the storm: %d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
            hubClients.close();
            singleClients.close();
        }
    }

    private static byte[] memberEvent(byte[] template, String account, String region, long n) {
        return new String(template, StandardCharsets.UTF_8)
                .replace("444455556666", account)
                .replace("trail/member-audit", "trail/management-events")
                .replace("\"region\": \"eu-west-1\"", "\"region\": \"" + region + "\"")
                .replace("\"awsRegion\": \"eu-west-1\"", "\"awsRegion\": \"" + region + "\"")
                .replace("arn:aws:cloudtrail:eu-west-1:", "arn:aws:cloudtrail:" + region + ":")
                .replace("5e2a7c90-1b3d-4f6a-8e2c-9d0f1a2b3c4d", String.format("5e2a7c90-1b3d-4f6a-8e2c-%012d", n))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ownEvent(byte[] template, long n) {
        return new String(template, StandardCharsets.UTF_8)
                .replace("7f9e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b", String.format("7f9e2b1a-3c4d-4e5f-8a9b-%012d", n))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The times of each account's first event (the storm sends accounts round-robin, so the first round). */
    private static long[] firsts(long[] times, int accounts) {
        long[] first = Arrays.copyOf(times, Math.min(accounts, times.length));
        Arrays.sort(first);
        return first;
    }

    /** All times, sorted: a storm is judged on every event, each account's first (AssumeRole) included. */
    private static long[] steady(long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[(int) Math.ceil(p / 100.0 * sorted.length) - 1];
    }
}
