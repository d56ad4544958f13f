package dev.trailguard.aws;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The SDK side of SnapStart priming: {@link AwsClients} whose answers are canned ({@link PrimingHttpClient}) and whose
 * credentials are fixed dummies, so that priming runs the real SDK pipeline (endpoint rules, signing, marshalling,
 * unmarshalling) without ever reaching AWS or the credentials endpoint. Over the loopback ({@link PrimingLoopback})
 * the production HTTP client is primed too; where no loopback socket can be opened, the in-memory client answers.
 */
public final class PrimingClients implements AutoCloseable {

    /** The account of the canned answers: nothing real. */
    public static final String ACCOUNT = PrimingHttpClient.ACCOUNT;
    /** The function role whose session starts the canned execution. */
    public static final String FUNCTION_ROLE = PrimingHttpClient.FUNCTION_ROLE;

    private static final Logger LOG = LoggerFactory.getLogger(PrimingClients.class);
    /** Priming's own SDK timeouts: its answers come from this JVM, so anything slower means something is stuck. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private final AwsClients clients;
    private final PrimingLoopback loopback;

    private PrimingClients(AwsClients clients, PrimingLoopback loopback) {
        this.clients = clients;
        this.loopback = loopback;
    }

    /**
     * Clients for priming in {@code region}: over the loopback server when {@code overLoopback} and a loopback socket
     * can be opened, else over the in-memory client.
     */
    public static PrimingClients open(String region, boolean overLoopback) {
        PrimingHttpClient answers = new PrimingHttpClient(region);
        if (overLoopback) {
            PrimingLoopback started = null;
            try {
                started = PrimingLoopback.start(answers);
                return new PrimingClients(clients(region, started.redirecting(AwsClients.httpClient(ATTEMPT_TIMEOUT))),
                        started);
            } catch (IOException | RuntimeException e) {
                if (started != null) {
                    started.close();
                }
                LOG.warn("Priming without the HTTP stack: no loopback socket ({})", e.toString());
            }
        }
        return new PrimingClients(clients(region, answers), null);
    }

    /** The clients; closed with this. */
    public AwsClients clients() {
        return clients;
    }

    /** True if the answers travel over the production HTTP client and the loopback interface. */
    public boolean overLoopback() {
        return loopback != null;
    }

    @Override
    public void close() {
        clients.close();
        if (loopback != null) {
            loopback.close();
        }
    }

    /** The region the function runs in (the SDK's default chain), or us-east-1 where none is configured. */
    public static String region() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException e) {
            return Region.US_EAST_1.id();
        }
    }

    /**
     * The real clients resolve credentials through the SDK's default chain on their first call, which the twin (fixed
     * dummy credentials) never walks. Load and run what can be run without fetching anything: construct the chain's
     * providers (construction reads nothing; the container and instance-profile providers fetch only when asked, and
     * are not asked), and resolve only a chain of the two that read this process's own system properties and
     * environment, which fails where those hold no keys (under SnapStart, where credentials come from the container
     * endpoint) and so also runs the chain's failure path. Nothing here is kept.
     */
    public static void primeCredentialsChain() {
        try (ContainerCredentialsProvider container = ContainerCredentialsProvider.builder().build();
             InstanceProfileCredentialsProvider instance = InstanceProfileCredentialsProvider.builder().build()) {
            ProfileCredentialsProvider.builder().build().close();
            WebIdentityTokenFileCredentialsProvider.builder().build().close();
            AwsCredentialsProviderChain local = AwsCredentialsProviderChain.builder()
                    .reuseLastProviderEnabled(true)
                    .credentialsProviders(SystemPropertyCredentialsProvider.create(),
                            EnvironmentVariableCredentialsProvider.create())
                    .build();
            try {
                local.resolveCredentials();
            } catch (RuntimeException expected) {
                // no keys in this process's properties or environment: the failure path is what we wanted to run
            }
            local.close();
        } catch (RuntimeException e) {
            LOG.debug("Credentials chain not primed: {}", e.toString());
        }
    }

    /**
     * SDK clients with dummy credentials over the given HTTP client, with short timeouts so that priming is bounded
     * even if its loopback server stalled. A fixed endpoint override, so that whatever {@code AWS_ENDPOINT_URL} says
     * in this environment (even an empty value) cannot break priming; the SDK's endpoint rules still run, and the
     * HTTP client decides where requests actually go.
     */
    private static AwsClients clients(String region, SdkHttpClient http) {
        return new AwsClients(Region.of(region), URI.create("https://trailguard-priming.invalid"), http,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMINGNOTREAL0", "priming")),
                ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }
}
