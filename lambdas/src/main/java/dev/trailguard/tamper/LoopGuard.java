package dev.trailguard.tamper;

import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.Runbooks;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.UserIdentity;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.AutomationExecutions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a CloudTrail call is TrailGuard's own. A call by one of TrailGuard's own roles
 * ({@code TRAILGUARD_OWN_ROLE_ARNS}) is. A call by the automation role is only when it was made inside an automation
 * execution that TrailGuard itself started: SSM Automation names the role session after the execution
 * ({@code arn:<partition>:sts::<account>:assumed-role/<role>/<execution id>}), and one
 * {@code ssm:GetAutomationExecution} of that id must show one of TrailGuard's runbooks ({@link Runbooks#ALL}) started
 * by one of TrailGuard's function roles ({@code TRAILGUARD_FUNCTION_ROLE_ARNS}). Anything else made with the
 * automation role is someone borrowing it: tampering.
 */
final class LoopGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LoopGuard.class);
    /** SSM's execution ids: a UUID, 36 characters. */
    private static final Pattern EXECUTION_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Session names and ARNs are quoted at most this long. */
    private static final int MAX_QUOTE = 200;

    /** What the loop guard found. */
    enum Kind {
        /** Not one of TrailGuard's roles: handled as any other caller. */
        OTHER,
        /** TrailGuard's own call: ignored. */
        OWN,
        /** The automation role, outside any execution TrailGuard started: tampering. */
        BORROWED,
        /** The automation role, and the execution could not be looked up: treated as tampering. */
        UNVERIFIED
    }

    /**
     * The verdict on one call.
     *
     * @param kind     what was found
     * @param reason   one sentence for people, null for {@link Kind#OTHER}
     * @param findings labelled facts for the notification (execution id, document, started by, lookup error)
     */
    record Verdict(Kind kind, String reason, Map<String, String> findings) {

        Verdict {
            findings = Map.copyOf(findings);
        }

        static Verdict of(Kind kind, String reason) {
            return new Verdict(kind, reason, Map.of());
        }

        /** The notification kind of a borrowed or unverified call. */
        String incidentKind() {
            return kind == Kind.UNVERIFIED ? "AUTOMATION_ROLE_UNVERIFIED" : "AUTOMATION_ROLE_BORROWED";
        }
    }

    private final TrailGuardConfig config;
    private final AutomationExecutions executions;

    LoopGuard(TrailGuardConfig config, AutomationExecutions executions) {
        this.config = config;
        this.executions = executions;
    }

    /** The verdict on this call; at most one GetAutomationExecution, and only for calls by the automation role. */
    Verdict check(CloudTrailRecord record, String region) {
        UserIdentity who = record.userIdentity();
        if (!config.isAutomationRole(who.arn(), who.sessionIssuerArn())) {
            return config.isOwnRole(who.arn(), who.sessionIssuerArn())
                    ? Verdict.of(Kind.OWN, "one of TrailGuard's own roles") : Verdict.of(Kind.OTHER, null);
        }
        Map<String, String> findings = new LinkedHashMap<>();
        String session = sessionName(who.arn());
        findings.put("Role session", session == null ? "(none: not an assumed-role session)" : quote(session));
        if (session == null || !EXECUTION_ID.matcher(session).matches()) {
            return new Verdict(Kind.BORROWED, "the automation role was used outside any automation execution "
                    + "(its session name is not an execution id)", findings);
        }
        findings.put("Automation execution", session);
        Optional<AutomationExecution> found;
        try {
            found = executions.get(session, region);
        } catch (CallFailedException e) {
            LOG.warn("Could not look up automation execution {} in {}: {}", session, region, e.getMessage());
            findings.put("Failed call", e.action());
            findings.put("Error", e.errorCode());
            return new Verdict(Kind.UNVERIFIED, "the automation execution behind the call could not be looked up ("
                    + e.getMessage() + "), so TrailGuard cannot tell that it started it", findings);
        }
        if (found.isEmpty()) {
            return new Verdict(Kind.BORROWED, "GetAutomationExecution in " + region + " does not know execution "
                    + session, findings);
        }
        AutomationExecution execution = found.get();
        findings.put("Runbook", execution.documentName() == null ? "(unknown)" : quote(execution.documentName()));
        findings.put("Started by", execution.executedBy() == null ? "(unknown)" : quote(execution.executedBy()));
        if (!Runbooks.ALL.contains(execution.documentName())) {
            return new Verdict(Kind.BORROWED, "the automation role ran a runbook that is not TrailGuard's",
                    findings);
        }
        if (!config.isFunctionRole(execution.executedBy())) {
            return new Verdict(Kind.BORROWED, "TrailGuard's runbook was started by a principal that is not one of "
                    + "TrailGuard's functions (" + TrailGuardConfig.FUNCTION_ROLE_ARNS + ")", findings);
        }
        return new Verdict(Kind.OWN, "TrailGuard's own execution " + session, findings);
    }

    /** The session name of an assumed-role ARN, or null if it is not one. */
    static String sessionName(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !"sts".equals(parts[2]) || !parts[5].startsWith("assumed-role/")) {
            return null;
        }
        String[] resource = parts[5].split("/", 3);
        return resource.length == 3 && !resource[2].isEmpty() ? resource[2] : null;
    }

    private static String quote(String value) {
        return dev.trailguard.notify.Text.line(value, MAX_QUOTE);
    }
}
