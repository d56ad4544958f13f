package dev.trailguard.notify;

/**
 * Port: a place besides the notification topic where security teams already look (Security Hub, a chat channel, their
 * own EventBridge rules). An integration is optional and may fail; the notification must not ({@link IntegratingNotifier}).
 */
public interface Integration {

    /** What the notification calls it when it failed, for example {@code Security Hub}. */
    String name();

    /**
     * Delivers the notification in this integration's form.
     *
     * @throws dev.trailguard.core.CallFailedException if the service refused it or could not be reached
     */
    void deliver(Notification notification);
}
