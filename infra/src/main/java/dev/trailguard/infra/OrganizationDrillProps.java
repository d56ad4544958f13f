package dev.trailguard.infra;

import dev.trailguard.contract.Environment;

/**
 * The organization hub's fire drills in its member accounts (issue 16 item 5), from CDK context.
 *
 * @param enabled         every member account gets the canary trail (its own stack set, hub region only) and the
 *                        drill role, and the hub the daily drill and the alarm (context {@code organizationFireDrill},
 *                        default true: see docs/organization.md, "Fire drills in member accounts")
 * @param accountsPerDay  how many accounts the daily drill picks, in rotation (context {@code drillAccountsPerDay},
 *                        default {@value Environment#DEFAULT_DRILL_ACCOUNTS_PER_DAY})
 * @param targetSeconds   a drill restored within this is INFO, later HIGH (context {@code fireDrillTargetSeconds}, as
 *                        in single-account mode)
 * @param deadlineMinutes a canary stopped this long is CRITICAL and alarms (context {@code fireDrillDeadlineMinutes})
 */
public record OrganizationDrillProps(boolean enabled, int accountsPerDay, int targetSeconds, int deadlineMinutes) {

    /** Daily: the rotation counts days, so every account is drilled within ceil(N / accountsPerDay) days. */
    public static final String SCHEDULE = "rate(1 day)";
    /** At most this many a day: each drill is a real StopLogging, restart and notification in that account. */
    public static final int MAX_ACCOUNTS_PER_DAY = 50;

    public OrganizationDrillProps {
        if (accountsPerDay < 1 || accountsPerDay > MAX_ACCOUNTS_PER_DAY) {
            throw new IllegalArgumentException("drillAccountsPerDay must be 1 to " + MAX_ACCOUNTS_PER_DAY + ", was "
                    + accountsPerDay);
        }
        // the same bounds as the single account's
        new FireDrillProps(true, FireDrillProps.DEFAULT_SCHEDULE, targetSeconds, deadlineMinutes);
    }

    /** Defaults: on, {@value Environment#DEFAULT_DRILL_ACCOUNTS_PER_DAY} accounts a day. */
    public static OrganizationDrillProps defaults() {
        return new OrganizationDrillProps(true, Environment.DEFAULT_DRILL_ACCOUNTS_PER_DAY,
                Environment.DEFAULT_DRILL_TARGET_SECONDS, Environment.DEFAULT_DRILL_DEADLINE_MINUTES);
    }

    static OrganizationDrillProps fromContext(ContextValues context) {
        return new OrganizationDrillProps(context.flag("organizationFireDrill", true),
                context.integer("drillAccountsPerDay", Environment.DEFAULT_DRILL_ACCOUNTS_PER_DAY),
                context.integer("fireDrillTargetSeconds", Environment.DEFAULT_DRILL_TARGET_SECONDS),
                context.integer("fireDrillDeadlineMinutes", Environment.DEFAULT_DRILL_DEADLINE_MINUTES));
    }
}
