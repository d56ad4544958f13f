package dev.trailguard.handler;

import dev.trailguard.core.Dependencies;
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
    }

    private Functions() {
    }

    /** The names, in a stable order. */
    public static Iterable<String> names() {
        return FUNCTIONS.keySet();
    }

    /** The factory for a name, or null if there is no such function. */
    public static Function<Dependencies, EventFunction> factory(String name) {
        return FUNCTIONS.get(name);
    }
}
