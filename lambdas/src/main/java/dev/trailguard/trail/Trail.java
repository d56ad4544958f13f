package dev.trailguard.trail;

/**
 * A trail as CloudTrail describes it.
 *
 * @param arn          the trail ARN
 * @param name         the trail name
 * @param homeRegion   the region where the trail was created; StartLogging must be called there
 * @param multiRegion  whether the trail records all regions
 * @param organization whether it is an organization trail
 */
public record Trail(String arn, String name, String homeRegion, boolean multiRegion, boolean organization) {

    /** The account that owns the trail, from its ARN. */
    public String ownerAccountId() {
        String[] parts = arn.split(":", 6);
        return parts.length > 4 ? parts[4] : "";
    }

    /**
     * Whether this account can start the trail. Organization trails can be started only by the management (or
     * delegated administrator) account; member accounts see them as shadow trails owned by another account.
     */
    public boolean startableFrom(String accountId) {
        return ownerAccountId().equals(accountId);
    }
}
