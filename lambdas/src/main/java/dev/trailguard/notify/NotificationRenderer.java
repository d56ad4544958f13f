package dev.trailguard.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a {@link Notification}: a one-line subject (at most 100 printable ASCII characters, as SNS requires), a
 * phone-friendly text of short labelled lines, and a JSON document for machines. Every value from an event is
 * cleaned and bounded here, whatever the caller passed.
 */
public final class NotificationRenderer {

    /** SNS rejects subjects of 100 characters or more. */
    public static final int MAX_SUBJECT = 99;
    static final int MAX_FIELD = 512;
    static final int MAX_DETAIL = 1024;
    static final int MAX_DETAILS = 30;

    private final ObjectMapper mapper;

    public NotificationRenderer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The e-mail subject: severity and headline. */
    public String subject(Notification n) {
        return Text.asciiLine("[" + n.severity() + "] TrailGuard: " + n.headline(), MAX_SUBJECT);
    }

    /** The text for e-mail and other human readers. */
    public String text(Notification n) {
        StringBuilder out = new StringBuilder(1024);
        out.append(Text.line(n.headline(), MAX_FIELD)).append("\n\n");
        out.append(Text.line(n.summary(), 2 * MAX_FIELD)).append("\n\n");
        label(out, "Severity", n.severity().name());
        label(out, "Found by", describeDetector(n.detectedBy()));
        if (n.loggingGap() != null) {
            label(out, "Not recorded", duration(n.loggingGap().seconds()) + " (" + n.loggingGap().stoppedAt()
                    + " to " + n.loggingGap().restartedAt() + ")");
        }
        if (n.trail() != null) {
            label(out, "Trail", n.trail().arn());
            label(out, "Home region", n.trail().homeRegion());
            if (n.trail().organization()) {
                label(out, "Organization", "yes (organization trail)");
            }
        }
        label(out, "Event", n.eventName());
        label(out, "When", n.eventTime());
        label(out, "Account", n.account());
        if (n.accountContext() != null) {
            label(out, "Account name", n.accountContext().name());
            label(out, "Organizational unit", n.accountContext().organizationalUnit());
        }
        label(out, "Region", n.region());
        Notification.Actor a = n.actor();
        if (a != null) {
            label(out, "Who", a.principalArn());
            label(out, "Identity type", a.type());
            label(out, "Via role", a.sessionIssuerArn());
            label(out, "Principal account", a.accountId());
            label(out, "Invoked by", a.invokedBy());
            label(out, "Source IP", a.sourceIp());
            label(out, "User agent", a.userAgent());
        }
        Notification.Action action = n.action();
        if (action != null) {
            label(out, "TrailGuard did", action.description());
            label(out, "Execution", action.executionId());
        }
        int shown = 0;
        for (Map.Entry<String, String> e : n.details().entrySet()) {
            if (shown++ == MAX_DETAILS) {
                label(out, "More", (n.details().size() - MAX_DETAILS) + " further details in the JSON document");
                break;
            }
            out.append(Text.line(e.getKey(), 64)).append(": ").append(Text.line(e.getValue(), MAX_DETAIL))
                    .append('\n');
        }
        label(out, "Event id", n.eventId());
        Map<String, String> links = links(n);
        if (!links.isEmpty()) {
            out.append("\nLinks\n");
            links.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        }
        return out.toString();
    }

    /** The JSON document for machine subscribers (SQS, Lambda, HTTPS, email-json). */
    public ObjectNode json(Notification n) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schemaVersion", Notification.SCHEMA_VERSION);
        root.put("source", "trailguard");
        root.put("severity", n.severity().name());
        root.put("kind", n.kind());
        root.put("headline", Text.line(n.headline(), MAX_FIELD));
        root.put("summary", Text.line(n.summary(), 2 * MAX_FIELD));
        put(root, "account", n.account());
        if (n.accountContext() != null) {
            put(root, "accountName", n.accountContext().name());
            put(root, "organizationalUnit", n.accountContext().organizationalUnit());
        }
        put(root, "region", n.region());
        put(root, "eventName", n.eventName());
        put(root, "eventId", n.eventId());
        put(root, "eventTime", n.eventTime());
        put(root, "detectedBy", n.detectedBy());
        if (n.loggingGap() != null) {
            ObjectNode gap = root.putObject("loggingGap");
            gap.put("stoppedAt", n.loggingGap().stoppedAt().toString());
            gap.put("restartedAt", n.loggingGap().restartedAt().toString());
            gap.put("seconds", n.loggingGap().seconds());
        }
        if (n.actor() != null) {
            ObjectNode actor = root.putObject("actor");
            Notification.Actor a = n.actor();
            put(actor, "principalArn", a.principalArn());
            put(actor, "type", a.type());
            put(actor, "accountId", a.accountId());
            put(actor, "sessionIssuerArn", a.sessionIssuerArn());
            put(actor, "invokedBy", a.invokedBy());
            put(actor, "sourceIPAddress", a.sourceIp());
            put(actor, "userAgent", a.userAgent());
        }
        if (n.trail() != null) {
            ObjectNode trail = root.putObject("trail");
            put(trail, "arn", n.trail().arn());
            put(trail, "name", n.trail().name());
            put(trail, "homeRegion", n.trail().homeRegion());
            trail.put("organization", n.trail().organization());
        }
        if (n.action() != null) {
            ObjectNode action = root.putObject("action");
            put(action, "outcome", n.action().outcome());
            put(action, "description", n.action().description());
            put(action, "executionId", n.action().executionId());
            put(action, "executionRegion", n.action().executionRegion());
        }
        ObjectNode details = root.putObject("details");
        int count = 0;
        for (Map.Entry<String, String> e : n.details().entrySet()) {
            if (count++ == 4 * MAX_DETAILS) {
                break;
            }
            details.put(Text.line(e.getKey(), 64), Text.line(e.getValue(), MAX_DETAIL));
        }
        ObjectNode links = root.putObject("links");
        links(n).forEach(links::put);
        return root;
    }

    /**
     * The SNS message for {@code MessageStructure=json}: e-mail gets the text, SMS the subject, and every other
     * protocol (SQS, Lambda, HTTP/S, Firehose, email-json, and any protocol added later) falls back to {@code default},
     * the JSON document. Each form is in the message once: listing every machine protocol with its own copy of the
     * document made the message several times larger, and URL-encoding it for the Query protocol was most of the
     * handler's per-event CPU time.
     */
    public String snsMessage(Notification n) {
        ObjectNode message = mapper.createObjectNode();
        message.put("default", json(n).toString());
        message.put("email", text(n));
        message.put("sms", subject(n));
        return message.toString();
    }

    /** Message attributes for subscription filter policies. */
    public Map<String, String> attributes(Notification n) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", n.severity().name());
        attributes.put("kind", n.kind());
        putAttribute(attributes, "eventName", n.eventName());
        putAttribute(attributes, "account", n.account());
        if (n.accountContext() != null) {
            putAttribute(attributes, "organizationalUnit", n.accountContext().organizationalUnit());
        }
        putAttribute(attributes, "region", n.region());
        if (n.action() != null) {
            putAttribute(attributes, "outcome", n.action().outcome());
        }
        putAttribute(attributes, "detectedBy", n.detectedBy());
        if (n.trail() != null) {
            putAttribute(attributes, "trail", n.trail().name());
        }
        return attributes;
    }

    /** Console links to the trail and the automation execution. */
    Map<String, String> links(Notification n) {
        return consoleLinks(n);
    }

    /** Console links to the trail ({@code Trail}) and the automation execution ({@code Execution}), when known. */
    static Map<String, String> consoleLinks(Notification n) {
        Map<String, String> links = new LinkedHashMap<>();
        if (n.trail() != null && n.trail().homeRegion() != null && n.trail().arn() != null
                && n.trail().arn().startsWith("arn:")) {
            String region = Text.line(n.trail().homeRegion(), 32);
            links.put("Trail", console(n.trail().arn(), region) + "/cloudtrailv2/home?region=" + region
                    + "#/trails/" + URLEncoder.encode(n.trail().arn(), StandardCharsets.UTF_8));
        }
        if (n.action() != null && n.action().executionId() != null && n.action().executionRegion() != null) {
            String region = Text.line(n.action().executionRegion(), 32);
            links.put("Execution", console(n.trail() == null ? "" : n.trail().arn(), region)
                    + "/systems-manager/automation/execution/"
                    + URLEncoder.encode(n.action().executionId(), StandardCharsets.UTF_8) + "?region=" + region);
        }
        return links;
    }

    /** A duration for people: {@code 42 s}, {@code 3 min 5 s}, {@code 2 h 0 min}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + (seconds % 3600) / 60 + " min";
    }

    private static String describeDetector(String detectedBy) {
        if (detectedBy == null) {
            return null;
        }
        return switch (detectedBy) {
            case "CloudTrailEvent" -> "CloudTrail event (immediate)";
            case "ConfigRule" -> "AWS Config rule";
            case "Sweep" -> "scheduled sweep (the event path missed it)";
            case "Automation" -> "runbook status change";
            default -> detectedBy;
        };
    }

    private static String console(String arn, String region) {
        if (arn != null && arn.startsWith("arn:aws-cn:")) {
            return "https://console.amazonaws.cn";
        }
        if (arn != null && arn.startsWith("arn:aws-us-gov:")) {
            return "https://console.amazonaws-us-gov.com";
        }
        return "https://" + region + ".console.aws.amazon.com";
    }

    private static void label(StringBuilder out, String label, String value) {
        if (value != null && !value.isBlank()) {
            out.append(label).append(": ").append(Text.line(value, MAX_FIELD)).append('\n');
        }
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, Text.line(value, MAX_FIELD));
        }
    }

    private static void putAttribute(Map<String, String> attributes, String name, String value) {
        String clean = Text.asciiLine(value, 256);
        if (!clean.isBlank()) {
            attributes.put(name, clean);
        }
    }
}
