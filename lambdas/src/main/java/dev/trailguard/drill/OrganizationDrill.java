package dev.trailguard.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.config.MemberDrills;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Severity;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organization hub's drill (issue 16 item 5): on its daily schedule, the day's {@link DrillRotation} sample of the
 * active accounts under the guarded OUs; on demand, exactly the accounts the event names
 * ({@code {"drillAccounts": ["111122223333"]}}). For each, the canary of that account is stopped through that
 * account's drill role; everything after that is the real path through the member's forwarding rules and the hub. One
 * account failing (its role not assumable, its canary missing) is a HIGH notification naming it, and the others are
 * drilled all the same.
 */
final class OrganizationDrill {

    /** The on-demand event's field: the accounts to drill now, instead of the day's sample. */
    static final String ACCOUNTS_FIELD = "drillAccounts";
    private static final int MAX_ON_DEMAND = 20;
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(OrganizationDrill.class);

    private final DrillSetup drill;
    private final FireDrillService single;
    private final String partition;
    private final MemberDrills members;

    OrganizationDrill(DrillSetup drill, FireDrillService single, String partition) {
        this.drill = drill;
        this.single = single;
        this.partition = partition;
        this.members = drill.config().members();
    }

    Outcome handle(byte[] event, Instant at, String eventId) {
        List<String> requested;
        try {
            requested = requested(event);
        } catch (IllegalArgumentException e) {
            // Only an operator's own invocation names accounts: the answer goes back to them, nothing is stopped.
            LOG.warn("Fire drill request refused: {}", e.getMessage());
            return Outcome.of("DRILL_REQUEST_INVALID", eventId).note(e.getMessage()).build();
        }
        List<String> accounts;
        String how;
        if (requested != null) {
            accounts = requested;
            how = "on demand";
        } else {
            List<String> active;
            try {
                active = drill.accounts().activeAccounts();
            } catch (CallFailedException e) {
                return notListed(eventId, at, e);
            }
            long day = LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay();
            accounts = DrillRotation.sample(active, members.accountsPerDay(), day);
            how = "day " + day + ": " + accounts.size() + " of " + new LinkedHashSet<>(active).size()
                    + " active account(s)";
            if (accounts.isEmpty()) {
                return noAccounts(eventId);
            }
        }
        LOG.info("Fire drill in {} account(s) ({}): {}", accounts.size(), how, accounts);
        List<Outcome> items = new ArrayList<>();
        for (String account : accounts) {
            items.add(single.stop(members.canaryArn(partition, account), eventId, at,
                    members.drillRoleArn(partition, account)).build());
        }
        long started = items.stream().filter(i -> "DRILL_STARTED".equals(i.outcome())).count();
        String outcome = started == items.size() ? "DRILLS_STARTED"
                : started == 0 ? "DRILL_NOT_STARTED" : "DRILLS_PARTLY_STARTED";
        Outcome.Builder out = Outcome.of(outcome, eventId).note(how + "; canaries stopped in " + started + " of "
                + items.size());
        if (started < items.size()) {
            out.severity(Severity.HIGH.name());
        }
        items.forEach(out::item);
        return out.build();
    }

    /** The accounts an on-demand event names, or null for the schedule (no such field). */
    static List<String> requested(byte[] event) {
        JsonNode tree;
        try {
            tree = event == null || event.length == 0 ? null : JSON.readTree(event);
        } catch (IOException e) {
            return null;
        }
        if (tree == null || !tree.has(ACCOUNTS_FIELD)) {
            return null;
        }
        JsonNode list = tree.get(ACCOUNTS_FIELD);
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_ON_DEMAND) {
            throw new IllegalArgumentException(ACCOUNTS_FIELD + " must list 1 to " + MAX_ON_DEMAND
                    + " account ids");
        }
        LinkedHashSet<String> accounts = new LinkedHashSet<>();
        for (JsonNode id : list) {
            if (!id.isTextual() || !ACCOUNT.matcher(id.asText()).matches()) {
                throw new IllegalArgumentException(ACCOUNTS_FIELD + " must hold 12-digit account ids as strings, had "
                        + id);
            }
            accounts.add(id.asText());
        }
        return List.copyOf(accounts);
    }

    private Outcome notListed(String eventId, Instant at, CallFailedException e) {
        LOG.error("Fire drill could not list the member accounts: {}", e.getMessage());
        Notification n = Notification.builder(Severity.HIGH, "DRILL_NOT_STARTED")
                .eventTime(at.toString())
                .detectedBy(DrillReport.DETECTED_BY)
                .headline("Fire drill not run: the member accounts could not be listed")
                .summary("The organization's fire drill could not list the accounts of the guarded OUs ("
                        + e.getMessage() + "), so no member was drilled today. The hub's FireDrill role needs "
                        + "organizations:ListAccountsForParent and ListOrganizationalUnitsForParent as delegated "
                        + "administrator. Drill an account by hand meanwhile: see docs/organization.md.")
                .action(new Notification.Action("DRILL_NOT_STARTED", "Nothing stopped.", null, null))
                .detail("Guarded parents", String.join(", ", members.parentIds()))
                .detail("Failed call", e.action())
                .detail("Error", e.errorCode())
                .build();
        return Outcome.of("DRILL_NOT_STARTED", eventId).severity(n.severity().name())
                .messageId(single.notifier().publish(n)).note(e.getMessage()).build();
    }

    private Outcome noAccounts(String eventId) {
        Notification n = Notification.builder(Severity.MEDIUM, "DRILL_NOT_STARTED")
                .detectedBy(DrillReport.DETECTED_BY)
                .headline("Fire drill not run: no active account under the guarded OUs")
                .summary("The organization's fire drill found no active account under " + String.join(", ",
                        members.parentIds()) + ", so nothing was drilled. Check the context memberOrganizationalUnitIds.")
                .action(new Notification.Action("DRILL_NOT_STARTED", "Nothing stopped.", null, null))
                .build();
        return Outcome.of("DRILL_NOT_STARTED", eventId).severity(n.severity().name())
                .messageId(single.notifier().publish(n)).note("no active account").build();
    }
}
