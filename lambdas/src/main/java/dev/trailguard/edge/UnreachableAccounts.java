package dev.trailguard.edge;

import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports an event from a member account that the organization hub cannot reach: the member role could not be
 * assumed, so nothing could be read or started there. CRITICAL: until it is fixed, that account is unguarded.
 */
public final class UnreachableAccounts {

    public static final String KIND = "MEMBER_UNREACHABLE";

    private static final Logger LOG = LoggerFactory.getLogger(UnreachableAccounts.class);

    private UnreachableAccounts() {
    }

    /**
     * Publishes a CRITICAL {@value #KIND} notification naming the account and the role.
     *
     * @param notifier where to publish (the hub's topic)
     * @param account  the member account
     * @param roleArn  the role that could not be assumed
     * @param e        the failed {@code sts:AssumeRole}
     * @param envelope the event from that account
     */
    public static Outcome publish(Notifier notifier, String account, String roleArn, CallFailedException e,
                                  EventEnvelope envelope) {
        LOG.error("Cannot reach member account {} with {}: {}", account, roleArn, e.getMessage());
        Notification n = Notification.builder(Severity.CRITICAL, KIND)
                .headline("TrailGuard cannot reach account " + account)
                .summary("An event from account " + account + " (" + envelope.detailType() + ") arrived, but "
                        + "TrailGuard could not assume its member role " + roleArn + " (" + e.errorCode() + "), so "
                        + "it could neither check nor repair anything there: that account is unguarded until this is "
                        + "fixed. Either the account is not onboarded yet (the TrailGuardMembers stack sets have not "
                        + "reached it), its role was deleted or changed, or an SCP denies sts:AssumeRole.")
                .account(account)
                .region(envelope.region())
                .eventName(envelope.detailType())
                .eventId(envelope.id())
                .eventTime(envelope.time())
                .action(new Notification.Action(KIND, "Nothing done in the account: " + e.getMessage(), null,
                        null))
                .detail("Member role", roleArn)
                .detail("Failed call", e.action())
                .detail("Error", e.errorCode())
                .build();
        return Outcome.of(KIND, envelope.id()).severity(n.severity().name()).messageId(notifier.publish(n))
                .note(e.getMessage()).build();
    }
}
