package dev.trailguard.infra;

import static dev.trailguard.infra.GuardStack.RUNBOOK;
import static dev.trailguard.infra.GuardStack.TAMPER_EVENT_NAMES;
import static dev.trailguard.infra.GuardStack.TERMINAL_AUTOMATION_STATUSES;
import static dev.trailguard.infra.GuardStack.TRAILGUARD_RUNBOOKS;
import static dev.trailguard.infra.GuardStack.obj;

import dev.trailguard.contract.DeliveryCalls;
import dev.trailguard.contract.EventTypes;
import dev.trailguard.contract.TamperCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventPattern;

/**
 * The event patterns of the events TrailGuard reacts to, in one place: the single-account stack's rules, the member
 * accounts' forwarding rules and the hub's rules on its bus are built from the same patterns, so an event the
 * single-account stack handles is forwarded and handled in organization mode too.
 */
final class EventPatterns {

    /** Name prefix of every resource a member account holds for TrailGuard (rules, roles, documents). */
    static final String MEMBER_RESOURCE_PREFIX = "TrailGuard-";
    /** AWS Config names the rule an organization rule deploys into an account {@code OrgConfigRule-<name>-<suffix>}. */
    static final String ORGANIZATION_RULE_PREFIX = "OrgConfigRule-";

    private EventPatterns() {
    }

    /** CloudTrail calls that stop, delete or weaken a trail, and CreateTrail of any name (every trail is guarded). */
    static EventPattern tamperCalls() {
        return tamperCalls(List.of());
    }

    /**
     * CloudTrail calls that stop, delete or weaken a trail, and {@code CreateTrail} on the guarded trails' names: a
     * look-alike created where a guarded trail was deleted (CreateTrail takes a name, so an ARN counts by its name).
     * With no guarded trails, every trail is guarded and CreateTrail of any name matches.
     */
    static EventPattern tamperCalls(List<String> guardedTrails) {
        List<String> names = guardedTrails.stream()
                .map(trail -> trail.startsWith("arn:") ? trail.substring(trail.lastIndexOf("trail/") + 6) : trail)
                .distinct().toList();
        Map<String, Object> detail;
        if (names.isEmpty()) {
            List<String> calls = new ArrayList<>(TAMPER_EVENT_NAMES);
            calls.add(TamperCalls.CREATE_TRAIL);
            detail = Map.of("eventSource", List.of("cloudtrail.amazonaws.com"), "eventName", calls);
        } else {
            detail = Map.of("eventSource", List.of("cloudtrail.amazonaws.com"), "$or", List.of(
                    obj("eventName", TAMPER_EVENT_NAMES),
                    obj("eventName", List.of(TamperCalls.CREATE_TRAIL), "requestParameters", obj("name", names))));
        }
        return EventPattern.builder()
                .source(List.of(EventTypes.CLOUDTRAIL_SOURCE))
                .detailType(List.of(EventTypes.API_CALL))
                .detail(detail)
                .build();
    }

    /** Delivery sabotage, every KMS key included: what a member account forwards to the hub. */
    static EventPattern deliveryCalls() {
        return deliveryCalls(null);
    }

    /**
     * Delivery sabotage: bucket-level calls on S3 buckets and calls on KMS keys (the function keeps those that name a
     * guarded trail's bucket or key: the baselines name them, and a rule cannot read a baseline), CloudTrail Lake calls
     * on event data stores, and a Config recorder redefined (StopConfigurationRecorder already reaches the function
     * through the guard rule; listing it here too would deliver it twice). KMS calls on the notification topic's own
     * key are left to the guard's KMS rule for the same reason.
     *
     * @param topicKeyArn the notification topic's key, excluded; {@code null} for none (a member account's
     *                    forwarding rule: members hold no topic key, and the hub's rule excludes its own)
     */
    static EventPattern deliveryCalls(String topicKeyArn) {
        Map<String, Object> kms = topicKeyArn == null
                ? obj("eventSource", List.of("kms.amazonaws.com"), "eventName", DeliveryCalls.KMS)
                : obj("eventSource", List.of("kms.amazonaws.com"), "eventName", DeliveryCalls.KMS,
                        "resources", obj("ARN", List.of(obj("anything-but", List.of(topicKeyArn)))));
        return EventPattern.builder()
                .source(List.of(DeliveryCalls.S3_SOURCE, DeliveryCalls.KMS_SOURCE, EventTypes.CLOUDTRAIL_SOURCE,
                        EventTypes.CONFIG_SOURCE))
                .detailType(List.of(EventTypes.API_CALL))
                .detail(obj("$or", List.of(
                        obj("eventSource", List.of("s3.amazonaws.com"), "eventName", DeliveryCalls.S3),
                        kms,
                        obj("eventSource", List.of("cloudtrail.amazonaws.com"), "eventName", DeliveryCalls.LAKE),
                        obj("eventSource", List.of("config.amazonaws.com"),
                                "eventName", List.of("PutConfigurationRecorder")))))
                .build();
    }

    /**
     * Compliance changes of TrailGuard's Config rules.
     *
     * @param ruleNames the rules' names, or matchers such as {@code {"prefix": ...}} for organization rules
     */
    static EventPattern complianceChanges(List<?> ruleNames) {
        return EventPattern.builder()
                .source(List.of(EventTypes.CONFIG_SOURCE))
                .detailType(List.of(EventTypes.CONFIG_COMPLIANCE_CHANGE))
                .detail(Map.of(
                        "configRuleName", ruleNames,
                        // COMPLIANT too: the responder sends a "resolved" note.
                        "newEvaluationResult", Map.of("complianceType", List.of("NON_COMPLIANT", "COMPLIANT"))))
                .build();
    }

    /** The names an organization rule is deployed under in the accounts: {@code OrgConfigRule-<name>-<suffix>}. */
    static List<Object> organizationRuleNames(List<String> organizationRuleNames) {
        return organizationRuleNames.stream()
                .<Object>map(name -> obj("prefix", ORGANIZATION_RULE_PREFIX + name + "-"))
                .toList();
    }

    /** Final statuses of AWS-ConfigureCloudTrailLogging and TrailGuard's runbooks. */
    static EventPattern runbookResults() {
        List<String> definitions = new ArrayList<>();
        definitions.add(RUNBOOK);
        definitions.addAll(TRAILGUARD_RUNBOOKS);
        return EventPattern.builder()
                .source(List.of(EventTypes.SSM_SOURCE))
                .detailType(List.of(EventTypes.AUTOMATION_STATUS_CHANGE))
                .detail(Map.of(
                        "Definition", definitions,
                        "Status", TERMINAL_AUTOMATION_STATUSES))
                .build();
    }

    /**
     * Calls against the resources TrailGuard keeps in a member account: its forwarding rules, its roles and its
     * runbook documents (all named {@code TrailGuard-...}), the declared-baseline parameters the hub would restore
     * from, the deployed rule definitions (the hub's own account has them), and the Config recorder its organization
     * rules need. IAM
     * calls reach EventBridge in us-east-1 only: the rule exists everywhere and fires there.
     */
    static EventPattern memberResourceCalls() {
        String p = MEMBER_RESOURCE_PREFIX;
        List<String> ruleCalls = List.of("DisableRule", "DeleteRule", "PutRule", "RemoveTargets", "PutTargets");
        return EventPattern.builder()
                .source(List.of("aws.events", "aws.iam", "aws.ssm", "aws.config"))
                .detailType(List.of(EventTypes.API_CALL))
                .detail(obj("$or", List.of(
                        // RemoveTargets and PutTargets name the rule "rule", the others "name".
                        obj("eventSource", List.of("events.amazonaws.com"), "eventName", ruleCalls,
                                "requestParameters", obj("name", List.of(obj("prefix", p)))),
                        obj("eventSource", List.of("events.amazonaws.com"), "eventName", ruleCalls,
                                "requestParameters", obj("rule", List.of(obj("prefix", p)))),
                        obj("eventSource", List.of("iam.amazonaws.com"),
                                "eventName", List.of("DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy",
                                        "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy",
                                        "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary"),
                                "requestParameters", obj("roleName", List.of(obj("prefix", p)))),
                        obj("eventSource", List.of("ssm.amazonaws.com"),
                                "eventName", List.of("DeleteDocument", "UpdateDocument",
                                        "UpdateDocumentDefaultVersion", "ModifyDocumentPermission"),
                                "requestParameters", obj("name", List.of(obj("prefix", p)))),
                        // A planted declared baseline would be "restored": the member role reads this path. In the
                        // hub's own account, the deployed definitions its rules are put back from (#14 item 8).
                        obj("eventSource", List.of("ssm.amazonaws.com"),
                                "eventName", List.of("PutParameter", "DeleteParameter"),
                                "requestParameters", obj("name", List.of(obj("prefix",
                                        GuardStack.BASELINE_PARAMETER_PREFIX), obj("prefix",
                                        GuardStack.RULE_DEFINITION_PREFIX)))),
                        obj("eventSource", List.of("ssm.amazonaws.com"),
                                "eventName", List.of("DeleteParameters"),
                                "requestParameters", obj("names", List.of(obj("prefix",
                                        GuardStack.BASELINE_PARAMETER_PREFIX), obj("prefix",
                                        GuardStack.RULE_DEFINITION_PREFIX)))),
                        // The recorder feeds the organization rules and the baselines, whoever's it is.
                        obj("eventSource", List.of("config.amazonaws.com"),
                                "eventName", List.of("StopConfigurationRecorder", "DeleteConfigurationRecorder",
                                        "DeleteDeliveryChannel")))))
                .build();
    }
}
