package dev.trailguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.contract.AutomationStatus;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.core.Outcome;
import dev.trailguard.drill.DrillMeasurement;
import dev.trailguard.drill.DrillMetrics;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.FireDrill;
import dev.trailguard.handler.RemediationReporter;
import dev.trailguard.handler.TamperResponder;
import dev.trailguard.remediation.AutomationExecution;
import dev.trailguard.remediation.Remediator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code LocalInvoke --drill}: one fire drill through the three functions in this process, with EventBridge's part
 * played here: the FireDrill stops the canary; the StopLogging event CloudTrail would deliver (the drill role's
 * session, the canary, this moment) goes to the TamperResponder; the runbook's execution is polled until it ends and
 * its status-change event goes to the RemediationReporter. Meant for a stub endpoint or an account without TrailGuard
 * deployed: where TrailGuard runs, its own functions answer the real event (run the deployed FireDrill instead).
 */
final class LocalDrill {

    /** Records what the reporter measured, and hands it on. */
    static final class Recording implements DrillMetrics {
        private final DrillMetrics next;
        private final List<DrillMeasurement> measured = new ArrayList<>();

        Recording(DrillMetrics next) {
            this.next = next;
        }

        @Override
        public void drill(DrillMeasurement measurement) {
            measured.add(measurement);
            next.drill(measurement);
        }

        @Override
        public void canaryStopped(String account, String region, Duration stoppedFor) {
            next.canaryStopped(account, region, stoppedFor);
        }

        Optional<DrillMeasurement> last() {
            return measured.isEmpty() ? Optional.empty() : Optional.of(measured.get(measured.size() - 1));
        }
    }

    private final Dependencies deps;
    private final Recording recording;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration wait;

    LocalDrill(Dependencies deps, Recording recording, ObjectMapper json, Clock clock, Duration wait) {
        this.deps = deps;
        this.recording = recording;
        this.json = json;
        this.clock = clock;
        this.wait = wait;
    }

    /**
     * Runs the drill. The summary: {@code fireDrill} (DRILL_STARTED: the canary was stopped), {@code tamperResponder}
     * (REMEDIATION_STARTED), {@code outcome} (the drill's DRILL_PASSED, DRILL_SLOW or DRILL_FAILED, or the outcome of
     * the stage that did not happen), and the measured {@code stages}, {@code timeToDetectSeconds} and
     * {@code timeToRestoreSeconds}.
     */
    ObjectNode run() throws InterruptedException {
        ObjectNode summary = json.createObjectNode();
        String canary = deps.drill().config().canaryTrailArn().orElse(null);
        Outcome started = new FireDrill(deps).invoke("{}".getBytes(StandardCharsets.UTF_8));
        summary.put("fireDrill", started.outcome());
        if (!"DRILL_STARTED".equals(started.outcome())) {
            return summary.put("outcome", started.outcome());
        }
        Instant stoppedAt = clock.instant();
        String[] arn = canary.split(":", 6);
        Outcome detected = new TamperResponder(deps).invoke(stopLoggingEvent(canary, arn[3], arn[4], stoppedAt));
        summary.put("tamperResponder", detected.outcome());
        if (detected.executionId() == null) {
            return summary.put("outcome", detected.outcome());
        }
        Optional<AutomationExecution> ended = awaitEnd(detected.executionId(), arn[3]);
        if (ended.isEmpty()) {
            summary.put("outcome", "RUNBOOK_NOT_FINISHED").put("note", "the execution had not ended after "
                    + wait.toSeconds() + " s; the sweep reports the drill at its deadline");
            return summary;
        }
        Outcome reported = new RemediationReporter(deps).invoke(statusEvent(ended.get(), arn[3], arn[4]));
        summary.put("outcome", reported.outcome()).put("severity", reported.severity());
        recording.last().ifPresent(m -> {
            summary.set("stages", json.valueToTree(m.stages()));
            m.timeToDetect().ifPresent(d -> summary.put("timeToDetectSeconds", DrillMeasurement.seconds(d)));
            m.timeToRestore().ifPresent(d -> summary.put("timeToRestoreSeconds", DrillMeasurement.seconds(d)));
        });
        return summary;
    }

    private Optional<AutomationExecution> awaitEnd(String executionId, String region) throws InterruptedException {
        Instant until = clock.instant().plus(wait);
        while (true) {
            Optional<AutomationExecution> execution = deps.executions().get(executionId, region);
            if (execution.isPresent() && AutomationStatus.ofWireName(execution.get().status()).isPresent()) {
                return execution;
            }
            if (!clock.instant().isBefore(until)) {
                return Optional.empty();
            }
            Thread.sleep(2_000);
        }
    }

    /** The StopLogging event as CloudTrail delivers it for the FireDrill's call (its role, the canary, now). */
    private byte[] stopLoggingEvent(String canary, String region, String account, Instant at) {
        String role = deps.drill().config().drillRoleArn();
        String roleName = role.substring(role.lastIndexOf('/') + 1);
        ObjectNode event = envelope(EventTypes.CLOUDTRAIL_SOURCE, EventTypes.API_CALL, region, account, at);
        ObjectNode detail = event.putObject("detail");
        ObjectNode identity = detail.put("eventVersion", "1.09").putObject("userIdentity");
        identity.put("type", "AssumedRole").put("arn", "arn:" + canary.split(":")[1] + ":sts::" + account
                + ":assumed-role/" + roleName + "/" + FireDrill.NAME).put("accountId", account);
        identity.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("arn", role)
                .put("accountId", account).put("userName", roleName);
        detail.put("eventTime", at.toString()).put("eventSource", EventTypes.CLOUDTRAIL_EVENT_SOURCE)
                .put("eventName", "StopLogging").put("awsRegion", region).put("sourceIPAddress", "127.0.0.1")
                .put("userAgent", "trailguard-local-drill");
        detail.putObject("requestParameters").put("name", canary);
        detail.putNull("responseElements");
        detail.put("eventID", UUID.randomUUID().toString()).put("readOnly", false).put("eventType", "AwsApiCall")
                .put("managementEvent", true).put("recipientAccountId", account);
        return bytes(event);
    }

    /** The runbook's status-change event, as SSM emits it when the execution ends. */
    private byte[] statusEvent(AutomationExecution execution, String region, String account) {
        ObjectNode event = envelope(EventTypes.SSM_SOURCE, EventTypes.AUTOMATION_STATUS_CHANGE, region, account,
                clock.instant());
        event.putObject("detail").put("ExecutionId", execution.executionId())
                .put("Definition", Remediator.RUNBOOK).put("Status", execution.status());
        return bytes(event);
    }

    private ObjectNode envelope(String source, String detailType, String region, String account, Instant at) {
        ObjectNode event = json.createObjectNode();
        event.put("version", "0").put("id", UUID.randomUUID().toString()).put("detail-type", detailType)
                .put("source", source).put("account", account).put("time", at.toString()).put("region", region);
        event.putArray("resources");
        return event;
    }

    private byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
