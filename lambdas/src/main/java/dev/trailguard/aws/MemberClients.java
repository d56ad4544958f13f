package dev.trailguard.aws;

import dev.trailguard.config.MemberAccess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The organization hub's clients in member accounts. Credentials: one {@link StsAssumeRoleCredentialsProvider} per
 * account, which assumes the member role once and keeps its credentials until shortly before they expire (then
 * assumes it again, on the next call). So an account costs one {@code sts:AssumeRole} per credential lifetime, not
 * one per event. Clients: in the region asked for, sharing the hub's HTTP client.
 */
public final class MemberClients {

    /** The role session name: it appears in the member's CloudTrail as the hub's calls' session. */
    static final String SESSION_NAME = "TrailGuard-hub";
    /** Credentials are renewed when they have less than this left (the SDK's default stale time is 1 minute). */
    private static final Duration STALE_TIME = Duration.ofMinutes(2);
    private static final Duration PREFETCH_TIME = Duration.ofMinutes(5);

    private final AwsClients hub;
    private final StsClient sts;
    private final MemberAccess access;
    private final String partition;
    private final Map<String, StsAssumeRoleCredentialsProvider> byAccount = new ConcurrentHashMap<>();

    public MemberClients(AwsClients hub, MemberAccess access, String partition) {
        this.hub = hub;
        this.sts = hub.sts();
        this.access = access;
        this.partition = partition;
    }

    /** The member role of {@code account}. */
    public String roleArn(String account) {
        return access.roleArn(partition, account);
    }

    /** The automation role of {@code account}. */
    public String automationRoleArn(String account) {
        return access.automationRoleArn(partition, account);
    }

    /**
     * Clients in {@code account} and {@code region}, signing with the member role's credentials, resolved now.
     * The caller closes them.
     *
     * @throws AwsCallFailedException {@code sts:AssumeRole} failed: the account is not onboarded, its role was deleted
     *                                or changed, or an SCP denies it
     */
    public AwsClients in(String account, String region) {
        return hub.in(Region.of(region), credentials(account));
    }

    /**
     * Checks that the account's credentials are (still) there: from the cache, or by assuming the role again.
     *
     * @throws AwsCallFailedException as {@link #in}
     */
    public void check(String account) {
        credentials(account);
    }

    /**
     * The account's credentials, resolved now: the first call for an account (or one after its credentials went
     * stale) assumes the member role, the others answer from the cache.
     */
    private AwsCredentialsProvider credentials(String account) {
        StsAssumeRoleCredentialsProvider provider = byAccount.computeIfAbsent(account, a -> {
            String role = roleArn(a);
            return StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(r -> r.roleArn(role).roleSessionName(SESSION_NAME))
                    .staleTime(STALE_TIME)
                    .prefetchTime(PREFETCH_TIME)
                    .asyncCredentialUpdateEnabled(false)
                    .build();
        });
        try {
            provider.resolveCredentials();
        } catch (SdkException e) {
            throw new AwsCallFailedException("sts:AssumeRole", e);
        }
        return provider;
    }

}
