package dev.trailguard.handler;

import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.TrailGuardConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Every TrailGuard function by name: the local invoke's registry. One line per function. */
public final class Functions {

    private static final Map<String, Function<Dependencies, EventFunction>> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put(TamperResponder.NAME, TamperResponder::new);
        FUNCTIONS.put(ComplianceResponder.NAME, ComplianceResponder::new);
        FUNCTIONS.put(RemediationReporter.NAME, RemediationReporter::new);
        FUNCTIONS.put(TrailSweeper.NAME, TrailSweeper::new);
        FUNCTIONS.put(FireDrill.NAME, FireDrill::new);
    }

    private Functions() {
    }

    /** The names, in a stable order. */
    public static Iterable<String> names() {
        return FUNCTIONS.keySet();
    }

    /**
     * The function of that name wired to the real AWS adapters over {@code clients} (SnapStart priming's twin), or
     * null if there is no such function.
     */
    public static EventFunction twin(String name, TrailGuardConfig config, AwsClients clients) {
        Function<Dependencies, EventFunction> factory = factory(name);
        return factory == null ? null : factory.apply(Dependencies.live(config, clients));
    }

    /** The factory for a name, or null if there is no such function. */
    public static Function<Dependencies, EventFunction> factory(String name) {
        return FUNCTIONS.get(name);
    }
}
