package dev.trailguard.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Notification} as an Amazon Q Developer in chat applications custom notification ({@code version
 * 1.0}, {@code source custom}, {@code client-markdown} content), which the service turns into a Slack or Microsoft
 * Teams card. Every update of one incident carries the same {@code metadata.threadId} ({@link IncidentId}), so it
 * lands in one thread.
 *
 * <p>Values from events are attacker-controlled (a trail name, a user agent): each is one cleaned line in a code span,
 * with backticks and angle brackets replaced, so it can neither close the span nor form a Slack mention such as
 * {@code <!channel>} or a disguised link. Bounds are TrailGuard's own, under Slack's 3,000-character limit for one
 * text block: title {@value #MAX_TITLE}, description {@value #MAX_DESCRIPTION}, at most {@value #MAX_STEPS} next steps
 * of {@value #MAX_STEP} characters, at most {@value #MAX_KEYWORDS} keywords of {@value #MAX_KEYWORD}.
 */
public final class ChatCard {

    static final int MAX_TITLE = 250;
    static final int MAX_DESCRIPTION = 2800;
    static final int MAX_STEPS = 5;
    static final int MAX_STEP = 400;
    static final int MAX_KEYWORDS = 6;
    static final int MAX_KEYWORD = 64;
    private static final int MAX_VALUE = 300;

    private final ObjectMapper mapper;

    public ChatCard(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The custom notification, ready to publish as an SNS message. */
    public ObjectNode card(Notification n) {
        ObjectNode card = mapper.createObjectNode();
        card.put("version", "1.0");
        card.put("source", "custom");
        if (n.eventId() != null && !n.eventId().isBlank()) {
            card.put("id", Text.asciiLine(n.eventId(), 128));
        }
        ObjectNode content = card.putObject("content");
        content.put("textType", "client-markdown");
        content.put("title", bound(icon(n.severity()) + " [" + n.severity() + "] " + plain(n.headline()), MAX_TITLE));
        content.put("description", description(n));
        ArrayNode steps = content.putArray("nextSteps");
        nextSteps(n).stream().limit(MAX_STEPS).forEach(step -> steps.add(bound(step, MAX_STEP)));
        ArrayNode keywords = content.putArray("keywords");
        List<String> words = new ArrayList<>(List.of(n.severity().name(), n.kind()));
        if (n.eventName() != null) {
            words.add(n.eventName());
        }
        if (n.account() != null) {
            words.add(n.account());
        }
        if (n.region() != null) {
            words.add(n.region());
        }
        words.stream().limit(MAX_KEYWORDS).map(w -> Text.asciiLine(w, MAX_KEYWORD)).filter(w -> !w.isBlank())
                .forEach(keywords::add);
        ObjectNode metadata = card.putObject("metadata");
        metadata.put("threadId", IncidentId.of(n));
        metadata.put("summary", Text.asciiLine("[" + n.severity() + "] TrailGuard: " + n.headline(), 99));
        metadata.put("eventType", n.kind());
        if (n.trail() != null && n.trail().arn() != null && n.trail().arn().startsWith("arn:")) {
            metadata.putArray("relatedResources").add(Text.asciiLine(n.trail().arn(), 512));
        }
        ObjectNode context = metadata.putObject("additionalContext");
        context.put("kind", n.kind());
        if (n.action() != null && n.action().outcome() != null) {
            context.put("outcome", Text.asciiLine(n.action().outcome(), 64));
        }
        if (n.account() != null) {
            context.put("account", Text.asciiLine(n.account(), 12));
        }
        return card;
    }

    private static String description(Notification n) {
        StringBuilder out = new StringBuilder(1024);
        out.append(plain(n.summary())).append('\n');
        line(out, "Trail", n.trail() == null ? null : n.trail().arn());
        if (n.actor() != null) {
            line(out, "Who", n.actor().principalArn());
            line(out, "Via role", n.actor().sessionIssuerArn());
            line(out, "Source IP", n.actor().sourceIp());
        }
        line(out, "Action", n.eventName());
        line(out, "When", n.eventTime());
        line(out, "Account", n.account() == null ? null : n.account()
                + (n.accountContext() != null && n.accountContext().name() != null
                ? " (" + n.accountContext().name() + ")" : ""));
        line(out, "Region", n.region());
        if (n.action() != null) {
            line(out, "TrailGuard did", n.action().description());
        }
        if (n.loggingGap() != null) {
            line(out, "Not recorded", NotificationRenderer.duration(n.loggingGap().seconds()));
        }
        for (Map.Entry<String, String> e : n.details().entrySet()) {
            if (e.getKey().startsWith("Not delivered to") || e.getKey().equals("Diagnosis")) {
                line(out, e.getKey(), e.getValue());
            }
        }
        return bound(out.toString().stripTrailing(), MAX_DESCRIPTION);
    }

    private static List<String> nextSteps(Notification n) {
        List<String> steps = new ArrayList<>();
        String fix = n.details().get("Fix");
        if (fix != null) {
            steps.add(plain(fix));
        }
        NotificationRenderer.consoleLinks(n).forEach((label, url) -> steps.add("Open the " + label.toLowerCase(
                java.util.Locale.ROOT) + " in the console: " + url));
        if (n.actor() != null && n.actor().principalArn() != null && !SecurityHubFinding.VERIFIED_RESTORES.contains(
                n.kind())) {
            steps.add("Check whether " + code(n.actor().principalArn()) + " should be able to change trails");
        }
        return steps;
    }

    private static void line(StringBuilder out, String label, String value) {
        if (value != null && !value.isBlank()) {
            out.append('*').append(label).append(":* ").append(code(value)).append('\n');
        }
    }

    /** A value in a code span that it cannot leave. */
    static String code(String raw) {
        return "`" + defuse(Text.line(raw, MAX_VALUE)) + "`";
    }

    /** TrailGuard's own prose, with event values in it defused too. */
    static String plain(String raw) {
        return defuse(Text.line(raw, 2 * MAX_VALUE));
    }

    private static String defuse(String line) {
        return line.replace('`', '\'').replace('<', '\u2039').replace('>', '\u203A');
    }

    private static String bound(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int cut = max - 3;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "...";
    }

    private static String icon(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> ":rotating_light:";
            case MEDIUM -> ":warning:";
            case LOW, INFO -> ":white_check_mark:";
        };
    }
}
