package dev.trailguard.notify;

import dev.trailguard.core.CallFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every notification to the enabled integrations first, then publishes it on the topic with any integration's
 * failure among its details ({@code Not delivered to <integration>}). The topic is the path that must succeed: an
 * integration's failure, defect or silence never stops the publish, and the integrations run side by side within one
 * bounded wait, so together they delay the notification by at most {@link #WAIT}.
 *
 * <p>If the publish itself fails, the caller's retry (Lambda's) runs the integrations again: a Security Hub finding is
 * updated in place (same id), an incident event may arrive twice (consumers deduplicate on {@code eventId} and
 * {@code kind}, as for every at-least-once EventBridge delivery), a chat card may be posted twice in its thread.
 */
public final class IntegratingNotifier implements Notifier {

    /** The longest the integrations together may delay the notification. */
    public static final Duration WAIT = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(IntegratingNotifier.class);

    private final Notifier delegate;
    private final List<Integration> integrations;
    private final Duration wait;
    private final ExecutorService executor;

    public IntegratingNotifier(Notifier delegate, List<Integration> integrations) {
        this(delegate, integrations, WAIT);
    }

    IntegratingNotifier(Notifier delegate, List<Integration> integrations, Duration wait) {
        this.delegate = delegate;
        this.integrations = List.copyOf(integrations);
        this.wait = wait;
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "trailguard-integration");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The integrations, in the order their failures are listed. */
    public List<Integration> integrations() {
        return integrations;
    }

    @Override
    public String publish(Notification notification) {
        Map<String, String> failures = deliver(notification);
        return delegate.publish(failures.isEmpty() ? notification : notification.withDetails(failures));
    }

    /** Runs every integration; returns {@code Not delivered to <name>} to the reason, for each that failed. */
    private Map<String, String> deliver(Notification notification) {
        List<Future<?>> running = new ArrayList<>(integrations.size());
        for (Integration integration : integrations) {
            running.add(executor.submit(() -> integration.deliver(notification)));
        }
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, String> failures = new LinkedHashMap<>();
        for (int i = 0; i < integrations.size(); i++) {
            Integration integration = integrations.get(i);
            String failure = outcome(running.get(i), deadline);
            if (failure != null) {
                LOG.warn("Notification {} {} not delivered to {}: {}", notification.kind(), notification.eventId(),
                        integration.name(), failure);
                failures.put("Not delivered to " + integration.name(), failure);
            }
        }
        return failures;
    }

    /** Null when the integration delivered; otherwise why not. */
    private String outcome(Future<?> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (TimeoutException e) {
            future.cancel(true);
            return "no answer within " + wait.toMillis() / 1000.0 + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return "interrupted";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CallFailedException failed) {
                return failed.getMessage();
            }
            // A defect in an integration: logged with its stack trace, and still never the notification's end.
            LOG.error("Integration failed with an unexpected error", cause);
            return "internal error (" + cause.getClass().getSimpleName() + ")";
        }
    }
}
