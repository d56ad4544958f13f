package dev.trailguard.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.core.Outcome;
import dev.trailguard.priming.Primable;
import dev.trailguard.priming.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The shared Lambda edge of every TrailGuard function: read the raw event, answer the keepalive ping without any AWS
 * call, hand everything else to the function's service, log and return the outcome as JSON. Exceptions propagate so
 * that Lambda retries the event and finally sends it to the on-failure destination.
 */
public abstract class EventFunction implements Primable {

    /** The source of the scheduled no-op event that keeps SnapStart versions active. */
    public static final String KEEPALIVE_SOURCE = dev.trailguard.contract.EventTypes.KEEPALIVE_SOURCE;

    private static final Logger LOG = LoggerFactory.getLogger(EventFunction.class);
    private static final ObjectMapper PING_MAPPER = new ObjectMapper();

    private final String name;
    private final Function<byte[], Outcome> service;

    /**
     * Registers the function for SnapStart priming ({@link Priming}) with its twin from {@link Functions}; a no-op
     * outside a CRaC-enabled runtime.
     */
    /**
     * @param name    the function's name
     * @param deps    its dependencies (in the organization hub, with the way into member accounts)
     * @param service its service over a set of dependencies: the own account's, or a member account's
     */
    protected EventFunction(String name, Dependencies deps, Function<Dependencies, Function<byte[], Outcome>> service) {
        this.name = name;
        this.service = new AccountRouter(deps, service);
        Priming.register(this, (config, clients) -> Functions.twin(name, config, clients));
    }

    /** The function's logic for one event: its service's. */
    public final Outcome handle(byte[] rawEvent) {
        return service.apply(rawEvent);
    }

    /** The function's name, as in logs and the local invoke. */
    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] raw = input.readAllBytes();
        if (context != null) {
            MDC.put("requestId", context.getAwsRequestId());
        }
        MDC.put("function", name());
        try {
            Outcome outcome = invoke(raw);
            LOG.info("Outcome {} for event {}", outcome.outcome(), outcome.eventId());
            output.write(PING_MAPPER.writeValueAsBytes(outcome));
        } finally {
            MDC.clear();
        }
    }

    /**
     * One event through the same edge as Lambda's: the keepalive ping is answered here without any AWS call, every
     * other event goes to {@link #handle(byte[])}. The local invoke uses this too.
     */
    public final Outcome invoke(byte[] raw) {
        return isKeepalive(raw) ? Outcome.of("KEEPALIVE", null).build() : handle(raw);
    }

    /** True for the scheduled keepalive ping: a small JSON object whose source is {@value #KEEPALIVE_SOURCE}. */
    static boolean isKeepalive(byte[] raw) {
        if (raw.length > 2048) {
            return false;
        }
        try {
            JsonNode tree = PING_MAPPER.readTree(raw);
            return tree != null && KEEPALIVE_SOURCE.equals(tree.path("source").asText(null));
        } catch (IOException e) {
            return false;
        }
    }
}
