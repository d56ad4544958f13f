package dev.trailguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.trailguard.aws.AwsCallFailedException;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.SelfGuardConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.notify.Notification;
import dev.trailguard.notify.Notifier;
import dev.trailguard.notify.Severity;
import dev.trailguard.remediation.RemediationStart;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.remediation.RuleRestorer;
import dev.trailguard.remediation.SelfRepair;
import dev.trailguard.remediation.SubscriptionRestorer;
import dev.trailguard.testing.Events;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.mockito.Captor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.mockito.junit.jupiter.MockitoSettings;
import org.mockito.quality.Strictness;
import software.amazon.awssdk.core.exception.SdkClientException;

@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
class GuardServiceTest {

    static final String AUTOMATION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole";
    static final String DEPLOY_ROLE = "arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1";
    static final String FUNCTION_ROLE = "arn:aws:iam::111122223333:role/TrailGuard-TamperResponderRole";
    static final TrailGuardConfig CONFIG = new TrailGuardConfig(
            "arn:aws:sns:us-east-1:111122223333:TrailGuard-Notifications", AUTOMATION_ROLE,
            Set.of(AUTOMATION_ROLE, FUNCTION_ROLE), List.of(), Set.of("TrailGuard-cloudtrail-enabled"));

    @Mock
    Notifier notifier;
    @Mock
    RuleReenabler reenabler;
    @Captor
    ArgumentCaptor<Notification> notification;

    GuardService service(ResponseConfig response) {
        when(notifier.publish(any())).thenReturn("msg-g");
        return new GuardService(new EventReader(), notifier, CONFIG, response, reenabler);
    }

    Notification published() {
        verify(notifier).publish(notification.capture());
        return notification.getValue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "guard/delete-function.json, Lambda function TrailGuard-TamperResponder, the function is gone",
        "guard/put-function-concurrency-zero.json, Lambda function TrailGuard-TrailSweeper, "
                + "reserved concurrency set to 0: the function is throttled and never runs",
        "guard/put-role-policy.json, IAM role TrailGuard-AutomationRole, "
                + "an inline policy on the role was written (could deny what TrailGuard needs)",
        "guard/unsubscribe.json, SNS topic arn:aws:sns:us-east-1:111122223333:TrailGuard-Notifications:"
                + "5c2f6e8a-1b3d-4f5a-9c7e-2d4b6f8a0c1e, a subscriber no longer receives TrailGuard's notifications",
        "guard/stop-configuration-recorder.json, AWS Config recorder default, "
                + "Config stopped recording: TrailGuard's backstop rules and the settings baseline go stale",
        "guard/delete-config-rule.json, AWS Config rule TrailGuard-cloudtrail-enabled, the backstop rule is gone",
        "guard/put-baseline-parameter.json, Declared baseline /trailguard/baseline/management-events, "
                + "the known-good baseline was rewritten: a restore would apply the new one"
    })
    void tamperWithTrailGuard_shouldNotifyCriticalNamingResourceAndEffect(String event, String resource,
                                                                          String effect) {
        // when
        Outcome outcome = service(ResponseConfig.defaults()).handle(Events.load(event));

        // then
        assertThat(outcome.outcome()).isEqualTo("GUARD_TAMPERED");
        verifyNoInteractions(reenabler);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.kind()).isEqualTo("GUARD_TAMPERED");
        assertThat(n.details()).containsEntry("Resource", resource).containsEntry("Effect", effect)
                .containsKeys("CloudTrail Lake SQL", "Athena SQL");
        assertThat(n.action().description()).startsWith("Reported only: redeploy the TrailGuard stack");
        assertThat(n.actor().principalArn()).isEqualTo("arn:aws:iam::111122223333:user/mallory");
    }

    @Test
    void callByAwsServicePrincipalWithoutArn_shouldStillBeReportedNotCrash() throws Exception {
        // given: DeleteFunction made by an AWS service (userIdentity has no arn and no session issuer), with
        // deployment roles configured, so both own-role and authorized-role checks see null ARNs
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode event =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Events.load("guard/delete-function.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("detail")).set("userIdentity",
                json.readTree("{\"type\":\"AWSService\",\"invokedBy\":\"cloudformation.amazonaws.com\"}"));
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS,
                DEPLOY_ROLE));

        // when
        Outcome outcome = service(response).handle(json.writeValueAsBytes(event));

        // then
        assertThat(outcome.outcome()).isEqualTo("GUARD_TAMPERED");
        assertThat(published().severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void lambdaEventName_shouldLoseItsApiVersion() {
        // when
        Outcome outcome = service(ResponseConfig.defaults()).handle(Events.load("guard/delete-function.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("GUARD_TAMPERED");
        assertThat(published().headline()).isEqualTo("DeleteFunction on TrailGuard's Lambda function");
    }

    @Test
    void disableRule_shouldStartReenableRunbookAndNotifyCritical() {
        // given
        when(reenabler.reenable("TrailGuard-TamperEvents", "default", "us-east-1",
                "1a2b3c4d-0001-4e5f-8a9b-0c1d2e3f4a01"))
                .thenReturn(new RemediationStart(Optional.of("exec-enable"), "us-east-1", "t", false, false));

        // when
        Outcome outcome = service(ResponseConfig.defaults()).handle(Events.load("guard/disable-rule.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REENABLE_STARTED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.action().executionId()).isEqualTo("exec-enable");
        assertThat(n.action().description()).isEqualTo("Started TrailGuard-EnableRule in us-east-1 to enable the "
                + "rule again.");
    }

    @Test
    void reenableStartFails_shouldStillNotifyCriticalAndSaySo() {
        // given
        when(reenabler.reenable(any(), any(), any(), any())).thenThrow(new AwsCallFailedException(
                "ssm:StartAutomationExecution", SdkClientException.create("connection reset")));

        // when
        Outcome outcome = service(ResponseConfig.defaults()).handle(Events.load("guard/disable-rule.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("REENABLE_NOT_STARTED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.action().description()).contains("Enable the rule by hand now");
    }

    @Test
    void failedCall_shouldReportAttemptWithoutActing() {
        // when
        Outcome outcome = service(ResponseConfig.defaults())
                .handle(Events.load("guard/disable-rule-access-denied.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("ATTEMPT_BLOCKED");
        verifyNoInteractions(reenabler);
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.HIGH);
        assertThat(n.details()).containsEntry("Error code", "AccessDenied");
    }

    @Test
    void someoneElsesRule_shouldBeIgnoredWithoutNotification() {
        // when
        Outcome outcome = service(ResponseConfig.defaults()).handle(Events.load("guard/delete-other-rule.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("NOT_TRAILGUARD_RESOURCE");
        verify(notifier, never()).publish(any());
    }

    @Test
    void deploymentRoleUpdatingCode_shouldBeReportedMediumNotCritical() {
        // given
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.AUTHORIZED_ROLE_ARNS,
                DEPLOY_ROLE));

        // when
        Outcome outcome = service(response).handle(Events.load("guard/update-function-code-by-deployment.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("AUTHORIZED_CHANGE");
        assertThat(published().severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void sameDeploymentCallWithoutAuthorizedRoles_shouldBeCritical() {
        // when
        Outcome outcome = service(ResponseConfig.defaults())
                .handle(Events.load("guard/update-function-code-by-deployment.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("GUARD_TAMPERED");
    }

    @Test
    void automationRoleDisablingOwnRule_shouldBeTamperingNotIgnored() {
        // given: TrailGuard's runbooks never call DisableRule, so the automation role doing it was borrowed
        String event = new String(Events.load("guard/disable-rule.json"), StandardCharsets.UTF_8)
                .replace("\"arn\": \"arn:aws:iam::111122223333:user/mallory\"", "\"arn\": \"" + AUTOMATION_ROLE
                        + "\"");
        when(reenabler.reenable(any(), any(), any(), any()))
                .thenReturn(new RemediationStart(Optional.of("exec-enable"), "us-east-1", "t", false, false));

        // when
        Outcome outcome = service(ResponseConfig.defaults()).handle(event.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("REENABLE_STARTED");
        assertThat(published().severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void ownFunctionRole_shouldBeIgnored() {
        // given
        String event = new String(Events.load("guard/disable-rule.json"), StandardCharsets.UTF_8)
                .replace("\"arn\": \"arn:aws:iam::111122223333:user/mallory\"", "\"arn\": \"" + FUNCTION_ROLE
                        + "\"");

        // when
        Outcome outcome = service(ResponseConfig.defaults()).handle(event.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("IGNORED_OWN_ACTION");
        verify(notifier, never()).publish(any());
        verifyNoInteractions(reenabler);
    }

    @Test
    void otherPrefix_shouldChangeWhatCountsAsTrailGuards() {
        // given: resources named Guard-* instead of TrailGuard-*
        ResponseConfig response = ResponseConfig.fromEnvironment(Map.of(ResponseConfig.RESOURCE_PREFIX, "Guard-"));

        // when
        Outcome outcome = service(response).handle(Events.load("guard/delete-function.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("NOT_TRAILGUARD_RESOURCE");
    }

    @Test
    void accepts_shouldTakeWatchedServicesOnlyNotCloudTrailOrConfigCompliance() {
        // given
        GuardService guard = new GuardService(new EventReader(), notifier, CONFIG, ResponseConfig.defaults(),
                reenabler);

        // then
        assertThat(guard.accepts(Events.load("guard/put-role-policy.json"))).isTrue();
        assertThat(guard.accepts(Events.load("guard/stop-configuration-recorder.json"))).isTrue();
        assertThat(guard.accepts(Events.load("cloudtrail/stop-logging.json"))).isFalse();
        assertThat(guard.accepts(Events.load("config/cloudtrail-enabled-non-compliant.json"))).isFalse();
        assertThat(guard.accepts("{not json".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void functionName_shouldComeFromNameOrFullOrPartialArn() {
        // then
        assertThat(GuardClassifier.functionName("TrailGuard-X")).isEqualTo("TrailGuard-X");
        assertThat(GuardClassifier.functionName("arn:aws:lambda:us-east-1:111122223333:function:TrailGuard-X:live"))
                .isEqualTo("TrailGuard-X");
        assertThat(GuardClassifier.functionName("111122223333:function:TrailGuard-X")).isEqualTo("TrailGuard-X");
    }

    // --- #14 items 8-10 --------------------------------------------------------------------------

    static final SelfGuardConfig SELF = SelfGuardConfig.fromEnvironment(Map.of(
            SelfGuardConfig.SECOND_CHANNEL_TOPIC_ARN, "arn:aws:sns:us-east-1:111122223333:TrailGuard-SecondChannel",
            SelfGuardConfig.TOPIC_KEY_ARN,
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            SelfGuardConfig.SUBSCRIPTIONS, "[{\"protocol\":\"email\",\"endpoint\":\"secops@example.com\"}]"));

    @Mock
    RuleRestorer rules;
    @Mock
    SubscriptionRestorer subscriptions;
    @Mock
    Notifier secondChannel;
    @Mock
    dev.trailguard.remediation.DeliveryRepairs keys;

    GuardService selfGuarding() {
        when(notifier.publish(any())).thenReturn("msg-g");
        return new GuardService(new EventReader(), notifier, CONFIG, ResponseConfig.defaults(), reenabler, SELF,
                new SelfRepair(rules, subscriptions, keys), secondChannel);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "guard/put-rule-disabled.json, TrailGuard-GuardEventBridgeRuleA7D73FA5-1Q2W3E4R5T6Y",
        "guard/put-rule-on-backstop.json, TrailGuard-GuardBackstopRule4713D339-1Q2W3E4R5T6Y",
        "guard/put-targets-constant-input.json, TrailGuard-TamperEvents",
        "guard/remove-targets.json, TrailGuard-TamperEvents"
    })
    void ruleChanged_shouldBePutBackFromItsDeployedDefinition(String event, String rule) {
        // given
        when(rules.restore(rule, null)).thenReturn(List.of("state DISABLED -> ENABLED"));

        // when
        Outcome outcome = selfGuarding().handle(Events.load(event));

        // then
        assertThat(outcome.outcome()).isEqualTo("RULE_RESTORED");
        verify(rules).restore(rule, null);
        verifyNoInteractions(reenabler, subscriptions, secondChannel);
        assertThat(published().action().description()).contains("state DISABLED -> ENABLED");
    }

    @Test
    void ruleRestoreUnavailable_shouldStillNotifyCriticalAndSayRedeploy() {
        // when: the five-argument service has no rule restorer (an older stack)
        Outcome outcome = service(ResponseConfig.defaults()).handle(Events.load("guard/remove-targets.json"));

        // then
        assertThat(outcome.outcome()).isEqualTo("RULE_NOT_RESTORED");
        Notification n = published();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.action().description()).contains("Redeploy the TrailGuard stack now");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "guard/disable-topic-key.json, KMS key of the notification topic, TOPIC_KEY_REPAIRED",
        "guard/schedule-topic-key-deletion.json, KMS key of the notification topic, TOPIC_KEY_REPAIRED",
        "guard/put-data-protection-policy.json, SNS topic, GUARD_TAMPERED",
        "guard/unsubscribe.json, SNS topic, SUBSCRIPTIONS_RESTORED",
        "guard/set-subscription-filter-policy.json, SNS topic, SUBSCRIPTIONS_RESTORED"
    })
    void notificationPath_shouldGoThroughTheSecondChannelFirst(String event, String component, String expected) {
        // given
        when(secondChannel.publish(any())).thenReturn("msg-second");
        org.mockito.Mockito.lenient().when(subscriptions.restore(any(), any()))
                .thenReturn(List.of("subscribed email secops@example.com again"));

        // when
        Outcome outcome = selfGuarding().handle(Events.load(event));

        // then
        assertThat(outcome.outcome()).isEqualTo(expected);
        assertThat(outcome.messageId()).isEqualTo("msg-second");
        org.mockito.InOrder order = org.mockito.Mockito.inOrder(secondChannel, notifier);
        order.verify(secondChannel).publish(notification.capture());
        order.verify(notifier).publish(any());
        assertThat(notification.getValue().details().get("Resource")).startsWith(component);
        assertThat(notification.getValue().severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void unsubscribe_shouldRestoreOnTheTopicOfTheSubscription() {
        // given
        when(secondChannel.publish(any())).thenReturn("msg-second");
        when(subscriptions.restore(any(), any())).thenReturn(List.of());

        // when
        Outcome outcome = selfGuarding().handle(Events.load("guard/unsubscribe.json"));

        // then
        verify(subscriptions).restore("arn:aws:sns:us-east-1:111122223333:TrailGuard-Notifications",
                SELF.subscriptions());
        assertThat(outcome.outcome()).isEqualTo("SUBSCRIPTIONS_AS_CONFIGURED");
    }

    @Test
    void someoneElsesKey_shouldBeIgnored() {
        // given: a key that is not the topic's
        String event = new String(Events.load("guard/disable-topic-key.json"), StandardCharsets.UTF_8)
                .replace("1234abcd-12ab-34cd-56ef-1234567890ab", "99999999-12ab-34cd-56ef-1234567890ab");
        GuardService guard = new GuardService(new EventReader(), notifier, CONFIG, ResponseConfig.defaults(),
                reenabler, SELF, new SelfRepair(rules, subscriptions), secondChannel);

        // when
        Outcome outcome = guard.handle(event.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(outcome.outcome()).isEqualTo("NOT_TRAILGUARD_RESOURCE");
        verifyNoInteractions(notifier, secondChannel);
    }

    @Test
    void attachRolePolicy_shouldBeTamperingWithTheRole() {
        // when
        Outcome outcome = selfGuarding().handle(Events.load("guard/attach-role-policy-deny-all.json"));

        // then: reported on the topic, not the notification path
        assertThat(outcome.outcome()).isEqualTo("GUARD_TAMPERED");
        verifyNoInteractions(secondChannel);
        assertThat(published().details()).containsEntry("Effect",
                "a managed policy was attached to the role (AWSDenyAll or any Deny silences it)");
    }
}
