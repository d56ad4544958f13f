package dev.trailguard.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * CloudTrail's {@code userIdentity}: who made the call. Access key ids are deliberately not mapped, so they cannot
 * leak into logs or notifications.
 *
 * @param type           IAMUser, AssumedRole, Root, FederatedUser, AWSService, ...
 * @param principalId    the principal's unique id
 * @param arn            the principal ARN (for an assumed role, the STS session ARN)
 * @param accountId      the principal's account
 * @param userName       the IAM user name, if any
 * @param invokedBy      the AWS service that made the call on the principal's behalf, if any
 * @param sessionContext the role session, if any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserIdentity(String type, String principalId, String arn, String accountId, String userName,
                           String invokedBy, SessionContext sessionContext) {

    /** The role behind an assumed-role session, or empty text. */
    public String sessionIssuerArn() {
        return sessionContext == null || sessionContext.sessionIssuer() == null
                || sessionContext.sessionIssuer().arn() == null ? "" : sessionContext.sessionIssuer().arn();
    }

    /**
     * The role session behind the call.
     *
     * @param sessionIssuer the role (or user) that issued the session
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SessionContext(SessionIssuer sessionIssuer) {
    }

    /**
     * The principal that issued a session.
     *
     * @param type      usually Role
     * @param arn       the role ARN
     * @param accountId the role's account
     * @param userName  the role's name
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SessionIssuer(String type, String arn, String accountId, String userName) {
    }
}
