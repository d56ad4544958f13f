package dev.trailguard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.aws.CloudTrailCanary;
import dev.trailguard.aws.EmfDrillMetrics;
import dev.trailguard.config.DrillConfig;
import dev.trailguard.drill.DrillSetup;
import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.AwsClients;
import dev.trailguard.config.ConfigurationException;
import dev.trailguard.config.MemberAccess;
import dev.trailguard.config.ResponseConfig;
import dev.trailguard.config.TrailGuardConfig;
import dev.trailguard.core.Outcome;
import dev.trailguard.event.EventReader;
import dev.trailguard.handler.Dependencies;
import dev.trailguard.handler.EventFunction;
import dev.trailguard.handler.Functions;
import dev.trailguard.notify.NotificationRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Runs one function's handler once on an event file, as Lambda would, and prints a one-line JSON outcome.
 *
 * <pre>java -jar trailguard-lambdas.jar &lt;FunctionName&gt; &lt;event.json&gt; [--dry-run]
 * java -jar trailguard-lambdas.jar --drill</pre>
 *
 * <p>With configuration and AWS credentials it makes the real calls (pointed anywhere with {@code AWS_ENDPOINT_URL});
 * {@code --dry-run} makes only read calls. Without credentials or configuration it prints the plan it can derive
 * from the event alone and names what it could not look up.
 */
public final class LocalInvoke {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** Without configuration, the plan assumes TrailGuard's Config rule has its default name. */
    static final String PLACEHOLDER_CONFIG_RULE = "trailguard-cloudtrail-enabled";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    LocalInvoke(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new LocalInvoke(System.getenv(), System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }

    int run(String[] args) {
        if (args.length == 1 && "--drill".equals(args[0])) {
            return drill();
        }
        List<String> positional = new ArrayList<>();
        boolean dryRun = false;
        for (String arg : args) {
            if ("--dry-run".equals(arg)) {
                dryRun = true;
            } else if (arg.startsWith("-")) {
                return usage("unknown option " + arg);
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() != 2) {
            return usage("expected a function name and an event file");
        }
        Function<Dependencies, EventFunction> factory = Functions.factory(positional.get(0));
        if (factory == null) {
            return usage("unknown function '" + positional.get(0) + "'");
        }
        byte[] event;
        try {
            event = Files.readAllBytes(Path.of(positional.get(1)));
        } catch (IOException | RuntimeException e) {
            return usage("cannot read event file '" + positional.get(1) + "': " + e.getMessage());
        }
        EventReader reader = new EventReader();
        EventFacts facts = EventFacts.of(reader.mapper(), event);
        List<String> notes = new ArrayList<>();
        if (!hasRegion()) {
            // No region configured: use the event's, which is where the function would run.
            System.setProperty("aws.region", facts.region());
            notes.add("region " + facts.region() + " taken from the event (AWS_REGION not set)");
        }
        NotificationRenderer renderer = new NotificationRenderer(reader.mapper());
        DryRunNotifier dryNotifier = new DryRunNotifier(renderer);
        OfflineTrailLocator offline = null;
        OfflineAutomationExecutions offlineExecutions = null;
        Dependencies deps;
        TrailGuardConfig config = null;
        try {
            config = TrailGuardConfig.fromEnvironment(env);
        } catch (ConfigurationException e) {
            notes.add(e.getMessage());
        }
        boolean credentials = hasCredentials();
        if (!credentials) {
            notes.add("no AWS credentials found: nothing was looked up or changed");
        }
        if (config == null || !credentials) {
            dryRun = true;
            offline = new OfflineTrailLocator(facts.partition(), facts.region(), facts.account());
            TrailGuardConfig placeholder = config != null ? config : placeholderConfig(facts);
            offlineExecutions = new OfflineAutomationExecutions(placeholder);
            deps = new Dependencies(placeholder, reader, offline, new DryRunRemediator(), dryNotifier,
                    offlineExecutions).withReenabler(new DryRunRuleReenabler())
                    .withDeliveryRepairs(new DryRunDeliveryRepairs());
        } else {
            ResponseConfig response;
            MemberAccess memberAccess;
            try {
                response = ResponseConfig.fromEnvironment(env);
                memberAccess = MemberAccess.fromEnvironment(env);
            } catch (ConfigurationException e) {
                return usage(e.getMessage());
            }
            AwsClients clients = AwsClients.inRegion(System.getProperty("aws.region",
                    env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", facts.region()))));
            // With TRAILGUARD_MEMBER_ROLE_NAME and TRAILGUARD_MEMBER_AUTOMATION_ROLE_NAME set (the organization hub's
            // configuration), an event from another account is handled with that account's member role.
            deps = Dependencies.live(config, response, clients).withHub(memberAccess, clients);
            if (dryRun) {
                UnaryOperator<Dependencies> dry = d -> d.withRemediator(new DryRunRemediator())
                        .withRestorer(new DryRunTrailRestorer()).withReenabler(new DryRunRuleReenabler())
                        .withDeliveryRepairs(new DryRunDeliveryRepairs()).withNotifier(dryNotifier);
                // a member account's adapters are dry too
                deps = dry.apply(deps.withMembers(deps.members().adjusted(dry)));
            }
        }
        try {
            Outcome outcome;
            try {
                outcome = factory.apply(deps).invoke(event);
            } catch (PlanNeedsAwsException e) {
                outcome = Outcome.of("PLAN_NEEDS_AWS", facts.eventId()).note(e.getMessage()).build();
            }
            Outcome.Builder shown = Outcome.of(outcome.outcome(), outcome.eventId())
                    .trail(outcome.trailArn(), outcome.homeRegion())
                    .execution(outcome.executionId(), outcome.clientToken())
                    .severity(outcome.severity()).messageId(outcome.messageId())
                    .dryRun(dryRun).notes(outcome.notes()).notes(notes);
            outcome.items().forEach(shown::item);
            if (offline != null) {
                offline.unresolved().forEach(u -> shown.note("not looked up: " + u));
                offlineExecutions.unresolved().forEach(u -> shown.note("not looked up: " + u));
            }
            dryNotifier.subjects().forEach(s -> shown.note("would notify: " + s));
            out.println(reader.mapper().writeValueAsString(shown.build()));
            return OK;
        } catch (RuntimeException | IOException e) {
            err.println("error: " + e.getMessage());
            out.println("{\"outcome\":\"FAILED\",\"error\":" + quote(reader.mapper(), e.getMessage()) + "}");
            return FAILED;
        }
    }

    private int usage(String problem) {
        err.println("error: " + problem);
        err.println("usage: java -jar trailguard-lambdas.jar <FunctionName> <event.json> [--dry-run]");
        err.println("       java -jar trailguard-lambdas.jar --drill   (one fire drill, in this process)");
        err.println("functions: " + String.join(", ", Functions.names()));
        return USAGE;
    }

    /**
     * One fire drill through the FireDrill, TamperResponder and RemediationReporter in this process
     * ({@link LocalDrill}); needs the functions' configuration with the drill's variables and credentials. Prints the
     * stage times as one JSON line on standard output; the metric lines (EMF) go to standard error with the logs.
     */
    private int drill() {
        EventReader reader = new EventReader();
        TrailGuardConfig config;
        ResponseConfig response;
        DrillConfig drillConfig;
        try {
            config = TrailGuardConfig.fromEnvironment(env);
            response = ResponseConfig.fromEnvironment(env);
            drillConfig = DrillConfig.fromEnvironment(env);
        } catch (ConfigurationException e) {
            return usage(e.getMessage());
        }
        if (!drillConfig.enabled()) {
            return usage("--drill needs " + DrillConfig.CANARY_TRAIL_ARN + " and " + DrillConfig.DRILL_ROLE_ARN);
        }
        if (!hasCredentials()) {
            return usage("--drill stops the canary: it needs AWS credentials (and AWS_ENDPOINT_URL for a stub)");
        }
        String region = drillConfig.canaryTrailArn().get().split(":")[3];
        AwsClients clients = AwsClients.inRegion(System.getProperty("aws.region",
                env.getOrDefault("AWS_REGION", region)));
        LocalDrill.Recording recording = new LocalDrill.Recording(new EmfDrillMetrics(err, Clock.systemUTC()));
        Dependencies deps = Dependencies.live(config, response, clients).withDrill(new DrillSetup(drillConfig,
                new CloudTrailCanary(clients::cloudTrail), recording, Clock.systemUTC()));
        try {
            ObjectNode summary = new LocalDrill(deps, recording, reader.mapper(), Clock.systemUTC(),
                    drillConfig.deadline()).run();
            out.println(reader.mapper().writeValueAsString(summary));
            String outcome = summary.path("outcome").asText();
            return outcome.equals("DRILL_PASSED") || outcome.equals("DRILL_SLOW") ? OK : FAILED;
        } catch (RuntimeException | IOException e) {
            err.println("error: " + e.getMessage());
            out.println("{\"outcome\":\"FAILED\",\"error\":" + quote(reader.mapper(), e.getMessage()) + "}");
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private boolean hasRegion() {
        return notBlank(env.get("AWS_REGION")) || notBlank(env.get("AWS_DEFAULT_REGION"))
                || notBlank(System.getProperty("aws.region"));
    }

    /**
     * Whether the default credentials chain can find credentials without asking the EC2 instance metadata service
     * (which would stall on a laptop): environment, system properties, a profile file, container or web identity.
     */
    private boolean hasCredentials() {
        if (notBlank(env.get("AWS_ACCESS_KEY_ID")) || notBlank(System.getProperty("aws.accessKeyId"))
                || notBlank(env.get("AWS_PROFILE")) || notBlank(env.get("AWS_WEB_IDENTITY_TOKEN_FILE"))
                || notBlank(env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
                || notBlank(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"))) {
            return true;
        }
        String home = System.getProperty("user.home");
        String files = env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials");
        String config = env.getOrDefault("AWS_CONFIG_FILE", home + "/.aws/config");
        return Files.isRegularFile(Path.of(files)) || Files.isRegularFile(Path.of(config));
    }

    private static TrailGuardConfig placeholderConfig(EventFacts facts) {
        String prefix = "arn:" + facts.partition();
        return new TrailGuardConfig(prefix + ":sns:" + facts.region() + ":" + facts.account() + ":unset",
                prefix + ":iam::" + facts.account() + ":role/unset", Set.of(), List.of(),
                Set.of(PLACEHOLDER_CONFIG_RULE),
                Set.of(prefix + ":iam::" + facts.account() + ":role/unset-function"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String quote(ObjectMapper mapper, String s) {
        try {
            return mapper.writeValueAsString(s == null ? "" : s);
        } catch (IOException e) {
            return "\"\"";
        }
    }

    /** Account, region and partition read leniently from the event, for the offline plan. */
    record EventFacts(String account, String region, String partition, String eventId) {
        static EventFacts of(ObjectMapper mapper, byte[] event) {
            String account = "000000000000";
            String region = "us-east-1";
            String eventId = null;
            try {
                JsonNode tree = mapper.readTree(event);
                if (tree != null && tree.path("account").asText("").matches("\\d{12}")) {
                    account = tree.get("account").asText();
                }
                if (tree != null && tree.path("id").asText("").matches("[A-Za-z0-9-]{1,64}")) {
                    eventId = tree.get("id").asText();
                }
                if (tree != null && tree.path("region").asText("").matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
                    region = tree.get("region").asText();
                }
            } catch (IOException | RuntimeException e) {
                // The handler reports the unreadable event itself; these are only defaults for the plan.
            }
            String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov"
                    : "aws";
            return new EventFacts(account, region, partition, eventId);
        }
    }
}
