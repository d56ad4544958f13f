package dev.trailguard.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds the SDK clients once per function instance. Region, credentials and endpoint come from the SDK's standard
 * chain ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, the default credentials chain), so the same code runs in Lambda,
 * locally and against a stub. Every client shares one URL-connection HTTP client and has bounded timeouts, so a call
 * can never hang until the Lambda timeout.
 */
public final class AwsClients implements AutoCloseable {

    /** One attempt may take this long; a read that stalls longer is abandoned and retried. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    /** All attempts of one call together, including back-off. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(12);

    private final SdkHttpClient http;
    private final Region region;
    private final URI endpointOverride;
    private final AwsCredentialsProvider credentials;
    private final ClientOverrideConfiguration overrides;
    private final Map<Region, SsmClient> ssmByRegion = new ConcurrentHashMap<>();
    private final Map<Region, ConfigClient> configByRegion = new ConcurrentHashMap<>();
    private final Map<Region, CloudTrailClient> cloudTrailByRegion = new ConcurrentHashMap<>();
    private volatile CloudTrailClient cloudTrail;
    private volatile SnsClient sns;
    private volatile StsClient sts;
    private volatile EventBridgeClient events;

    public AwsClients() {
        this(new DefaultAwsRegionProviderChain().getRegion());
    }

    public AwsClients(Region region) {
        this(region, null);
    }

    /** Clients for the region of that name (the local invoke's {@code aws.region}). */
    public static AwsClients inRegion(String region) {
        return new AwsClients(Region.of(region));
    }

    /**
     * Clients for the given region; a non-null {@code endpointOverride} sends every call there (tests, benchmarks).
     * In production leave it null: {@code AWS_ENDPOINT_URL} already does this through the SDK's own configuration.
     */
    public AwsClients(Region region, URI endpointOverride) {
        this(region, endpointOverride, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    /** As {@link #AwsClients(Region, URI)} with other timeouts (fault-injection tests shorten them). */
    public AwsClients(Region region, URI endpointOverride, Duration attemptTimeout, Duration callTimeout) {
        this(region, endpointOverride, httpClient(attemptTimeout), null, attemptTimeout, callTimeout);
    }

    /** The production HTTP client: URL connection, 2 s to connect, a read may stall for one attempt's timeout. */
    public static SdkHttpClient httpClient(Duration attemptTimeout) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(attemptTimeout)
                .build();
    }

    /**
     * Clients over the given HTTP client and credentials (null: the SDK's default chain). SnapStart priming uses this
     * with an in-memory HTTP client, so that the real marshalling and signing code runs without reaching AWS.
     */
    public AwsClients(Region region, URI endpointOverride, SdkHttpClient http, AwsCredentialsProvider credentials) {
        this(region, endpointOverride, http, credentials, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    /** As {@link #AwsClients(Region, URI, SdkHttpClient, AwsCredentialsProvider)} with other timeouts. */
    public AwsClients(Region region, URI endpointOverride, SdkHttpClient http, AwsCredentialsProvider credentials,
                      Duration attemptTimeout, Duration callTimeout) {
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.http = http;
        this.credentials = credentials;
        // Standard mode: 3 attempts with jittered back-off for throttling and 5xx. Adaptive mode's client-side
        // rate limiter only pays off for long-lived clients making many calls; ours make a handful per event.
        this.overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .apiCallAttemptTimeout(attemptTimeout)
                .apiCallTimeout(callTimeout)
                .build();
    }

    private AwsClients(AwsClients base, Region region, AwsCredentialsProvider credentials) {
        this.region = region;
        this.endpointOverride = base.endpointOverride;
        this.http = base.http;
        this.credentials = credentials;
        this.overrides = base.overrides;
    }

    /**
     * Clients in {@code region} that sign with {@code credentials} (a member account's, in the organization hub),
     * sharing this one's HTTP client, endpoint and timeouts. Closing them leaves this one open.
     */
    public AwsClients in(Region target, AwsCredentialsProvider memberCredentials) {
        return new AwsClients(this, target, memberCredentials);
    }

    /** EventBridge in the function's region (a member's, for the hub's check of its forwarding rules). */
    public EventBridgeClient events() {
        EventBridgeClient client = events;
        if (client == null) {
            synchronized (this) {
                if (events == null) {
                    var builder = EventBridgeClient.builder().region(region).httpClient(http)
                            .overrideConfiguration(overrides);
                    if (endpointOverride != null) {
                        builder.endpointOverride(endpointOverride);
                    }
                    if (credentials != null) {
                        builder.credentialsProvider(credentials);
                    }
                    events = builder.build();
                }
                client = events;
            }
        }
        return client;
    }

    /**
     * Organizations' account names and parents (organization hub), over this HTTP client and these credentials; the
     * endpoint is this one's override, else {@code AWS_ENDPOINT_URL}, else the partition's global endpoint.
     */
    public OrganizationsAccountDirectory accountDirectory(String partition) {
        URI override = endpointOverride;
        String fromEnvironment = System.getenv("AWS_ENDPOINT_URL");
        if (override == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
            override = URI.create(fromEnvironment.trim());
        }
        return new OrganizationsAccountDirectory(http, credentials != null ? credentials
                : DefaultCredentialsProvider.builder().build(), partition, override);
    }

    /**
     * The organization's active member accounts under {@code parentIds}, for the hub's fire drill: Organizations over
     * this HTTP client and these credentials, at the same endpoint as {@link #accountDirectory}.
     */
    public OrganizationsDrillAccounts drillAccounts(String partition, java.util.List<String> parentIds) {
        URI override = endpointOverride;
        String fromEnvironment = System.getenv("AWS_ENDPOINT_URL");
        if (override == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
            override = URI.create(fromEnvironment.trim());
        }
        return new OrganizationsDrillAccounts(http, credentials != null ? credentials
                : DefaultCredentialsProvider.builder().build(), partition, override, parentIds);
    }

    /**
     * Security Hub's {@code BatchImportFindings} in the function's region, for the account's default product, over this
     * HTTP client and these credentials; the endpoint is this one's override, else {@code AWS_ENDPOINT_URL_SECURITYHUB}
     * or {@code AWS_ENDPOINT_URL} (as the SDK itself would resolve them), else the region's.
     */
    public SecurityHubImporter securityHub(String partition, String account,
                                           com.fasterxml.jackson.databind.ObjectMapper json) {
        URI override = endpointOverride;
        for (String variable : new String[] {"AWS_ENDPOINT_URL_SECURITYHUB", "AWS_ENDPOINT_URL"}) {
            String fromEnvironment = System.getenv(variable);
            if (override == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
                override = URI.create(fromEnvironment.trim());
            }
        }
        return new SecurityHubImporter(http, credentials != null ? credentials
                : DefaultCredentialsProvider.builder().build(), partition, region.id(), account, override, json);
    }

    /**
     * The repairs of the trails' keys, buckets and event data stores and of the Config recorder: KMS and S3 signed by
     * hand over this HTTP client (their SDK modules are not in the jar), CloudTrail Lake and Config through their
     * clients. KMS and S3 go to this one's endpoint override, else {@code AWS_ENDPOINT_URL_KMS} / {@code _S3} or
     * {@code AWS_ENDPOINT_URL}, else the regional endpoint.
     */
    public AwsDeliveryRepairs deliveryRepairs() {
        return new AwsDeliveryRepairs(new SignedCalls(http, credentials != null ? credentials
                : DefaultCredentialsProvider.builder().build()), endpointFor("KMS"), endpointFor("S3"),
                this::cloudTrail, this::config);
    }

    private URI endpointFor(String service) {
        if (endpointOverride != null) {
            return endpointOverride;
        }
        for (String name : new String[] {"AWS_ENDPOINT_URL_" + service, "AWS_ENDPOINT_URL"}) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                return URI.create(value.trim());
            }
        }
        return null;
    }

    /** STS in the function's region (the regional endpoint), with the function's own credentials. */
    public StsClient sts() {
        StsClient client = sts;
        if (client == null) {
            synchronized (this) {
                if (sts == null) {
                    var builder = StsClient.builder().region(region).httpClient(http).overrideConfiguration(overrides);
                    if (endpointOverride != null) {
                        builder.endpointOverride(endpointOverride);
                    }
                    if (credentials != null) {
                        builder.credentialsProvider(credentials);
                    }
                    sts = builder.build();
                }
                client = sts;
            }
        }
        return client;
    }

    /**
     * Closes every SDK client built so far (their background threads end); the HTTP client given to the constructor is
     * the caller's to close. SnapStart priming closes its twin's clients so that none of their threads or state is in
     * the snapshot.
     */
    @Override
    public void close() {
        if (cloudTrail != null) {
            cloudTrail.close();
        }
        if (sns != null) {
            sns.close();
        }
        if (sts != null) {
            sts.close();
        }
        if (events != null) {
            events.close();
        }
        ssmByRegion.values().forEach(SsmClient::close);
        configByRegion.values().forEach(ConfigClient::close);
        cloudTrailByRegion.values().forEach(CloudTrailClient::close);
    }

    /** The function's own region. */
    public Region region() {
        return region;
    }

    /** CloudTrail in the function's region. */
    public CloudTrailClient cloudTrail() {
        CloudTrailClient client = cloudTrail;
        if (client == null) {
            synchronized (this) {
                if (cloudTrail == null) {
                    var builder = CloudTrailClient.builder().region(region).httpClient(http)
                            .overrideConfiguration(overrides);
                    if (endpointOverride != null) {
                        builder.endpointOverride(endpointOverride);
                    }
                    if (credentials != null) {
                        builder.credentialsProvider(credentials);
                    }
                    cloudTrail = builder.build();
                }
                client = cloudTrail;
            }
        }
        return client;
    }

    /**
     * CloudTrail in the given region (a trail's home region, where a multi-Region trail is started): the function's
     * own client for its region, others built once per region.
     */
    public CloudTrailClient cloudTrail(Region target) {
        if (target.equals(region)) {
            return cloudTrail();
        }
        return cloudTrailByRegion.computeIfAbsent(target, r -> {
            var builder = CloudTrailClient.builder().region(r).httpClient(http).overrideConfiguration(overrides);
            if (endpointOverride != null) {
                builder.endpointOverride(endpointOverride);
            }
            if (credentials != null) {
                builder.credentialsProvider(credentials);
            }
            return builder.build();
        });
    }

    /** SNS in the function's region. */
    public SnsClient sns() {
        SnsClient client = sns;
        if (client == null) {
            synchronized (this) {
                if (sns == null) {
                    var builder = SnsClient.builder().region(region).httpClient(http).overrideConfiguration(overrides);
                    if (endpointOverride != null) {
                        builder.endpointOverride(endpointOverride);
                    }
                    if (credentials != null) {
                        builder.credentialsProvider(credentials);
                    }
                    sns = builder.build();
                }
                client = sns;
            }
        }
        return client;
    }

    /** Systems Manager in the given region (a trail's home region), built once per region. */
    public SsmClient ssm(Region target) {
        return ssmByRegion.computeIfAbsent(target, ssmFactory());
    }

    /** AWS Config in the given region (a trail's home region, where Config records it), built once per region. */
    public ConfigClient config(Region target) {
        return configByRegion.computeIfAbsent(target, r -> {
            var builder = ConfigClient.builder().region(r).httpClient(http).overrideConfiguration(overrides);
            if (endpointOverride != null) {
                builder.endpointOverride(endpointOverride);
            }
            if (credentials != null) {
                builder.credentialsProvider(credentials);
            }
            return builder.build();
        });
    }

    private Function<Region, SsmClient> ssmFactory() {
        return r -> {
            var builder = SsmClient.builder().region(r).httpClient(http).overrideConfiguration(overrides);
            if (endpointOverride != null) {
                builder.endpointOverride(endpointOverride);
            }
            if (credentials != null) {
                builder.credentialsProvider(credentials);
            }
            return builder.build();
        };
    }
}
