package dev.trailguard.notify;

import dev.trailguard.core.CallFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organization hub: names the account of every notification (its name and organizational unit) before publishing,
 * so that a team can read and filter by them. The lookup must never cost the notification: when it fails, the
 * notification goes out with the account id alone and the failure is logged.
 */
public final class AccountNamingNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(AccountNamingNotifier.class);

    private final Notifier delegate;
    private final AccountDirectory directory;

    public AccountNamingNotifier(Notifier delegate, AccountDirectory directory) {
        this.delegate = delegate;
        this.directory = directory;
    }

    @Override
    public String publish(Notification n) {
        Notification named = n;
        if (n.account() != null && n.accountContext() == null) {
            try {
                named = directory.describe(n.account()).map(n::withAccountContext).orElse(n);
            } catch (CallFailedException | IllegalArgumentException e) {
                LOG.warn("Account {} not named: {}", n.account(), e.getMessage());
            }
        }
        return delegate.publish(named);
    }
}
