package dev.trailguard.handler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The chat card's required shape and TrailGuard's bounds (notify.ChatCard), checked on the wire's bytes. */
final class ChatCardBounds {

    private ChatCardBounds() {
    }

    static List<String> violations(String run, JsonNode card) {
        List<String> problems = new ArrayList<>();
        JsonNode content = card.path("content");
        require(problems, run, "version 1.0", "1.0".equals(card.path("version").asText()));
        require(problems, run, "source custom", "custom".equals(card.path("source").asText()));
        require(problems, run, "textType client-markdown", "client-markdown".equals(content.path("textType").asText()));
        require(problems, run, "title of 1-250", between(content.path("title"), 1, 250));
        require(problems, run, "description of 1-2800", between(content.path("description"), 1, 2800));
        require(problems, run, "at most 5 next steps", content.path("nextSteps").isArray()
                && content.path("nextSteps").size() <= 5);
        content.path("nextSteps").forEach(s -> require(problems, run, "next step of 1-400", between(s, 1, 400)));
        require(problems, run, "1-6 keywords", content.path("keywords").isArray()
                && content.path("keywords").size() >= 1 && content.path("keywords").size() <= 6);
        content.path("keywords").forEach(k -> require(problems, run, "keyword of 1-64", between(k, 1, 64)));
        require(problems, run, "a threadId", between(card.path("metadata").path("threadId"), 1, 512));
        String text = content.path("title").asText() + content.path("description").asText()
                + content.path("nextSteps").toString();
        require(problems, run, "no angle bracket (a Slack mention or link)", !text.contains("<") && !text.contains(">"));
        return problems;
    }

    private static boolean between(JsonNode text, int min, int max) {
        return text.isTextual() && text.asText().length() >= min && text.asText().length() <= max;
    }

    private static void require(List<String> problems, String run, String what, boolean ok) {
        if (!ok) {
            problems.add(run + ": chat card needs " + what);
        }
    }
}
