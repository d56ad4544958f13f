package dev.trailguard.notify;

import java.util.Optional;

/** Organization hub: where an account's name and organizational unit come from (the port; the adapter caches). */
public interface AccountDirectory {

    /**
     * The account's place in the organization, or empty if it is unknown.
     *
     * @throws dev.trailguard.core.CallFailedException if the organization could not be read
     */
    Optional<Notification.AccountContext> describe(String accountId);
}
