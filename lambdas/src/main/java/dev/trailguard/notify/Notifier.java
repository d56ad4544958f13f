package dev.trailguard.notify;

/** Port: delivers a notification to people and machines. */
public interface Notifier {

    /**
     * Publishes the notification.
     *
     * @return the message id
     * @throws dev.trailguard.core.CallFailedException if it could not be delivered; callers let it propagate so
     *     that Lambda's retries and the dead-letter queue take over
     */
    String publish(Notification notification);
}
