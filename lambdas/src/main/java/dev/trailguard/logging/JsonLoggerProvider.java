package dev.trailguard.logging;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * TrailGuard's SLF4J backend: one JSON object per line on stderr, with the MDC as {@code context}. It replaces
 * Log4j2, whose start-up (about 770 classes and its plugin scan) cost a measurable share of every cold start for
 * a feature set these functions do not use. Levels: {@code TRAILGUARD_LOG_LEVEL} (default INFO) for TrailGuard,
 * never below WARN for the AWS SDK unless {@code TRAILGUARD_SDK_LOG_LEVEL} says otherwise, so the SDK's wire logs
 * (which can carry request details) stay off by default.
 */
public final class JsonLoggerProvider implements SLF4JServiceProvider, ILoggerFactory {

    /** The SLF4J API version this provider is written against. */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private static volatile Settings settings = Settings.fromEnvironment();
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /**
     * Where and how much to log.
     *
     * @param root TrailGuard's level
     * @param sdk  the AWS SDK's level
     * @param sink where the lines go
     */
    public record Settings(Level root, Level sdk, PrintStream sink) {

        static Settings fromEnvironment() {
            Level root = level(System.getProperty("trailguard.log.level", System.getenv("TRAILGUARD_LOG_LEVEL")),
                    Level.INFO);
            Level sdkDefault = root.toInt() > Level.WARN.toInt() ? root : Level.WARN;
            Level sdk = level(System.getenv("TRAILGUARD_SDK_LOG_LEVEL"), sdkDefault);
            return new Settings(root, sdk, System.err);
        }

        private static Level level(String raw, Level fallback) {
            if (raw == null || raw.isBlank()) {
                return fallback;
            }
            try {
                return Level.valueOf(raw.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return fallback;
            }
        }
    }

    /**
     * Runs {@code work} with this thread's log lines rendered as usual but not written. SnapStart priming repeats its
     * sample events so that the JIT compiles the event path before the snapshot; only its first round is logged.
     */
    public static void quietly(Runnable work) {
        boolean before = QUIET.get();
        QUIET.set(true);
        try {
            work.run();
        } finally {
            QUIET.set(before);
        }
    }

    static boolean quiet() {
        return QUIET.get();
    }

    /** The settings in force. */
    public static Settings settings() {
        return settings;
    }

    /** Replaces the settings (tests capture the output this way); returns the previous ones. */
    public static Settings configure(Settings replacement) {
        Settings previous = settings;
        settings = replacement;
        return previous;
    }

    static boolean enabled(String loggerName, Level level) {
        Settings s = settings;
        Level threshold = loggerName.startsWith("software.amazon.awssdk") ? s.sdk() : s.root();
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, mdc));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return this;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
        // Nothing to load: settings are read once when the class initialises.
    }
}
