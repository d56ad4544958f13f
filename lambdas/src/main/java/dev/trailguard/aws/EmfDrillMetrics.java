package dev.trailguard.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.contract.Environment;
import dev.trailguard.drill.DrillMeasurement;
import dev.trailguard.drill.DrillMetrics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link DrillMetrics} as CloudWatch Embedded Metric Format: one JSON object per line on the function's standard
 * output, which Lambda sends to its log group and CloudWatch turns into metrics (namespace
 * {@value Environment#DRILL_METRIC_NAMESPACE}, dimensions {@code Account} and {@code Region}). No CloudWatch client in
 * the jar, no {@code cloudwatch:PutMetricData} grant, and the stage times stay next to the metrics in the log (Logs
 * Insights can query them). This is why it writes to a stream and not through the logger: EMF needs the line to be the
 * object itself, not a field of the logger's JSON.
 *
 * <p>In the organization hub ({@link #organization}) each line also carries the dimensionless set {@code []}: one
 * organization-wide series per metric, which the hub's CanaryNotRestored alarm watches (an alarm per account would
 * need the accounts at synth) and which gives p50/p99 across the organization. {@code CanaryStoppedSeconds}, written
 * by every sweep of every member, carries its {@code Account}/{@code Region} dimensions only while the canary is
 * stopped: a custom metric is billed for the hours it gets data, so the zeros of a hundred healthy accounts cost one
 * series, not a hundred. The line keeps {@code Account} and {@code Region} as fields either way (Logs Insights).
 */
public final class EmfDrillMetrics implements DrillMetrics {

    public static final String TIME_TO_DETECT = "TimeToDetect";
    public static final String TIME_TO_RESTORE = "TimeToRestore";
    public static final String CANARY_STOPPED = "CanaryStoppedSeconds";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Clock clock;
    private final boolean organization;

    /** Single-account mode: dimensions {@code Account} and {@code Region}. */
    public EmfDrillMetrics(PrintStream out, Clock clock) {
        this(out, clock, false);
    }

    /**
     * @param organization the organization hub: an organization-wide series besides the per-account one (see above)
     */
    public EmfDrillMetrics(PrintStream out, Clock clock, boolean organization) {
        this.out = out;
        this.clock = clock;
        this.organization = organization;
    }

    @Override
    public void drill(DrillMeasurement m) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        m.timeToDetect().ifPresent(d -> metrics.put(TIME_TO_DETECT, DrillMeasurement.seconds(d)));
        m.timeToRestore().ifPresent(d -> metrics.put(TIME_TO_RESTORE, DrillMeasurement.seconds(d)));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("Trail", m.trailArn());
        properties.put("ExecutionId", m.executionId());
        properties.put("StoppedAt", m.stoppedAt().toString());
        put(properties, "DetectedAt", m.detectedAt());
        put(properties, "RunbookStartedAt", m.runbookStartedAt());
        put(properties, "RunbookEndedAt", m.runbookEndedAt());
        put(properties, "LoggingAt", m.loggingAt());
        m.runbookStartedAt().ifPresent(t -> metrics.put("TimeToRunbookStart",
                DrillMeasurement.seconds(Duration.between(m.stoppedAt(), t))));
        m.runbookEndedAt().ifPresent(t -> metrics.put("TimeToRunbookEnd",
                DrillMeasurement.seconds(Duration.between(m.stoppedAt(), t))));
        write(m.account(), m.region(), metrics, properties, true);
    }

    @Override
    public void canaryStopped(String account, String region, Duration stoppedFor) {
        write(account, region, Map.of(CANARY_STOPPED, DrillMeasurement.seconds(stoppedFor)), Map.of(),
                !organization || !stoppedFor.isZero());
    }

    private void write(String account, String region, Map<String, Double> metrics, Map<String, String> properties,
                       boolean perAccount) {
        ObjectNode line = JSON.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", Instant.now(clock).toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", Environment.DRILL_METRIC_NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        if (perAccount) {
            dimensions.addArray().add("Account").add("Region");
        }
        if (organization) {
            dimensions.addArray();
        }
        ArrayNode names = directive.putArray("Metrics");
        metrics.keySet().forEach(name -> names.addObject().put("Name", name).put("Unit", "Seconds"));
        line.put("Account", account);
        line.put("Region", region);
        metrics.forEach(line::put);
        properties.forEach((k, v) -> {
            if (v != null) {
                line.put(k, v);
            }
        });
        out.println(line);
        out.flush();
    }

    private static void put(Map<String, String> properties, String key, Optional<Instant> value) {
        value.ifPresent(v -> properties.put(key, v.toString()));
    }
}
