package dev.trailguard.drill;

/** Port: the drill's one AWS call, {@code cloudtrail:StopLogging} on the canary trail. */
public interface Canary {

    /**
     * Stops logging on the canary trail in its home region.
     *
     * @throws dev.trailguard.core.CallFailedException if CloudTrail refused (an SCP without the drill's exemption, a
     *                                                 missing trail) or could not be reached after retries
     */
    void stopLogging(String trailArn, String homeRegion);

    /** No canary here: every call fails loudly. */
    static Canary none() {
        return (arn, region) -> {
            throw new IllegalStateException("no canary trail is configured");
        };
    }
}
