package dev.trailguard.tamper;

import dev.trailguard.core.Outcome;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call made with TrailGuard's automation role that TrailGuard did not start ({@link LoopGuard}). It is answered as
 * any other tamper call, and every notification of that answer is escalated: CRITICAL, kind
 * {@code AUTOMATION_ROLE_BORROWED} (or {@code AUTOMATION_ROLE_UNVERIFIED} when the execution could not be looked
 * up), with what the loop guard found. Built per such event, so it holds no state across events.
 */
final class BorrowedRole implements Notifier {

    private final Notifier delegate;
    private final LoopGuard.Verdict verdict;

    BorrowedRole(Notifier delegate, LoopGuard.Verdict verdict) {
        this.delegate = delegate;
        this.verdict = verdict;
    }

    @Override
    public String publish(Notification n) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Loop guard", verdict.reason());
        details.putAll(verdict.findings());
        details.putAll(n.details());
        String lead = verdict.kind() == LoopGuard.Kind.UNVERIFIED ? "Automation role unverified: "
                : "Automation role borrowed: ";
        String summary = n.summary() + " The call was made with TrailGuard's automation role, but "
                + verdict.reason() + ". Whoever did it can run documents as that role: treat it as tampering, "
                + "find who started the execution and deny them iam:PassRole and ssm:StartAutomationExecution.";
        return delegate.publish(new Notification(Severity.CRITICAL, verdict.incidentKind(),
                lead + n.headline(), summary, n.account(), n.region(), n.eventName(), n.eventId(), n.eventTime(),
                n.actor(), n.trail(), n.action(), details, n.detectedBy(), n.loggingGap(), n.accountContext()));
    }

    /** The outcome with the escalated severity and the loop guard's reason. */
    Outcome outcome(Outcome o) {
        List<String> notes = new ArrayList<>(o.notes());
        notes.add(verdict.incidentKind().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                + verdict.reason());
        return new Outcome(o.outcome(), o.eventId(), o.trailArn(), o.homeRegion(), o.executionId(), o.clientToken(),
                o.messageId() != null ? Severity.CRITICAL.name() : o.severity(), o.messageId(), o.dryRun(), notes,
                o.items());
    }
}
