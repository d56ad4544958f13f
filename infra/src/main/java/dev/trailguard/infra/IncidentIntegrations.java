package dev.trailguard.infra;

import dev.trailguard.contract.Environment;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The integrations the context switched on (docs/integrations.md): for each, the least the functions need and the
 * variable that tells them. Security Hub: {@code securityhub:BatchImportFindings} on this account's default product
 * only. The incident event: {@code events:PutEvents} on this region's default bus only. Chat: a topic of its own,
 * encrypted with the notification topic's key and TLS-only, and {@code sns:Publish} on it. Nothing when all are off.
 */
final class IncidentIntegrations extends Construct {

    private final IntegrationProps props;
    private final Topic chatTopic;

    IncidentIntegrations(final Construct scope, final String id, final IntegrationProps props, final IKey topicKey,
            final Collection<? extends IRole> functionRoles) {
        super(scope, id);
        this.props = props;
        Stack stack = Stack.of(this);
        if (props.securityHubFindings()) {
            PolicyStatement importFindings = PolicyStatement.Builder.create()
                    .sid("ImportSecurityHubFindings")
                    .actions(List.of("securityhub:BatchImportFindings"))
                    .resources(List.of(defaultProductArn(stack)))
                    .build();
            functionRoles.forEach(role -> role.addToPrincipalPolicy(importFindings));
        }
        if (props.incidentEvents()) {
            PolicyStatement putEvents = PolicyStatement.Builder.create()
                    .sid("PutIncidentEvents")
                    .actions(List.of("events:PutEvents"))
                    .resources(List.of("arn:" + stack.getPartition() + ":events:" + stack.getRegion() + ":"
                            + stack.getAccount() + ":event-bus/default"))
                    .build();
            functionRoles.forEach(role -> role.addToPrincipalPolicy(putEvents));
        }
        if (props.chatNotifications()) {
            chatTopic = Topic.Builder.create(this, "ChatTopic")
                    .displayName("TrailGuard chat")
                    .masterKey(topicKey)
                    .enforceSsl(true)
                    .build();
            // grantPublish also grants kms:Decrypt and kms:GenerateDataKey* on the key.
            functionRoles.forEach(chatTopic::grantPublish);
            CfnOutput.Builder.create(this, "ChatTopicArn").value(chatTopic.getTopicArn())
                    .description("Subscribe Amazon Q Developer in chat applications to this topic").build();
        } else {
            chatTopic = null;
        }
    }

    /** {@code arn:<partition>:securityhub:<region>:<account>:product/<account>/default}: the account's own product. */
    static String defaultProductArn(Stack stack) {
        return "arn:" + stack.getPartition() + ":securityhub:" + stack.getRegion() + ":" + stack.getAccount()
                + ":product/" + stack.getAccount() + "/default";
    }

    /** The chat topic, or null when chat is off. */
    Topic chatTopic() {
        return chatTopic;
    }

    /** The variables that switch the functions' integrations on (none when all are off). */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        if (props.securityHubFindings()) {
            environment.put(Environment.SECURITY_HUB_FINDINGS, "true");
        }
        if (props.incidentEvents()) {
            environment.put(Environment.INCIDENT_EVENTS, "true");
        }
        if (chatTopic != null) {
            environment.put(Environment.CHAT_TOPIC_ARN, chatTopic.getTopicArn());
        }
        return environment;
    }
}
