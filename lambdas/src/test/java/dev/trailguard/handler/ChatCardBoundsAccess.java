package dev.trailguard.handler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@link ChatCardBounds} for tests in other packages. */
public final class ChatCardBoundsAccess {

    private ChatCardBoundsAccess() {
    }

    public static List<String> violations(JsonNode card) {
        return ChatCardBounds.violations("card", card);
    }
}
