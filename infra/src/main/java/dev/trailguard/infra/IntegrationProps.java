package dev.trailguard.infra;

/**
 * Which integrations to deploy (docs/integrations.md); every one is off unless its context switch says {@code true}.
 *
 * @param securityHubFindings import every notification into Security Hub as an ASFF finding (context
 *                            {@code securityHubFindings}); adds {@code securityhub:BatchImportFindings} on the
 *                            account's default product
 * @param incidentEvents      put every notification on the default event bus as a {@code TrailGuard Incident} event
 *                            (context {@code incidentEvents}); adds {@code events:PutEvents} on the default bus
 * @param chatNotifications   publish a chat card of every notification to a second topic for Amazon Q Developer in
 *                            chat applications (context {@code chatNotifications}); adds the topic and
 *                            {@code sns:Publish} on it
 */
public record IntegrationProps(boolean securityHubFindings, boolean incidentEvents, boolean chatNotifications) {

    /** All off: the stack as it was before the integrations. */
    public static final IntegrationProps NONE = new IntegrationProps(false, false, false);

    static IntegrationProps fromContext(ContextValues context) {
        return new IntegrationProps(context.flag("securityHubFindings", false), context.flag("incidentEvents", false),
                context.flag("chatNotifications", false));
    }
}
