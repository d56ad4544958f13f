package dev.trailguard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The repository's sample events (top-level {@code events/}, copied onto the test classpath by the build). */
public final class Events {

    private Events() {
    }

    /** The bytes of {@code events/<path>}, for example {@code cloudtrail/stop-logging.json}. */
    public static byte[] load(String path) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event events/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
