package dev.trailguard.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a {@link Notification} as an AWS Security Finding Format (ASFF) finding for {@code BatchImportFindings}
 * with the account's default product ({@code product/<account>/default}). Bounds follow the ASFF reference: Title 256,
 * Description 1,024, Remediation text 512, ProductFields at most 50 entries of 128-character keys and 2,048-character
 * values. The committed JSON Schema {@code docs/schema/asff-required-subset.schema.json} checks what this produces.
 *
 * <p>Updates: {@code BatchImportFindings} replaces the finding with the same {@code Id}. Security Hub takes
 * {@code Workflow} from the provider only when the finding is created; after that the workflow belongs to the
 * security team ({@code BatchUpdateFindings}). So a verified restore is sent as {@code Workflow.Status RESOLVED}
 * (honoured when the restore is the first TrailGuard reports of the incident) and {@code RecordState ARCHIVED}, which
 * Security Hub always takes from the provider: the finding leaves the active views, and a later incident on the trail
 * makes it {@code ACTIVE} again, which resets its workflow to {@code NEW}. Severity and Types go in
 * {@code FindingProviderFields} as well, the place from which a provider may update them.
 */
public final class SecurityHubFinding {

    public static final String SCHEMA_VERSION = "2018-10-08";
    static final int MAX_TITLE = 256;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_RECOMMENDATION = 512;
    static final int MAX_PRODUCT_FIELDS = 50;
    static final int MAX_PRODUCT_FIELD_VALUE = 2048;

    /** Results that close the incident: the runbook succeeded and TrailGuard verified the trail afterwards. */
    static final Set<String> VERIFIED_RESTORES = Set.of("LOGGING_RESTORED", "TRAIL_RESTORED", "TRAIL_RECREATED");
    /** Kinds about someone's change to a trail: an adversary's technique (ASFF's TTPs namespace). */
    private static final Set<String> TAMPERING = Set.of("LOGGING_STOPPED", "TRAIL_DELETED", "TRAIL_CHANGED",
            "TRAIL_WEAKENED", "ATTEMPT_BLOCKED", "NOT_STARTABLE_HERE", "AUTOMATION_ROLE_BORROWED",
            "AUTOMATION_ROLE_UNVERIFIED", "RUNBOOK_STARTED_BY_OTHER", "GUARD_TAMPERED", "GUARD_CHANGED",
            "GUARD_ATTEMPT_BLOCKED", "FORWARDING_BROKEN");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    private final ObjectMapper mapper;

    public SecurityHubFinding(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The finding.
     *
     * @param n          the notification
     * @param productArn {@code arn:<partition>:securityhub:<region>:<account>:product/<account>/default}
     * @param account    the importing account (Security Hub requires {@code AwsAccountId} to be the caller's own for
     *                   the default product; in the organization hub the member account is in the resource and in
     *                   {@code ProductFields})
     * @param region     the importing region
     * @param now        the update time
     */
    public ObjectNode finding(Notification n, String productArn, String account, String region, Instant now) {
        ObjectNode f = mapper.createObjectNode();
        f.put("SchemaVersion", SCHEMA_VERSION);
        f.put("Id", IncidentId.of(n));
        f.put("ProductArn", productArn);
        f.put("ProductName", "TrailGuard");
        f.put("CompanyName", "TrailGuard");
        f.put("GeneratorId", "TrailGuard/" + Text.asciiLine(n.detectedBy() == null ? "TrailGuard" : n.detectedBy(), 64));
        f.put("AwsAccountId", account);
        f.put("Region", region);
        String type = type(n);
        f.putArray("Types").add(type);
        Instant observed = observed(n, now);
        f.put("FirstObservedAt", observed.toString());
        f.put("LastObservedAt", observed.toString());
        f.put("CreatedAt", observed.toString());
        f.put("UpdatedAt", now.toString());
        ObjectNode severity = f.putObject("Severity");
        severity.put("Label", label(n.severity()));
        severity.put("Original", n.severity().name());
        ObjectNode provider = f.putObject("FindingProviderFields");
        provider.putObject("Severity").put("Label", label(n.severity())).put("Original", n.severity().name());
        provider.putArray("Types").add(type);
        f.put("Title", Text.line("TrailGuard: " + n.headline(), MAX_TITLE));
        f.put("Description", Text.line(n.summary(), MAX_DESCRIPTION));
        ObjectNode recommendation = f.putObject("Remediation").putObject("Recommendation");
        recommendation.put("Text", Text.line(recommendation(n), MAX_RECOMMENDATION));
        resources(f.putArray("Resources"), n, region);
        f.set("ProductFields", productFields(n));
        if (n.actor() != null && n.eventName() != null && "CloudTrailEvent".equals(n.detectedBy())) {
            ObjectNode call = f.putObject("Action").put("ActionType", "AWS_API_CALL").putObject("AwsApiCallAction");
            call.put("Api", Text.asciiLine(n.eventName(), 128));
            call.put("ServiceName", "cloudtrail.amazonaws.com");
            call.put("CallerType", "remoteIp");
            String ip = n.actor().sourceIp();
            if (ip != null && IPV4.matcher(ip).matches()) {
                call.putObject("RemoteIpDetails").put("IpAddressV4", ip);
            }
        }
        Map<String, String> links = NotificationRenderer.consoleLinks(n);
        if (links.containsKey("Trail")) {
            f.put("SourceUrl", links.get("Trail"));
        }
        boolean restored = VERIFIED_RESTORES.contains(n.kind());
        f.put("RecordState", restored ? "ARCHIVED" : "ACTIVE");
        f.putObject("Workflow").put("Status", restored ? "RESOLVED" : "NEW");
        return f;
    }

    /** TrailGuard's severity as an ASFF severity label. */
    static String label(Severity severity) {
        return severity == Severity.INFO ? "INFORMATIONAL" : severity.name();
    }

    /** {@code Namespace/Category/Classifier}: tampering is defense evasion; the rest is a configuration check. */
    static String type(Notification n) {
        String classifier = Text.asciiLine(n.kind(), 128);
        return TAMPERING.contains(n.kind()) ? "TTPs/Defense Evasion/" + classifier
                : "Software and Configuration Checks/AWS Security Best Practices/" + classifier;
    }

    private static Instant observed(Notification n, Instant now) {
        if (n.eventTime() != null) {
            try {
                return Instant.parse(n.eventTime());
            } catch (DateTimeParseException e) {
                // SSM's status events carry a non-ISO time; the import time stands in.
            }
        }
        return now;
    }

    private static String recommendation(Notification n) {
        String fix = n.details().get("Fix");
        if (fix != null) {
            return fix;
        }
        if (VERIFIED_RESTORES.contains(n.kind())) {
            return "TrailGuard restored the trail and verified it. Find out who changed it (ProductFields "
                    + "trailguard/actor/*) and remove their permission to change trails; query the unrecorded window "
                    + "from the notification's details.";
        }
        return "Read the TrailGuard notification for this event (ProductFields trailguard/eventId): it says what "
                + "TrailGuard did and what is left to do. If the trail is not logging, start it in its home region.";
    }

    private static void resources(ArrayNode resources, Notification n, String region) {
        if (n.trail() != null && n.trail().arn() != null && n.trail().arn().startsWith("arn:")) {
            ObjectNode trail = resources.addObject();
            trail.put("Type", "AwsCloudTrailTrail");
            trail.put("Id", Text.asciiLine(n.trail().arn(), 512));
            trail.put("Partition", n.trail().arn().split(":", 3)[1]);
            trail.put("Region", Text.asciiLine(n.trail().homeRegion() != null ? n.trail().homeRegion() : region, 32));
            return;
        }
        ObjectNode account = resources.addObject();
        account.put("Type", "AwsAccount");
        account.put("Id", "AWS::::Account:" + (n.account() == null ? "unknown" : Text.asciiLine(n.account(), 12)));
        account.put("Region", Text.asciiLine(n.region() != null ? n.region() : region, 32));
    }

    private ObjectNode productFields(Notification n) {
        ObjectNode fields = mapper.createObjectNode();
        field(fields, "ProviderName", "TrailGuard");
        field(fields, "trailguard/schemaVersion", Notification.SCHEMA_VERSION);
        field(fields, "trailguard/kind", n.kind());
        field(fields, "trailguard/severity", n.severity().name());
        if (n.action() != null) {
            field(fields, "trailguard/outcome", n.action().outcome());
            field(fields, "trailguard/action", n.action().description());
            field(fields, "trailguard/executionId", n.action().executionId());
        }
        field(fields, "trailguard/detectedBy", n.detectedBy());
        field(fields, "trailguard/account", n.account());
        if (n.accountContext() != null) {
            field(fields, "trailguard/accountName", n.accountContext().name());
            field(fields, "trailguard/organizationalUnit", n.accountContext().organizationalUnit());
        }
        field(fields, "trailguard/region", n.region());
        field(fields, "trailguard/eventName", n.eventName());
        field(fields, "trailguard/eventId", n.eventId());
        field(fields, "trailguard/eventTime", n.eventTime());
        if (n.trail() != null) {
            field(fields, "trailguard/trail", n.trail().name());
        }
        if (n.actor() != null) {
            field(fields, "trailguard/actor/principalArn", n.actor().principalArn());
            field(fields, "trailguard/actor/type", n.actor().type());
            field(fields, "trailguard/actor/sessionIssuerArn", n.actor().sessionIssuerArn());
            field(fields, "trailguard/actor/sourceIPAddress", n.actor().sourceIp());
            field(fields, "trailguard/actor/userAgent", n.actor().userAgent());
        }
        if (n.loggingGap() != null) {
            field(fields, "trailguard/loggingGapSeconds", Long.toString(n.loggingGap().seconds()));
        }
        for (Map.Entry<String, String> e : n.details().entrySet()) {
            field(fields, "trailguard/details/" + e.getKey(), e.getValue());
        }
        return fields;
    }

    private static void field(ObjectNode fields, String key, String value) {
        if (value == null || value.isBlank() || fields.size() >= MAX_PRODUCT_FIELDS) {
            return;
        }
        // Keys in the style of AWS's own (aws/guardduty/...): no spaces or punctuation from detail labels.
        fields.put(Text.asciiLine(key, 128).replaceAll("[^A-Za-z0-9/_.-]", "_"),
                Text.line(value, MAX_PRODUCT_FIELD_VALUE));
    }
}
