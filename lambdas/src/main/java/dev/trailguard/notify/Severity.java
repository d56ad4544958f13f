package dev.trailguard.notify;

/** How urgently a person should look. Subscribers can filter on it (message attribute {@code severity}). */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL
}
