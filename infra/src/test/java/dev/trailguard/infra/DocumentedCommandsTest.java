package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Every {@code cdk deploy} and {@code cdk synth} command that README.md and docs/*.md tell a user to run, synthesized as
 * written: cdk.json's context overlaid with the command's {@code -c key=value} pairs (strings, as the CLI passes them),
 * the environment the app itself derives (none unless the command names one), and cdk-nag's checks on, exactly as
 * {@code cdk.json} runs the app. A doc change that breaks the documented path fails here.
 */
class DocumentedCommandsTest {

    static final Path ROOT = Path.of("..");
    private static final Pattern FENCE = Pattern.compile("(?ms)^[ \\t]*```[^\\n]*\\n(.*?)^[ \\t]*```");
    private static final Pattern INLINE = Pattern.compile("`([^`]+)`");

    /**
     * One documented command.
     *
     * @param where   file and the command's first words, for messages
     * @param stacks  the stacks it names (empty: every stack)
     * @param context its {@code -c} pairs
     */
    record Command(String where, List<String> stacks, Map<String, String> context) {
        @Override
        public String toString() {
            return where;
        }
    }

    static List<Command> documented() {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Command> commands = new ArrayList<>();
        for (Path file : files) {
            String text = read(file);
            List<String> lines = new ArrayList<>();
            Matcher fence = FENCE.matcher(text);
            while (fence.find()) {
                // a trailing backslash continues the command on the next line
                for (String line : fence.group(1).replaceAll("\\\\\\s*\\n\\s*", " ").split("\\n")) {
                    lines.add(line);
                }
            }
            Matcher inline = INLINE.matcher(FENCE.matcher(text).replaceAll(""));
            while (inline.find()) {
                lines.add(inline.group(1).replaceAll("\\s+", " "));
            }
            for (String line : lines) {
                List<String> words = words(line);
                int cdk = words.indexOf("cdk");
                if (cdk < 0 || cdk + 1 >= words.size() || !Set.of("deploy", "synth").contains(words.get(cdk + 1))) {
                    continue;
                }
                Command command = parse(ROOT.relativize(file) + ": " + String.join(" ", words), words.subList(cdk + 2, words.size()));
                if (seen.add(command.stacks() + " " + command.context())) {
                    commands.add(command);
                }
            }
        }
        return commands;
    }

    /** Splits like a POSIX shell: single and double quotes group, {@code #} after a blank starts a comment. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && !inWord) {
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    static Command parse(String where, List<String> args) {
        List<String> stacks = new ArrayList<>();
        Map<String, String> context = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("-c") || arg.equals("--context")) && i + 1 < args.size()) {
                String pair = args.get(++i);
                int eq = pair.indexOf('=');
                assertThat(eq).as("%s: -c %s is not key=value", where, pair).isPositive();
                context.put(pair.substring(0, eq), pair.substring(eq + 1));
            } else if (!arg.startsWith("-")) {
                stacks.add(arg);
            }
        }
        return new Command(where, stacks, context);
    }

    static Stream<Command> commands() {
        return documented().stream();
    }

    @Test
    void theDocs_shouldGiveTheCommandsThisTestRuns() {
        // a parser that finds nothing would pass every check below
        List<Command> commands = documented();
        assertThat(commands).extracting(Command::stacks).contains(List.of(), List.of(TrailGuardApp.GUARD_STACK_NAME),
                List.of(TrailGuardApp.GUARDRAIL_STACK_NAME));
        assertThat(commands).anyMatch(c -> "management-events".equals(c.context().get("guardedTrails"))
                && c.context().containsKey("notificationEmails"));
        // organization mode: the hub and the stack sets from the delegated administrator, the management account's member
        assertThat(commands).extracting(Command::stacks).contains(List.of(TrailGuardApp.HUB_STACK_NAME),
                List.of(TrailGuardApp.MEMBERS_STACK_NAME), List.of(TrailGuardApp.MANAGEMENT_MEMBER_STACK_NAME));
        assertThat(commands).anyMatch(c -> c.stacks().equals(List.of(TrailGuardApp.GUARDRAIL_STACK_NAME))
                && c.context().containsKey("organizationId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void documentedCommand_shouldSynthesizeWithoutAnUnacknowledgedFinding(Command command) {
        // then no value is a placeholder the user would have to guess
        command.context().forEach((key, value) -> assertThat(value)
                .as("%s: -c %s is a placeholder, not an example that works as written", command, key)
                .doesNotContain("<", ">", "..."));
        synthesizeClean(command.toString(), command.context(), command.stacks());
    }

    static Stream<Arguments> guardedTrailForms() {
        String arn = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/data-events";
        return Stream.of(
                Arguments.of("by name", Map.of("guardedTrails", "management-events")),
                Arguments.of("by ARN", Map.of("guardedTrails", arn)),
                Arguments.of("mixed", Map.of("guardedTrails", "management-events," + arn)),
                Arguments.of("several names as a JSON list", Map.of("guardedTrails", "[\"management-events\",\"data-events\"]")),
                Arguments.of("in another region", Map.of("guardedTrails", "management-events,data-events",
                        "account", "111122223333", "region", "eu-west-1")),
                Arguments.of("in us-east-1", Map.of("guardedTrails", "management-events," + arn,
                        "account", "111122223333", "region", "us-east-1")));
    }

    @ParameterizedTest(name = "guardedTrails {0}")
    @MethodSource("guardedTrailForms")
    void everyGuardedTrailForm_shouldSynthesizeWithoutAnUnacknowledgedFinding(String form, Map<String, String> context) {
        synthesizeClean("guardedTrails " + form, context, List.of(TrailGuardApp.GUARD_STACK_NAME));
    }

    /** Synthesizes as {@code cdk.json} does and fails on any cdk-nag error or warning in any stack. */
    static void synthesizeClean(String what, Map<String, String> commandLine, List<String> stackNames) {
        // given cdk.json's context, overridden by the command line (the CLI passes -c values as strings)
        Map<String, Object> context = new LinkedHashMap<>(cdkJsonContext());
        context.putAll(commandLine);
        App app = new App(AppProps.builder().context(context).build());

        // when the app builds its stacks as TrailGuardApp.main does
        TrailGuardApp.Stacks stacks = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()));
        Aspects.of(app).add(new AwsSolutionsChecks());
        List<Stack> all = stacks.all();
        all.forEach(Template::fromStack);

        // then every stack it names exists, and nothing is left unacknowledged
        assertThat(all).extracting(Stack::getStackName).as(what).containsAll(stackNames);
        for (Stack stack : all) {
            assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as("%s: cdk-nag errors in %s", what, stack.getStackName()).isEmpty();
            assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as("%s: cdk-nag warnings in %s", what, stack.getStackName()).isEmpty();
        }
    }

    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = TestStacks.JSON.readValue(ROOT.resolve("cdk.json").toFile(),
                    new TypeReference<Map<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) cdkJson.getOrDefault("context", Map.of());
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
