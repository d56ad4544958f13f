package dev.trailguard.drill;

import java.time.Duration;

/**
 * Port: publishes the drill's CloudWatch metrics (namespace {@value dev.trailguard.contract.Environment#DRILL_METRIC_NAMESPACE},
 * dimensions {@code Account} and {@code Region}). The Lambda adapter writes Embedded Metric Format log lines, so no
 * CloudWatch client or {@code cloudwatch:PutMetricData} grant is needed.
 */
public interface DrillMetrics {

    /** {@code TimeToDetect} and {@code TimeToRestore} (seconds) of one drill, with its stage times as properties. */
    void drill(DrillMeasurement measurement);

    /** {@code CanaryStoppedSeconds}: how long the canary has been stopped (0 while it logs), each sweep. */
    void canaryStopped(String account, String region, Duration stoppedFor);

    /** Publishes nothing. */
    DrillMetrics NONE = new DrillMetrics() {
        @Override
        public void drill(DrillMeasurement measurement) {
        }

        @Override
        public void canaryStopped(String account, String region, Duration stoppedFor) {
        }
    };
}
