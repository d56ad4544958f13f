package dev.trailguard.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.contract.DeliveryCalls;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.core.CallFailedException;
import dev.trailguard.core.Outcome;
import dev.trailguard.edge.EventEdge;
import dev.trailguard.edge.UnreadableEvents;
import dev.trailguard.event.CloudTrailRecord;
import dev.trailguard.event.EventEnvelope;
import dev.trailguard.event.EventReader;
import dev.trailguard.event.UnreadableEventException;
import dev.trailguard.event.UserIdentity;
import dev.trailguard.notify.CallNotifications;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.DeliveryRepairs;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.DeclaredDelivery;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.trail.TrailLocator;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivery sabotage: calls that leave every trail logging but make what it records go nowhere, or stop the records
 * TrailGuard itself relies on. A trail's S3 bucket (a policy that stops CloudTrail's writes, a lifecycle that expires
 * the logs early, the bucket deleted, versioning suspended), a trail's KMS key (disabled, scheduled for deletion, a key
 * policy without CloudTrail), a CloudTrail Lake event data store (ingestion stopped, deleted, retention or selectors
 * cut, termination protection off), and the AWS Config recorder (stopped, or no longer recording trails).
 *
 * <p>A bucket or key counts when a guarded trail's baseline or current settings name it; anything else is logged and
 * left alone. Each finding is notified at once, naming the trail, and repaired where that is safe and reversible: a
 * key deletion is cancelled and the key enabled again, ingestion and the recorder are started again, a deleted event
 * data store is restored; a bucket policy or lifecycle is written back only from a declared baseline, never from
 * anything an event says. The rest is reported only, and the notification says so. Calls by TrailGuard's own roles
 * are ignored (its repairs produce these events too); deployment and break-glass roles are reported at MEDIUM.
 */
public final class DeliveryService {

    static final String S3 = "s3.amazonaws.com";
    static final String KMS = "kms.amazonaws.com";
    static final String CLOUDTRAIL = "cloudtrail.amazonaws.com";
    static final String CONFIG = "config.amazonaws.com";
    static final EventEdge.Kind KIND = new EventEdge.Kind("delivery event", Set.of(DeliveryCalls.S3_SOURCE,
            DeliveryCalls.KMS_SOURCE, EventTypes.CLOUDTRAIL_SOURCE, EventTypes.CONFIG_SOURCE), EventTypes.API_CALL);
    private static final Map<String, List<String>> CALLS = Map.of(S3, DeliveryCalls.S3, KMS, DeliveryCalls.KMS,
            CLOUDTRAIL, DeliveryCalls.LAKE, CONFIG, DeliveryCalls.RECORDER);

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    private final EventReader reader;
    private final Notifier notifier;
    private final TrailGuardConfig config;
    private final ResponseConfig response;
    private final TrailDestinations destinations;
    private final DeliveryRepairs repairs;
    private final DeclaredDelivery.Source declaredDelivery;
    private final EventEdge edge;

    public DeliveryService(EventReader reader, Notifier notifier, TrailGuardConfig config, ResponseConfig response,
                           TrailLocator locator, BaselineSource baselines, TrailConfigurations configurations,
                           DeliveryRepairs repairs, DeclaredDelivery.Source declaredDelivery) {
        this.reader = reader;
        this.notifier = notifier;
        this.config = config;
        this.response = response;
        this.destinations = new TrailDestinations(locator, baselines, configurations, config.guardedTrails());
        this.repairs = repairs;
        this.declaredDelivery = declaredDelivery;
        this.edge = new EventEdge(reader, notifier);
    }

    /** True if the event is one of the watched delivery calls (by its source, event source and name). */
    public boolean accepts(byte[] rawEvent) {
        try {
            EventEnvelope envelope = reader.envelope(rawEvent);
            if (!KIND.matches(envelope)) {
                return false;
            }
            CloudTrailRecord record = reader.cloudTrailRecord(envelope);
            return record.eventSource() != null
                    && CALLS.getOrDefault(record.eventSource(), List.of()).contains(record.eventName());
        } catch (UnreadableEventException e) {
            return false;
        }
    }

    /** Handles one accepted event. */
    public Outcome handle(byte[] rawEvent) {
        return edge.handle(rawEvent, KIND, reader::cloudTrailRecord, (envelope, record) -> record.eventId(),
                this::respond);
    }

    /** What a call did and what TrailGuard does about it. */
    private record Finding(Severity severity, String kind, String component, String resource, String effect,
                           List<Step> repair, String reportOnly) {
    }

    /** One repair call, named for the notification. */
    private record Step(String description, Runnable call) {
    }

    private Outcome respond(EventEnvelope envelope, CloudTrailRecord record) {
        MDC.put("eventName", record.eventName());
        UserIdentity who = record.userIdentity();
        if (config.isOwnRole(who.arn(), who.sessionIssuerArn())
                && !config.isAutomationRole(who.arn(), who.sessionIssuerArn())) {
            return Outcome.of("IGNORED_OWN_ACTION", record.eventId()).build();
        }
        String region = CallNotifications.region(envelope, record);
        Instant at = time(record, envelope);
        return switch (record.eventSource()) {
            case S3, KMS -> trailResource(envelope, record, region, at);
            case CLOUDTRAIL -> lake(envelope, record, region);
            default -> recorder(envelope, record, region);
        };
    }

    private Outcome trailResource(EventEnvelope envelope, CloudTrailRecord record, String region, Instant at) {
        boolean bucket = S3.equals(record.eventSource());
        String resource = record.requestParameter(bucket ? "bucketName" : "keyId");
        if (resource == null || resource.isBlank()) {
            return UnreadableEvents.publish(notifier, KIND.what(), new UnreadableEventException("no "
                    + (bucket ? "bucketName" : "keyId") + " in " + record.eventName(), record.eventId()), envelope);
        }
        String account = CallNotifications.account(envelope, record);
        TrailDestinations.Found found = bucket ? destinations.usingBucket(resource, account, at)
                : destinations.usingKey(resource, account, at);
        if (found.destinations().isEmpty() && found.unreadable().isEmpty()) {
            LOG.info("{} on {} {}: no guarded trail delivers there", record.eventName(), bucket ? "bucket" : "key",
                    resource);
            return Outcome.of("NOT_TRAIL_DELIVERY", record.eventId()).build();
        }
        String trails = found.destinations().isEmpty() ? "a guarded trail (its settings could not all be read)"
                : found.destinations().stream().map(d -> d.trail().name()).collect(Collectors.joining(", "));
        Finding finding = bucket ? bucketFinding(record, resource, region, at, found, trails)
                : keyFinding(record, resource, region, trails);
        if (finding == null) {
            LOG.info("{} on {} does not weaken delivery of {}", record.eventName(), resource, trails);
            return Outcome.of("NOT_WEAKENING", record.eventId()).build();
        }
        Notification.Builder n = decide(envelope, record, finding, (bucket ? "the log bucket of " : "the KMS key of ")
                + trails).detail("Trails delivering here", trails);
        if (!found.destinations().isEmpty()) {
            TrailDestinations.Destination first = found.destinations().get(0);
            n.trail(new Notification.TrailSummary(first.trail().arn(), first.trail().name(),
                    first.trail().homeRegion(), first.trail().organization()));
        }
        for (int i = 0; i < found.unreadable().size(); i++) {
            n.detail("Not read " + (i + 1), found.unreadable().get(i));
        }
        return publish(record, n.build(), found.destinations().isEmpty() ? null
                : found.destinations().get(0).trail().arn());
    }

    private Finding bucketFinding(CloudTrailRecord record, String bucket, String region, Instant at,
                                  TrailDestinations.Found found, String trails) {
        DeclaredDelivery declared = declared(found);
        JsonNode p = record.requestParameters();
        String component = "S3 bucket";
        switch (record.eventName()) {
            case "PutBucketPolicy" -> {
                JsonNode policy = p.get("bucketPolicy");
                if (policy != null && policy.isTextual()) {
                    policy = DeliveryChecks.parse(policy.asText());
                }
                if (!DeliveryChecks.policyStopsCloudTrail(policy)) {
                    return new Finding(Severity.MEDIUM, "TRAIL_BUCKET_CHANGED", component, bucket,
                            "the bucket policy of " + trails + " was replaced; it still lets CloudTrail write", List.of(),
                            "Reported only: the new policy still allows CloudTrail's writes. Review it.");
                }
                return policyFinding(bucket, region, declared, trails, "the new bucket policy no longer lets "
                        + "CloudTrail write the log files of " + trails + ": nothing recorded reaches the bucket");
            }
            case "DeleteBucketPolicy" -> {
                return policyFinding(bucket, region, declared, trails, "the bucket policy is gone: CloudTrail may no "
                        + "longer write the log files of " + trails);
            }
            case "DeleteBucket" -> {
                return new Finding(Severity.CRITICAL, "TRAIL_BUCKET_SABOTAGED", component, bucket, "the log bucket of "
                        + trails + " was deleted: every delivery fails until it exists again", List.of(),
                        "Reported only: TrailGuard does not create buckets. Recreate " + bucket + " with its "
                                + "CloudTrail bucket policy now (the name can be taken by another account).");
            }
            case "PutBucketVersioning" -> {
                String status = p.path("VersioningConfiguration").path("Status").asText("");
                if (!"Suspended".equalsIgnoreCase(status)) {
                    return null;
                }
                return new Finding(Severity.HIGH, "TRAIL_BUCKET_SABOTAGED", component, bucket, "versioning of the "
                        + "log bucket of " + trails + " was suspended: log files can now be overwritten or deleted "
                        + "without a trace", List.of(), "Reported only: enable versioning again (TrailGuard does not "
                        + "change versioning: MFA delete may need the root user).");
            }
            default -> {
                return lifecycleFinding(record, bucket, region, at, declared, trails);
            }
        }
    }

    private Finding policyFinding(String bucket, String region, DeclaredDelivery declared, String trails,
                                  String effect) {
        if (declared.bucketPolicy().isPresent()) {
            String policy = declared.bucketPolicy().get();
            return new Finding(Severity.CRITICAL, "TRAIL_BUCKET_SABOTAGED", "S3 bucket", bucket, effect,
                    List.of(new Step("PutBucketPolicy with the declared policy from " + declared.source(),
                            () -> repairs.putBucketPolicy(bucket, region, policy))), null);
        }
        return new Finding(Severity.CRITICAL, "TRAIL_BUCKET_SABOTAGED", "S3 bucket", bucket, effect, List.of(),
                "Reported only: no declared baseline holds this bucket's policy (BucketPolicy), so TrailGuard does "
                        + "not write one. Put CloudTrail's bucket policy back now.");
    }

    private Finding lifecycleFinding(CloudTrailRecord record, String bucket, String region, Instant at,
                                     DeclaredDelivery declared, String trails) {
        JsonNode lifecycle = record.requestParameters().get("LifecycleConfiguration");
        OptionalLong days = DeliveryChecks.shortestExpiryDays(lifecycle, at);
        OptionalLong declaredDays = declared.bucketLifecycle()
                .map(l -> DeliveryChecks.shortestExpiryDays(l, at)).orElse(OptionalLong.empty());
        long floor = declared.bucketLifecycle().isPresent()
                ? declaredDays.orElse(Long.MAX_VALUE) : DeliveryChecks.MIN_RETENTION_DAYS;
        if (days.isEmpty() || days.getAsLong() >= floor) {
            return new Finding(Severity.MEDIUM, "TRAIL_BUCKET_CHANGED", "S3 bucket", bucket, "the lifecycle of the "
                    + "log bucket of " + trails + " was replaced" + days.stream().mapToObj(d -> "; it expires log "
                    + "files after " + d + " days").findFirst().orElse("; it expires nothing"), List.of(),
                    "Reported only: the new lifecycle keeps log files at least as long as "
                            + (declared.bucketLifecycle().isPresent() ? "the declared one" : floor + " days") + ".");
        }
        String effect = "the new lifecycle of the log bucket of " + trails + " deletes log files after "
                + days.getAsLong() + " day(s)" + (declared.bucketLifecycle().isPresent()
                ? " (declared: " + declaredDays.stream().mapToObj(Long::toString).findFirst().orElse("never") + ")"
                : "") + ": the record of what happened is erased soon after it is written";
        if (declared.bucketLifecycle().isPresent()) {
            JsonNode good = declared.bucketLifecycle().get();
            return new Finding(Severity.CRITICAL, "TRAIL_BUCKET_SABOTAGED", "S3 bucket", bucket, effect,
                    List.of(new Step("PutBucketLifecycleConfiguration with the declared lifecycle from "
                            + declared.source(), () -> repairs.putBucketLifecycle(bucket, region, good))),
                    null);
        }
        return new Finding(Severity.CRITICAL, "TRAIL_BUCKET_SABOTAGED", "S3 bucket", bucket, effect, List.of(),
                "Reported only: no declared baseline holds this bucket's lifecycle (BucketLifecycle), so TrailGuard "
                        + "does not write one. Put the lifecycle back before the first expiry.");
    }

    private Finding keyFinding(CloudTrailRecord record, String key, String region, String trails) {
        String keyRegion = keyRegion(key, region);
        String component = "KMS key";
        return switch (record.eventName()) {
            case "DisableKey" -> new Finding(Severity.CRITICAL, "TRAIL_KEY_SABOTAGED", component, key, "the key that "
                    + "encrypts the log files of " + trails + " is disabled: CloudTrail cannot deliver",
                    List.of(new Step("EnableKey", () -> repairs.enableKey(key, keyRegion))), null);
            case "ScheduleKeyDeletion" -> new Finding(Severity.CRITICAL, "TRAIL_KEY_SABOTAGED", component, key,
                    "the key that encrypts the log files of " + trails + " is scheduled for deletion ("
                            + Optional.ofNullable(record.requestParameters().get("pendingWindowInDays"))
                            .map(JsonNode::asText).orElse("default 30") + " days): CloudTrail cannot deliver now, and "
                            + "once it is deleted every log file it encrypted is unreadable",
                    List.of(new Step("CancelKeyDeletion", () -> repairs.cancelKeyDeletion(key, keyRegion)),
                            new Step("EnableKey", () -> repairs.enableKey(key, keyRegion))), null);
            default -> {
                if (DeliveryChecks.keyPolicyAllowsCloudTrail(record.requestParameter("policy"))) {
                    yield new Finding(Severity.MEDIUM, "TRAIL_KEY_POLICY_CHANGED", component, key, "the key policy of "
                            + "the key of " + trails + " was replaced; it still lets CloudTrail encrypt", List.of(),
                            "Reported only: the new policy still allows CloudTrail. Review it.");
                }
                yield new Finding(Severity.CRITICAL, "TRAIL_KEY_SABOTAGED", component, key, "the new key policy no "
                        + "longer lets CloudTrail encrypt the log files of " + trails + ": CloudTrail cannot deliver",
                        List.of(), "Reported only: TrailGuard does not write key policies (a wrong one can lock the "
                        + "key for good). Put CloudTrail's statement back now.");
            }
        };
    }

    private Outcome lake(EventEnvelope envelope, CloudTrailRecord record, String region) {
        String store = record.requestParameter("eventDataStore");
        if (store == null || store.isBlank()) {
            return UnreadableEvents.publish(notifier, KIND.what(), new UnreadableEventException("no eventDataStore in "
                    + record.eventName(), record.eventId()), envelope);
        }
        String storeRegion = arnRegion(store, region);
        String component = "CloudTrail Lake event data store";
        Finding finding = switch (record.eventName()) {
            case "StopEventDataStoreIngestion" -> new Finding(Severity.CRITICAL, "LAKE_TAMPERED", component, store,
                    "the event data store stopped ingesting: events from now on are not in CloudTrail Lake",
                    List.of(new Step("StartEventDataStoreIngestion",
                            () -> repairs.startIngestion(store, storeRegion))), null);
            case "DeleteEventDataStore" -> new Finding(Severity.CRITICAL, "LAKE_TAMPERED", component, store,
                    "the event data store was deleted (pending deletion for 7 days, then its events are gone)",
                    List.of(new Step("RestoreEventDataStore",
                            () -> repairs.restoreEventDataStore(store, storeRegion))), null);
            default -> lakeUpdate(record, store);
        };
        if (finding == null) {
            return Outcome.of("NOT_WEAKENING", record.eventId()).build();
        }
        return publish(record, decide(envelope, record, finding, "event data store " + lastPart(store)).build(),
                null);
    }

    private Finding lakeUpdate(CloudTrailRecord record, String store) {
        JsonNode p = record.requestParameters();
        List<String> changes = new ArrayList<>();
        boolean critical = false;
        if (p.hasNonNull("retentionPeriod")) {
            long days = p.get("retentionPeriod").asLong();
            changes.add("retention set to " + days + " days");
            critical |= days < DeliveryChecks.MIN_RETENTION_DAYS;
        }
        if (p.has("terminationProtectionEnabled") && !p.get("terminationProtectionEnabled").asBoolean(true)) {
            changes.add("termination protection turned off (the store can now be deleted)");
            critical = true;
        }
        if (p.has("advancedEventSelectors")) {
            changes.add("event selectors replaced (they may record less)");
        }
        if (p.has("multiRegionEnabled") && !p.get("multiRegionEnabled").asBoolean(true)) {
            changes.add("multi-region turned off");
        }
        if (p.has("organizationEnabled") && !p.get("organizationEnabled").asBoolean(true)) {
            changes.add("organization events turned off");
        }
        if (changes.isEmpty()) {
            return null;
        }
        return new Finding(critical ? Severity.CRITICAL : Severity.HIGH, "LAKE_TAMPERED",
                "CloudTrail Lake event data store", store, String.join("; ", changes), List.of(),
                "Reported only: TrailGuard holds no baseline of the event data store. Put its retention, selectors "
                        + "and termination protection back (UpdateEventDataStore).");
    }

    private Outcome recorder(EventEnvelope envelope, CloudTrailRecord record, String region) {
        String component = "AWS Config recorder";
        Finding finding;
        if ("StopConfigurationRecorder".equals(record.eventName())) {
            String name = record.requestParameter("configurationRecorderName");
            if (name == null || name.isBlank()) {
                return UnreadableEvents.publish(notifier, KIND.what(), new UnreadableEventException(
                        "no configurationRecorderName in StopConfigurationRecorder", record.eventId()), envelope);
            }
            finding = new Finding(Severity.CRITICAL, "RECORDER_TAMPERED", component, name, "Config stopped "
                    + "recording: TrailGuard's backstop rules and the trail baselines it restores from go stale",
                    List.of(new Step("StartConfigurationRecorder",
                            () -> repairs.startRecorder(name, region))), null);
        } else {
            JsonNode recorder = record.requestParameters() == null ? null
                    : record.requestParameters().get("configurationRecorder");
            if (DeliveryChecks.recordsTrails(recorder)) {
                LOG.info("PutConfigurationRecorder still records {}", DeliveryChecks.TRAIL_RESOURCE_TYPE);
                return Outcome.of("NOT_WEAKENING", record.eventId()).build();
            }
            String name = recorder == null ? "default" : recorder.path("name").asText("default");
            finding = new Finding(Severity.CRITICAL, "RECORDER_TAMPERED", component, name, "the recorder no longer "
                    + "records " + DeliveryChecks.TRAIL_RESOURCE_TYPE + ": trail changes stop reaching Config, so "
                    + "its rules and the baselines TrailGuard restores from go stale", List.of(),
                    "Reported only: putting a recorder back needs its role and full recording group; redeploy it "
                            + "from your infrastructure code (or TrailGuard's createConfigRecorder).");
        }
        return publish(record, decide(envelope, record, finding, "the AWS Config recorder").build(), null);
    }

    /** The notification for a finding: a blocked attempt, an authorized change, or the finding and its repair. */
    private Notification.Builder decide(EventEnvelope envelope, CloudTrailRecord record, Finding f, String about) {
        String actor = record.actorName();
        String call = record.eventName();
        UserIdentity who = record.userIdentity();
        if (record.failed()) {
            return CallNotifications.about(Severity.MEDIUM, "DELIVERY_ATTEMPT_BLOCKED", envelope, record)
                    .headline(call + " on " + about + " attempted, blocked")
                    .summary(actor + " tried " + call + " on " + f.component() + " " + f.resource() + " and the call "
                            + "failed (" + record.errorCode() + "). Had it worked: " + f.effect() + ".")
                    .action(new Notification.Action("ATTEMPT_BLOCKED", "Nothing done: the call failed.", null, null))
                    .detail("Resource", f.component() + " " + f.resource())
                    .detail("Error code", record.errorCode());
        }
        if (response.isAuthorized(who.arn(), who.sessionIssuerArn())) {
            return CallNotifications.about(Severity.MEDIUM, "DELIVERY_CHANGE_AUTHORIZED", envelope, record)
                    .headline(call + " on " + about + " by an authorized role")
                    .summary(actor + " called " + call + " on " + f.component() + " " + f.resource() + ": "
                            + f.effect() + ". The caller is a deployment or break-glass role; confirm it was planned.")
                    .action(new Notification.Action("AUTHORIZED_CHANGE", "Kept: made by an authorized role.", null,
                            null))
                    .detail("Resource", f.component() + " " + f.resource())
                    .detail("Effect", f.effect());
        }
        Notification.Action action = f.repair().isEmpty()
                ? new Notification.Action("REPORTED_ONLY", f.reportOnly(), null, null) : repair(f);
        LOG.warn("{} on {} {}: {}", call, f.component(), f.resource(), action.outcome());
        return CallNotifications.about(f.severity(), f.kind(), envelope, record)
                .headline(call + " on " + about)
                .summary(actor + " called " + call + " on " + f.component() + " " + f.resource() + ": " + f.effect()
                        + ".")
                .action(action)
                .detail("Resource", f.component() + " " + f.resource())
                .detail("Effect", f.effect());
    }

    /** Runs the repair's calls in order; the first failure ends it and says what is left to do by hand. */
    private Notification.Action repair(Finding f) {
        String steps = f.repair().stream().map(Step::description).collect(Collectors.joining(", then "));
        if (repairs.dryRun()) {
            return new Notification.Action("WOULD_REPAIR", "Dry run: would call " + steps + ".", null, null);
        }
        List<String> done = new ArrayList<>();
        for (Step step : f.repair()) {
            try {
                step.call().run();
                done.add(step.description());
            } catch (CallFailedException | UnsupportedOperationException e) {
                LOG.error("Repair {} of {} {} failed: {}", step.description(), f.component(), f.resource(),
                        e.getMessage());
                return new Notification.Action("REPAIR_FAILED", (done.isEmpty() ? "" : "Done: "
                        + String.join(", ", done) + ". ") + step.description() + " failed: " + e.getMessage()
                        + ". Do it by hand now: " + steps + ".", null, null);
            }
        }
        return new Notification.Action("REPAIRED", "Repaired: " + steps + ".", null, null);
    }

    private Outcome publish(CloudTrailRecord record, Notification n, String trailArn) {
        String messageId = notifier.publish(n);
        Outcome.Builder out = Outcome.of(n.action().outcome(), record.eventId()).severity(n.severity().name())
                .messageId(messageId).note(n.kind());
        if (trailArn != null) {
            out.trail(trailArn, n.trail().homeRegion());
        }
        return out.build();
    }

    /** The declared bucket policy and lifecycle of the first trail that has any. */
    private DeclaredDelivery declared(TrailDestinations.Found found) {
        for (TrailDestinations.Destination d : found.destinations()) {
            try {
                DeclaredDelivery declared = declaredDelivery.forTrail(d.trail().name());
                if (declared.bucketPolicy().isPresent() || declared.bucketLifecycle().isPresent()) {
                    return declared;
                }
            } catch (CallFailedException e) {
                LOG.warn("Declared baseline of {} not readable: {}", d.trail().name(), e.getMessage());
            }
        }
        return DeclaredDelivery.none();
    }

    private static Instant time(CloudTrailRecord record, EventEnvelope envelope) {
        for (String t : new String[] {record.eventTime(), envelope.time()}) {
            try {
                if (t != null) {
                    return Instant.parse(t);
                }
            } catch (DateTimeParseException e) {
                // try the next
            }
        }
        return Instant.now();
    }

    /** The region of an ARN ({@code arn:partition:service:region:...}), else the call's region. */
    private static String arnRegion(String maybeArn, String fallback) {
        String[] parts = maybeArn.split(":");
        return maybeArn.startsWith("arn:") && parts.length > 3 && !parts[3].isEmpty() ? parts[3] : fallback;
    }

    /** The last part of an ARN (after its last '/'), or the value itself. */
    private static String lastPart(String arnOrId) {
        return arnOrId.substring(arnOrId.lastIndexOf('/') + 1);
    }

    private static String keyRegion(String key, String fallback) {
        return arnRegion(key, fallback);
    }
}
