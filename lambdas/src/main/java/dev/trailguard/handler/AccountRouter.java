package dev.trailguard.handler;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.edge.UnreachableAccounts;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.UnreadableEventException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event to its account's service. In single-account mode, and for the hub's own account, that is the
 * service over the function's own dependencies. In the organization hub an event from a member account (its
 * envelope's {@code account}) goes to the same service wired to that account and the event's region
 * ({@link Members#wire}), built on the account's first event and kept for the next ones (at most
 * {@value #MAX_WIRED} account-regions, least recently used first out). A member whose role cannot be assumed gets a
 * CRITICAL notification naming the account ({@link UnreachableAccounts}), never a silent drop. An event whose
 * envelope cannot be read goes to the own service, which reports it.
 */
final class AccountRouter implements Function<byte[], Outcome> {

    static final int MAX_WIRED = 256;

    private static final Logger LOG = LoggerFactory.getLogger(AccountRouter.class);
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private final Dependencies own;
    private final Function<Dependencies, Function<byte[], Outcome>> service;
    private final Function<byte[], Outcome> ownService;
    private final Map<String, Wired> wired = new LinkedHashMap<>(16, 0.75f, true);

    private record Wired(Function<byte[], Outcome> service, AutoCloseable clients) { }

    AccountRouter(Dependencies own, Function<Dependencies, Function<byte[], Outcome>> service) {
        this.own = own;
        this.service = service;
        this.ownService = service.apply(own);
    }

    @Override
    public Outcome apply(byte[] raw) {
        if (!own.members().enabled()) {
            return ownService.apply(raw);
        }
        EventEnvelope envelope;
        try {
            envelope = own.reader().envelope(raw);
        } catch (UnreadableEventException e) {
            return ownService.apply(raw);
        }
        String account = envelope.account();
        String region = envelope.region();
        if (account == null || account.equals(own.config().ownAccount()) || !ACCOUNT.matcher(account).matches()
                || region == null || !REGION.matcher(region).matches()) {
            // the hub's own account; or an envelope the own service will report as unreadable
            return ownService.apply(raw);
        }
        Function<byte[], Outcome> member;
        try {
            member = memberService(account, region);
        } catch (CallFailedException e) {
            return UnreachableAccounts.publish(own.notifier(), account, own.members().roleArn(account), e, envelope);
        }
        return member.apply(raw);
    }

    private Function<byte[], Outcome> memberService(String account, String region) {
        // The credentials are cached per account; this assumes the role again only when they are stale.
        own.members().check(account);
        String key = account + "/" + region;
        synchronized (wired) {
            Wired known = wired.get(key);
            if (known != null) {
                return known.service();
            }
        }
        Members.Wiring wiring = own.members().wire(own, account, region);
        Wired fresh = new Wired(service.apply(wiring.deps()), wiring.clients());
        synchronized (wired) {
            Wired raced = wired.putIfAbsent(key, fresh);
            if (raced != null) {
                close(fresh);
                return raced.service();
            }
            if (wired.size() > MAX_WIRED) {
                var eldest = wired.entrySet().iterator().next();
                wired.remove(eldest.getKey());
                close(eldest.getValue());
            }
        }
        return fresh.service();
    }

    private static void close(Wired w) {
        try {
            w.clients().close();
        } catch (Exception e) {
            LOG.warn("Could not close a member account's clients: {}", e.toString());
        }
    }
}
