package dev.trailguard.cli;

import dev.trailguard.notify.Notification;
import dev.trailguard.notify.NotificationRenderer;
import dev.trailguard.notify.Notifier;
import java.util.ArrayList;
import java.util.List;

/** Renders notifications instead of publishing them, so the local invoke can show them. */
final class DryRunNotifier implements Notifier {

    private final NotificationRenderer renderer;
    private final List<String> subjects = new ArrayList<>();

    DryRunNotifier(NotificationRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public String publish(Notification notification) {
        subjects.add(renderer.subject(notification));
        return null;
    }

    List<String> subjects() {
        return subjects;
    }
}
