package dev.trailguard.remediation;

/** Port: starts a trail's logging with CloudTrail directly, for when SSM Automation has no capacity left. */
public interface DirectLogging {

    /**
     * Calls {@code StartLogging} on the trail in its home region, then {@code GetTrailStatus}.
     *
     * @return true if the trail's status says it logs
     * @throws dev.trailguard.core.CallFailedException if {@code StartLogging} failed after retries
     */
    boolean startLogging(String trailArn, String homeRegion);
}
