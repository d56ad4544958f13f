package dev.trailguard.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The final statuses of an SSM Automation execution. The stack forwards exactly these to the RemediationReporter,
 * and the reporter reports every one of them: the list is one list, by construction.
 */
public enum AutomationStatus {
    SUCCESS("Success", true),
    COMPLETED_WITH_SUCCESS("CompletedWithSuccess", true),
    FAILED("Failed", false),
    TIMED_OUT("TimedOut", false),
    CANCELLED("Cancelled", false),
    REJECTED("Rejected", false),
    CHANGE_CALENDAR_OVERRIDE_REJECTED("ChangeCalendarOverrideRejected", false),
    COMPLETED_WITH_FAILURE("CompletedWithFailure", false),
    EXITED("Exited", false);

    private final String wireName;
    private final boolean succeeded;

    AutomationStatus(String wireName, boolean succeeded) {
        this.wireName = wireName;
        this.succeeded = succeeded;
    }

    /** The status as SSM writes it ({@code detail.Status} of the status-change event). */
    public String wireName() {
        return wireName;
    }

    /** Whether the runbook did what it was started for. */
    public boolean succeeded() {
        return succeeded;
    }

    /** The final status with this wire name; empty for a status after which the execution still changes. */
    public static Optional<AutomationStatus> ofWireName(String status) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(status)).findFirst();
    }

    /** Every final status's wire name: the event pattern's {@code detail.Status}. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(AutomationStatus::wireName).toList();
    }
}
