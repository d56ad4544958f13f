package dev.trailguard.handler;

import dev.trailguard.aws.AwsClients;
import dev.trailguard.aws.CloudTrailConfigurations;
import dev.trailguard.aws.CloudTrailCanary;
import dev.trailguard.aws.CloudTrailDirectLogging;
import dev.trailguard.aws.CloudTrailLocator;
import dev.trailguard.aws.ConfigHistoryBaselineSource;
import dev.trailguard.aws.DeclaredBaselineSource;
import dev.trailguard.aws.EmfDrillMetrics;
import dev.trailguard.aws.EventBridgeIncidents;
import dev.trailguard.aws.MemberDrillCanary;
import dev.trailguard.aws.SnsChatPublisher;
import dev.trailguard.aws.EventBridgeRuleRestorer;
import dev.trailguard.aws.SnsSubscriptionRestorer;
import dev.trailguard.aws.SnsNotifier;
import dev.trailguard.aws.SsmAutomationExecutions;
import dev.trailguard.aws.SsmRemediator;
import dev.trailguard.aws.SsmRuleReenabler;
import dev.trailguard.aws.SsmTrailRestorer;
import dev.trailguard.config.DrillConfig;
import dev.trailguard.config.IntegrationsConfig;
import dev.trailguard.config.MemberAccess;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.SelfGuardConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.drill.DrillSetup;
import dev.trailguard.event.EventReader;
import dev.trailguard.member.ForwardingRules;
import dev.trailguard.notify.AccountNamingNotifier;
import dev.trailguard.notify.ChatCard;
import dev.trailguard.notify.Integration;
import dev.trailguard.notify.IntegratingNotifier;
import dev.trailguard.notify.NotificationRenderer;
import dev.trailguard.notify.Notifier;
import dev.trailguard.remediation.AutomationExecutions;
import dev.trailguard.remediation.DeliveryRepairs;
import dev.trailguard.remediation.DirectStartFallback;
import dev.trailguard.remediation.Remediator;
import dev.trailguard.remediation.RuleReenabler;
import dev.trailguard.remediation.SelfRepair;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.DeclaredDelivery;
import dev.trailguard.restore.LayeredBaselineSource;
import dev.trailguard.restore.Reconciler;
import dev.trailguard.restore.TrailConfigurations;
import dev.trailguard.restore.TrailRestorer;
import dev.trailguard.restore.UnrestorableBaselineException;
import dev.trailguard.trail.TrailLocator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a function needs, wired once per function instance. Handlers take this in their test constructor; the
 * no-arg constructor uses {@link #fromEnvironment()}; the local invoke swaps in dry-run or offline adapters.
 *
 * @param config     validated configuration
 * @param reader     event parsing
 * @param locator    trail lookups
 * @param remediator runbook starts
 * @param notifier   notifications
 * @param executions runbook execution lookups, in the execution's region
 * @param response   configuration of the restore and guard-the-guard responses
 * @param baselines  where trail baselines come from
 * @param restorer   restore and recreate runbook starts
 * @param reenabler  re-enabling of TrailGuard's own EventBridge rules
 * @param configurations a trail's current settings, selectors and Insights, to compare a restore with its baseline
 * @param members    the organization hub's way into member accounts ({@link Members#NONE} in single-account mode)
 * @param forwarding a member account's forwarding rules, for the sweep ({@link ForwardingRules#NONE} elsewhere)
 * @param deliveryRepairs  repairs of the trails' keys, buckets, Lake event data stores and the Config recorder
 * @param declaredDelivery the declared bucket policies and lifecycles of the trails' buckets
 * @param selfGuard  what TrailGuard knows of its own notification path and rule definitions
 * @param repair     rule and subscription restores of TrailGuard's own resources
 * @param secondChannel the second channel's notifier (no TrailGuard KMS key), null when none is deployed
 * @param drill      the fire drill: which StopLogging is a drill, the canary, the drill metrics
 *                   ({@link DrillSetup#none()} without a canary)
 */
public record Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                           Notifier notifier, AutomationExecutions executions, ResponseConfig response,
                           BaselineSource baselines, TrailRestorer restorer, RuleReenabler reenabler,
                           TrailConfigurations configurations, Members members, ForwardingRules forwarding,
                           DeliveryRepairs deliveryRepairs, DeclaredDelivery.Source declaredDelivery,
                           SelfGuardConfig selfGuard, SelfRepair repair, Notifier secondChannel, DrillSetup drill) {

    /**
     * Without delivery repairs or declared bucket settings (delivery sabotage is reported only), without repairs of
     * TrailGuard's own rules and subscriptions, without a second channel, and without fire drills.
     */
    public Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                        Notifier notifier, AutomationExecutions executions, ResponseConfig response,
                        BaselineSource baselines, TrailRestorer restorer, RuleReenabler reenabler,
                        TrailConfigurations configurations, Members members, ForwardingRules forwarding) {
        this(config, reader, locator, remediator, notifier, executions, response, baselines, restorer, reenabler,
                configurations, members, forwarding, DrillSetup.none());
    }

    /** With fire drills, without delivery repairs, self-guard repairs or a second channel. */
    public Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                        Notifier notifier, AutomationExecutions executions, ResponseConfig response,
                        BaselineSource baselines, TrailRestorer restorer, RuleReenabler reenabler,
                        TrailConfigurations configurations, Members members, ForwardingRules forwarding,
                        DrillSetup drill) {
        this(config, reader, locator, remediator, notifier, executions, response, baselines, restorer, reenabler,
                configurations, members, forwarding, DeliveryRepairs.none(), DeclaredDelivery.Source.none(),
                SelfGuardConfig.none(), SelfRepair.none(), null, drill);
    }

    /** Without fire drills. */
    public Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                        Notifier notifier, AutomationExecutions executions, ResponseConfig response,
                        BaselineSource baselines, TrailRestorer restorer, RuleReenabler reenabler,
                        TrailConfigurations configurations, Members members, ForwardingRules forwarding,
                        DeliveryRepairs deliveryRepairs, DeclaredDelivery.Source declaredDelivery,
                        SelfGuardConfig selfGuard, SelfRepair repair, Notifier secondChannel) {
        this(config, reader, locator, remediator, notifier, executions, response, baselines, restorer, reenabler,
                configurations, members, forwarding, deliveryRepairs, declaredDelivery, selfGuard, repair,
                secondChannel, DrillSetup.none());
    }

    /** For the function's own account only (single-account mode). */
    public Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                        Notifier notifier, AutomationExecutions executions, ResponseConfig response,
                        BaselineSource baselines, TrailRestorer restorer, RuleReenabler reenabler,
                        TrailConfigurations configurations) {
        this(config, reader, locator, remediator, notifier, executions, response, baselines, restorer, reenabler,
                configurations, Members.NONE, ForwardingRules.NONE);
    }

    /** Without a reader of current trail configurations: restores are reported as not verified. */
    public Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                        Notifier notifier, AutomationExecutions executions, ResponseConfig response,
                        BaselineSource baselines, TrailRestorer restorer, RuleReenabler reenabler) {
        this(config, reader, locator, remediator, notifier, executions, response, baselines, restorer, reenabler,
                TrailConfigurations.none());
    }

    /** Without restore adapters: changes are reported, nothing is restored (offline use, older callers). */
    public Dependencies(TrailGuardConfig config, EventReader reader, TrailLocator locator, Remediator remediator,
                        Notifier notifier, AutomationExecutions executions) {
        this(config, reader, locator, remediator, notifier, executions, ResponseConfig.defaults(),
                BaselineSource.none(), request -> {
                    throw new UnrestorableBaselineException("restores are not configured here");
                }, RuleReenabler.none());
    }

    /** Reads and validates the environment, then builds the real AWS adapters. */
    public static Dependencies fromEnvironment() {
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(System.getenv());
        ResponseConfig response = ResponseConfig.fromEnvironment(System.getenv());
        MemberAccess members = MemberAccess.fromEnvironment(System.getenv());
        IntegrationsConfig integrations = IntegrationsConfig.fromEnvironment(System.getenv());
        SelfGuardConfig selfGuard = SelfGuardConfig.fromEnvironment(System.getenv());
        AwsClients clients = new AwsClients();
        DrillSetup drill = drill(DrillConfig.fromEnvironment(System.getenv()), config, clients);
        // Integrations inside the hub's naming: the finding, the event and the card name the account too.
        return live(config, response, clients).withDrill(drill).withSelfGuard(selfGuard, clients)
                .withIntegrations(integrations, clients).withHub(members, clients);
    }

    /**
     * The fire drill's adapters. Single account: the own canary, stopped with the function's own role. Organization hub:
     * the member accounts' canaries, each stopped as that account's drill role, the accounts from Organizations, and
     * the config bound to the hub's own account (which is a member too); every member account's functions get theirs
     * from {@link Members#wire}. Standard output: Lambda sends it to the log group, where the EMF lines become the
     * drill's metrics.
     */
    static DrillSetup drill(DrillConfig drill, TrailGuardConfig config, AwsClients clients) {
        if (!drill.organization()) {
            return new DrillSetup(drill, new CloudTrailCanary(clients::cloudTrail),
                    new EmfDrillMetrics(System.out, Clock.systemUTC()), Clock.systemUTC());
        }
        return new DrillSetup(drill, new MemberDrillCanary(clients, drill.members().roleName(), config.partition()),
                new EmfDrillMetrics(System.out, Clock.systemUTC(), true), Clock.systemUTC(),
                clients.drillAccounts(config.partition(), drill.members().parentIds()))
                .forAccount(config.partition(), config.ownAccount());
    }

    /**
     * With the integrations the deployment switched on (Security Hub findings, the incident event, the chat card):
     * each notification goes to them first and then to the topic, which a failure of theirs never stops
     * ({@link IntegratingNotifier}). Unchanged when none is on.
     */
    public Dependencies withIntegrations(IntegrationsConfig integrations, AwsClients clients) {
        if (!integrations.any()) {
            return this;
        }
        NotificationRenderer renderer = new NotificationRenderer(reader.mapper());
        List<Integration> enabled = new ArrayList<>();
        if (integrations.securityHubFindings()) {
            enabled.add(clients.securityHub(config.partition(), config.ownAccount(), reader.mapper()));
        }
        if (integrations.incidentEvents()) {
            enabled.add(new EventBridgeIncidents(clients.events(), renderer));
        }
        if (integrations.chatTopicArn() != null) {
            enabled.add(new SnsChatPublisher(clients.sns(), integrations.chatTopicArn(), new ChatCard(reader.mapper()),
                    renderer));
        }
        return withNotifier(new IntegratingNotifier(notifier, enabled));
    }

    /**
     * In the organization hub ({@code access} enabled): the way into member accounts, and a notifier that names the
     * account of every notification (name and organizational unit). Unchanged in single-account mode.
     */
    public Dependencies withHub(MemberAccess access, AwsClients clients) {
        if (!access.enabled()) {
            return this;
        }
        return withMembers(Members.live(access, clients, config))
                .withNotifier(new AccountNamingNotifier(notifier, clients.accountDirectory(config.partition())));
    }

    /** The real AWS adapters over the given clients, with the default response configuration. */
    public static Dependencies live(TrailGuardConfig config, AwsClients clients) {
        return live(config, ResponseConfig.defaults(), clients);
    }

    /** The real AWS adapters over the given clients. */
    public static Dependencies live(TrailGuardConfig config, ResponseConfig response, AwsClients clients) {
        EventReader reader = new EventReader();
        NotificationRenderer renderer = new NotificationRenderer(reader.mapper());
        // Built at init, with the others: under SnapStart it is then in the snapshot instead of on the first event's
        // path (most trails live in the function's own region; other regions' clients are still built on demand).
        // Declared baseline (deployment-owned SSM parameter) first; AWS Config's history for the settings it omits.
        DeclaredBaselineSource declared = new DeclaredBaselineSource(clients.ssm(clients.region()),
                response.baselineParameterPrefix(), reader.mapper());
        BaselineSource baselines = new LayeredBaselineSource(declared,
                new ConfigHistoryBaselineSource(clients::config, reader.mapper()));
        return new Dependencies(config, reader,
                new CloudTrailLocator(clients.cloudTrail()),
                // SSM first; StartLogging directly only when SSM has no capacity left (docs/restore.md).
                new DirectStartFallback(new SsmRemediator(clients::ssm, config.automationRoleArn()),
                        new CloudTrailDirectLogging(clients::cloudTrail)),
                new SnsNotifier(clients.sns(), config.topicArn(), renderer),
                new SsmAutomationExecutions(clients::ssm),
                response, baselines,
                new SsmTrailRestorer(clients::ssm, config.automationRoleArn()),
                new SsmRuleReenabler(clients::ssm, config.automationRoleArn()),
                new CloudTrailConfigurations(clients.cloudTrail()))
                .withDelivery(clients.deliveryRepairs(), declared);
    }

    /** Compares a trail with its baseline before a restart, and restores or recreates it (every restart path). */
    public Reconciler reconciler() {
        return new Reconciler(baselines, configurations, restorer, response);
    }

    /**
     * With the repairs of TrailGuard's own rules (deployed definitions in SSM, EventBridge in the function's region)
     * and subscriptions, and the second channel when one is deployed.
     */
    public Dependencies withSelfGuard(SelfGuardConfig value, AwsClients clients) {
        SelfRepair selfRepair = new SelfRepair(
                new EventBridgeRuleRestorer(clients.events(), clients.ssm(clients.region()),
                        value.ruleDefinitionPrefix(), reader.mapper()),
                new SnsSubscriptionRestorer(clients.sns()), clients.deliveryRepairs());
        Notifier second = value.hasSecondChannel() ? new SnsNotifier(clients.sns(), value.secondChannelTopicArn(),
                new NotificationRenderer(reader.mapper())) : null;
        return with(b -> {
            b.selfGuard = value;
            b.repair = selfRepair;
            b.secondChannel = second;
        });
    }

    public Dependencies withRemediator(Remediator value) {
        return with(b -> b.remediator = value);
    }

    public Dependencies withNotifier(Notifier value) {
        return with(b -> b.notifier = value);
    }

    public Dependencies withLocator(TrailLocator value) {
        return with(b -> b.locator = value);
    }

    public Dependencies withExecutions(AutomationExecutions value) {
        return with(b -> b.executions = value);
    }

    public Dependencies withRestorer(TrailRestorer value) {
        return with(b -> b.restorer = value);
    }

    public Dependencies withReenabler(RuleReenabler value) {
        return with(b -> b.reenabler = value);
    }

    public Dependencies withConfigurations(TrailConfigurations value) {
        return with(b -> b.configurations = value);
    }

    public Dependencies withMembers(Members value) {
        return with(b -> b.members = value);
    }

    public Dependencies withForwarding(ForwardingRules value) {
        return with(b -> b.forwarding = value);
    }

    public Dependencies withBaselines(BaselineSource value) {
        return with(b -> b.baselines = value);
    }

    public Dependencies withDeliveryRepairs(DeliveryRepairs value) {
        return with(b -> b.deliveryRepairs = value);
    }

    public Dependencies withDelivery(DeliveryRepairs repairs, DeclaredDelivery.Source declared) {
        return with(b -> {
            b.deliveryRepairs = repairs;
            b.declaredDelivery = declared;
        });
    }

    public Dependencies withDrill(DrillSetup value) {
        return with(b -> b.drill = value);
    }

    /** A copy with {@code change} applied: one place that lists every component. */
    private Dependencies with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return new Dependencies(c.config, c.reader, c.locator, c.remediator, c.notifier, c.executions, c.response,
                c.baselines, c.restorer, c.reenabler, c.configurations, c.members, c.forwarding, c.deliveryRepairs,
                c.declaredDelivery, c.selfGuard, c.repair, c.secondChannel, c.drill);
    }

    /** The components, mutable, for {@link #with}. */
    private static final class Copy {
        TrailGuardConfig config;
        EventReader reader;
        TrailLocator locator;
        Remediator remediator;
        Notifier notifier;
        AutomationExecutions executions;
        ResponseConfig response;
        BaselineSource baselines;
        TrailRestorer restorer;
        RuleReenabler reenabler;
        TrailConfigurations configurations;
        Members members;
        ForwardingRules forwarding;
        DeliveryRepairs deliveryRepairs;
        DeclaredDelivery.Source declaredDelivery;
        SelfGuardConfig selfGuard;
        SelfRepair repair;
        Notifier secondChannel;
        DrillSetup drill;

        Copy(Dependencies d) {
            config = d.config;
            reader = d.reader;
            locator = d.locator;
            remediator = d.remediator;
            notifier = d.notifier;
            executions = d.executions;
            response = d.response;
            baselines = d.baselines;
            restorer = d.restorer;
            reenabler = d.reenabler;
            configurations = d.configurations;
            members = d.members;
            forwarding = d.forwarding;
            deliveryRepairs = d.deliveryRepairs;
            declaredDelivery = d.declaredDelivery;
            selfGuard = d.selfGuard;
            repair = d.repair;
            secondChannel = d.secondChannel;
            drill = d.drill;
        }
    }
}
