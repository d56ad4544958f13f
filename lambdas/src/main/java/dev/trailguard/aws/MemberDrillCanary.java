package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import dev.trailguard.drill.Canary;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * {@link Canary} of the organization hub: stops a member account's canary as that account's drill role
 * ({@code TrailGuard-MemberDrill}, which trusts only the hub's FireDrill role and may only stop the canary). The
 * account is the canary ARN's. The role is assumed anew for each drill (one a day per account: nothing to cache), with
 * the session name {@value #SESSION_NAME}, which the member's CloudTrail records with the StopLogging.
 */
public final class MemberDrillCanary implements Canary {

    static final String SESSION_NAME = "TrailGuard-drill";

    private final AwsClients hub;
    private final String roleName;
    private final String partition;

    public MemberDrillCanary(AwsClients hub, String roleName, String partition) {
        this.hub = hub;
        this.roleName = roleName;
        this.partition = partition;
    }

    @Override
    public void stopLogging(String trailArn, String homeRegion) {
        String account = trailArn.split(":", 6)[4];
        String role = "arn:" + partition + ":iam::" + account + ":role/" + roleName;
        try (StsAssumeRoleCredentialsProvider credentials = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(hub.sts())
                .refreshRequest(r -> r.roleArn(role).roleSessionName(SESSION_NAME))
                .asyncCredentialUpdateEnabled(false)
                .build()) {
            try {
                credentials.resolveCredentials();
            } catch (SdkException e) {
                throw new AwsCallFailedException("sts:AssumeRole", e);
            }
            try (AwsClients member = hub.in(Region.of(homeRegion), credentials)) {
                call("cloudtrail:StopLogging", () -> member.cloudTrail().stopLogging(b -> b.name(trailArn)));
            }
        }
    }
}
