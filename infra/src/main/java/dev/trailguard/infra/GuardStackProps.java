package dev.trailguard.infra;

import java.util.List;
import software.amazon.awscdk.StackProps;
import software.constructs.Node;

/**
 * Everything a {@link GuardStack} is configured with. Built from CDK context by
 * {@link #fromContext(StackProps, String, Node)}; tests build it the same way.
 *
 * @param stackProps                  account/region and description of the stack
 * @param lambdaJar                   path of the shaded Lambda jar that every function deploys
 * @param notificationEmails          e-mail addresses subscribed to the topic (context {@code notificationEmails})
 * @param jsonSubscriberQueueArn      optional SQS queue ARN that receives the SNS envelope (context {@code jsonSubscriberQueueArn})
 * @param jsonSubscriberHttpsUrl      optional HTTPS endpoint that receives the SNS envelope (context {@code jsonSubscriberHttpsUrl})
 * @param guardedTrails               trail names or ARNs to guard; empty means every trail of the account (context {@code guardedTrails})
 * @param sweepMinutes                minutes between two sweeps (context {@code sweepMinutes}, default 5)
 * @param enableLogFileValidationRule also deploy the log-file-validation Config rule (context {@code enableLogFileValidationRule})
 * @param enableEncryptionRule        also deploy the encryption Config rule (context {@code enableEncryptionRule})
 * @param createConfigRecorder        create an AWS Config recorder and delivery channel (context {@code createConfigRecorder})
 */
public record GuardStackProps(
        StackProps stackProps,
        String lambdaJar,
        List<String> notificationEmails,
        String jsonSubscriberQueueArn,
        String jsonSubscriberHttpsUrl,
        List<String> guardedTrails,
        int sweepMinutes,
        boolean enableLogFileValidationRule,
        boolean enableEncryptionRule,
        boolean createConfigRecorder) {

    static final int DEFAULT_SWEEP_MINUTES = 5;

    public GuardStackProps {
        notificationEmails = List.copyOf(notificationEmails);
        guardedTrails = List.copyOf(guardedTrails);
        if (sweepMinutes < 1) {
            throw new IllegalArgumentException("sweepMinutes must be at least 1, was " + sweepMinutes);
        }
        if (jsonSubscriberHttpsUrl != null && !jsonSubscriberHttpsUrl.startsWith("https://")) {
            // Plain HTTP would send tamper reports, including who did what, in clear text.
            throw new IllegalArgumentException("jsonSubscriberHttpsUrl must start with https://");
        }
        if (jsonSubscriberQueueArn != null && !jsonSubscriberQueueArn.startsWith("arn:")) {
            throw new IllegalArgumentException("jsonSubscriberQueueArn must be a queue ARN, was " + jsonSubscriberQueueArn);
        }
    }

    /** Reads the props from the context keys documented in {@code docs/deploy.md}. */
    public static GuardStackProps fromContext(StackProps stackProps, String lambdaJar, Node node) {
        ContextValues context = new ContextValues(node);
        return new GuardStackProps(
                stackProps,
                lambdaJar,
                context.list("notificationEmails"),
                context.string("jsonSubscriberQueueArn"),
                context.string("jsonSubscriberHttpsUrl"),
                context.list("guardedTrails"),
                context.integer("sweepMinutes", DEFAULT_SWEEP_MINUTES),
                context.flag("enableLogFileValidationRule", false),
                context.flag("enableEncryptionRule", false),
                context.flag("createConfigRecorder", false));
    }
}
