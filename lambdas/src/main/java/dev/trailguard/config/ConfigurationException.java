package dev.trailguard.config;

/** Thrown at start-up when an environment variable is missing or malformed; the message names it. */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
