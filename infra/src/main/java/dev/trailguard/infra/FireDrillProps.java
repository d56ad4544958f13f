package dev.trailguard.infra;

import dev.trailguard.contract.Environment;

/**
 * The fire drill's settings (issue 16), from CDK context.
 *
 * @param enabled         create the canary trail, the FireDrill function, its schedule and the alarm (context
 *                        {@code fireDrill}, default true in the single-account stack; the hub has none)
 * @param schedule        when the drill runs (context {@code fireDrillSchedule}, an EventBridge schedule expression,
 *                        default {@value #DEFAULT_SCHEDULE})
 * @param targetSeconds   a drill restored within this is INFO, later HIGH (context {@code fireDrillTargetSeconds})
 * @param deadlineMinutes a canary stopped this long is CRITICAL and alarms (context {@code fireDrillDeadlineMinutes})
 */
public record FireDrillProps(boolean enabled, String schedule, int targetSeconds, int deadlineMinutes) {

    public static final String DEFAULT_SCHEDULE = "rate(7 days)";
    public static final String CANARY_TRAIL_NAME = Environment.CANARY_TRAIL_NAME;

    public FireDrillProps {
        if (schedule == null || !(schedule.startsWith("rate(") || schedule.startsWith("cron("))
                || !schedule.endsWith(")")) {
            throw new IllegalArgumentException("fireDrillSchedule must be rate(...) or cron(...), was " + schedule);
        }
        if (targetSeconds < 1 || deadlineMinutes < 1) {
            throw new IllegalArgumentException("fireDrillTargetSeconds and fireDrillDeadlineMinutes must be positive");
        }
        if (targetSeconds >= deadlineMinutes * 60) {
            throw new IllegalArgumentException("fireDrillTargetSeconds (" + targetSeconds + ") must be below the "
                    + "deadline (" + deadlineMinutes + " min)");
        }
        if (deadlineMinutes > 14) {
            // The sweep restarts the canary at the deadline; the FireDrill has nothing to wait for, but a canary
            // stopped longer than the alarm's evaluation makes no sense to measure.
            throw new IllegalArgumentException("fireDrillDeadlineMinutes must be at most 14, was " + deadlineMinutes);
        }
    }

    /** No drill (the organization hub; or context {@code fireDrill=false}). */
    public static FireDrillProps disabled() {
        return new FireDrillProps(false, DEFAULT_SCHEDULE, Environment.DEFAULT_DRILL_TARGET_SECONDS,
                Environment.DEFAULT_DRILL_DEADLINE_MINUTES);
    }

    static FireDrillProps fromContext(ContextValues context) {
        String schedule = context.string("fireDrillSchedule");
        return new FireDrillProps(context.flag("fireDrill", true), schedule == null ? DEFAULT_SCHEDULE : schedule,
                context.integer("fireDrillTargetSeconds", Environment.DEFAULT_DRILL_TARGET_SECONDS),
                context.integer("fireDrillDeadlineMinutes", Environment.DEFAULT_DRILL_DEADLINE_MINUTES));
    }
}
