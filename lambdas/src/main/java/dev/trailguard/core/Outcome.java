package dev.trailguard.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * What a function did with one event: returned to the caller (Lambda's response, the local invoke's output line)
 * and logged. Null and empty fields are left out of the JSON.
 *
 * @param outcome     what happened, for example {@code REMEDIATION_STARTED}
 * @param eventId     the event's id
 * @param trailArn    the trail concerned
 * @param homeRegion  the trail's home region
 * @param executionId the automation execution started
 * @param clientToken the idempotency token used for it
 * @param severity    the notification's severity
 * @param messageId   the SNS message id
 * @param dryRun      true when nothing was changed or published
 * @param notes       remarks for the reader (for example what could not be looked up)
 * @param items       per-trail outcomes for functions that handle several trails
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Outcome(String outcome, String eventId, String trailArn, String homeRegion, String executionId,
                      String clientToken, String severity, String messageId, Boolean dryRun, List<String> notes,
                      List<Outcome> items) {

    public Outcome {
        notes = notes == null ? List.of() : List.copyOf(notes);
        items = items == null ? List.of() : List.copyOf(items);
    }

    public static Builder of(String outcome, String eventId) {
        return new Builder(outcome, eventId);
    }

    /** Builds an {@link Outcome}. */
    public static final class Builder {
        private final String outcome;
        private final String eventId;
        private String trailArn;
        private String homeRegion;
        private String executionId;
        private String clientToken;
        private String severity;
        private String messageId;
        private Boolean dryRun;
        private final List<String> notes = new ArrayList<>();
        private final List<Outcome> items = new ArrayList<>();

        private Builder(String outcome, String eventId) {
            this.outcome = outcome;
            this.eventId = eventId;
        }

        public Builder trail(String arn, String region) {
            this.trailArn = arn;
            this.homeRegion = region;
            return this;
        }

        public Builder execution(String id, String token) {
            this.executionId = id;
            this.clientToken = token;
            return this;
        }

        public Builder severity(String value) {
            this.severity = value;
            return this;
        }

        public Builder messageId(String value) {
            this.messageId = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            this.dryRun = value ? Boolean.TRUE : null;
            return this;
        }

        public Builder note(String value) {
            notes.add(value);
            return this;
        }

        public Builder notes(List<String> values) {
            notes.addAll(values);
            return this;
        }

        public Builder item(Outcome value) {
            items.add(value);
            return this;
        }

        public Outcome build() {
            return new Outcome(outcome, eventId, trailArn, homeRegion, executionId, clientToken, severity, messageId,
                    dryRun, notes, items);
        }
    }
}
