package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.notify.AccountDirectory;
import dev.trailguard.notify.Notification;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An account's name ({@code organizations:DescribeAccount}) and parent ({@code organizations:ListParents}), from the
 * organization hub (a delegated administrator may read Organizations), kept for an hour per account.
 *
 * <p>The AWS SDK's Organizations module is not available to this build, so the two calls are made here with the
 * SDK's own pieces: its HTTP client, its SigV4 signer ({@code organizations}, signed for the partition's
 * Organizations region) and the function's credentials. Both are JSON 1.1 calls to the global endpoint; a failure
 * is an {@link AwsCallFailedException} naming the call, and the caller publishes without the name.
 */
public final class OrganizationsAccountDirectory implements AccountDirectory {

    static final Duration KEEP = Duration.ofHours(1);
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private final OrganizationsApi api;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Notification.AccountContext> context, Instant until) { }

    /**
     * @param http        the HTTP client to send with
     * @param credentials the function's credentials
     * @param partition   {@code aws}, {@code aws-cn} or {@code aws-us-gov}
     * @param override    another endpoint (tests, {@code AWS_ENDPOINT_URL}), or null for the partition's
     */
    public OrganizationsAccountDirectory(SdkHttpClient http, AwsCredentialsProvider credentials, String partition,
                                         URI override) {
        this(http, credentials, partition, override, Clock.systemUTC());
    }

    OrganizationsAccountDirectory(SdkHttpClient http, AwsCredentialsProvider credentials, String partition,
                                  URI override, Clock clock) {
        this.api = new OrganizationsApi(http, credentials, partition, override);
        this.clock = clock;
    }

    @Override
    public Optional<Notification.AccountContext> describe(String accountId) {
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Cached known = cache.get(accountId);
        if (known != null && now.isBefore(known.until())) {
            return known.context();
        }
        String name = call("DescribeAccount", "{\"AccountId\":\"" + accountId + "\"}")
                .path("Account").path("Name").asText(null);
        JsonNode parents = call("ListParents", "{\"ChildId\":\"" + accountId + "\"}").path("Parents");
        String parent = parents.isArray() && !parents.isEmpty() ? parents.get(0).path("Id").asText(null) : null;
        Optional<Notification.AccountContext> context = name == null && parent == null ? Optional.empty()
                : Optional.of(new Notification.AccountContext(name, parent));
        cache.put(accountId, new Cached(context, now.plus(KEEP)));
        return context;
    }

    private JsonNode call(String operation, String body) {
        return api.call(operation, body);
    }
}
