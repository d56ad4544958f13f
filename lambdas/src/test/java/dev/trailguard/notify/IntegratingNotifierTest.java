package dev.trailguard.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailguard.core.CallFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The topic is the path that must succeed: what integrations may and may not do to a notification. */
class IntegratingNotifierTest {

    final List<Notification> published = new ArrayList<>();
    final Notifier topic = n -> {
        published.add(n);
        return "message-1";
    };
    final Notification notification = Notification.builder(Severity.HIGH, "LOGGING_STOPPED").headline("h").summary("s")
            .eventId("ev-1").detail("Fix", "start it").build();

    static Integration integration(String name, Runnable behaviour) {
        return new Integration() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void deliver(Notification n) {
                behaviour.run();
            }
        };
    }

    static final class Refused extends CallFailedException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super("securityhub:BatchImportFindings", "AccessDeniedException", message, null);
        }
    }

    @Test
    void allDelivered_shouldPublishTheNotificationUnchanged() {
        List<String> delivered = new ArrayList<>();
        IntegratingNotifier notifier = new IntegratingNotifier(topic, List.of(
                integration("Security Hub", () -> delivered.add("hub")), integration("chat", () -> delivered.add("chat"))));

        assertThat(notifier.publish(notification)).isEqualTo("message-1");

        assertThat(delivered).containsExactlyInAnyOrder("hub", "chat");
        assertThat(published).containsExactly(notification);
    }

    @Test
    void refusedDefectiveAndSilentIntegrations_shouldNeverStopThePublish() {
        // given: one refused, one with a defect, one that does not answer in time
        CountDownLatch never = new CountDownLatch(1);
        IntegratingNotifier notifier = new IntegratingNotifier(topic, List.of(
                integration("Security Hub", () -> {
                    throw new Refused("securityhub:BatchImportFindings failed: AccessDeniedException (denied)");
                }),
                integration("EventBridge", () -> {
                    throw new IllegalStateException("bug");
                }),
                integration("chat", () -> {
                    try {
                        never.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })), Duration.ofMillis(300));

        // when
        long started = System.nanoTime();
        String messageId = notifier.publish(notification);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // then: published within the wait, each failure named
        assertThat(messageId).isEqualTo("message-1");
        assertThat(tookMillis).isLessThan(2_000);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).details()).containsEntry("Fix", "start it")
                .containsEntry("Not delivered to Security Hub",
                        "securityhub:BatchImportFindings failed: AccessDeniedException (denied)")
                .containsEntry("Not delivered to EventBridge", "internal error (IllegalStateException)")
                .containsEntry("Not delivered to chat", "no answer within 0.3 s");
    }

    @Test
    void topicFailure_shouldPropagateForLambdasRetry() {
        IntegratingNotifier notifier = new IntegratingNotifier(n -> {
            throw new Refused("sns:Publish failed");
        }, List.of(integration("chat", () -> { })));

        assertThatThrownBy(() -> notifier.publish(notification)).isInstanceOf(CallFailedException.class);
    }
}
