package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The cost table of docs/organization.md, computed from the synthesized templates with {@link CostModel}: the fixed
 * monthly cost of guarding 10, 100 and 1,000 accounts in 17 regions with one single-account stack per account and region
 * versus the hub design. Prints the table; fails if the hub costs more than a twentieth at 100 accounts.
 */
class CostTableTest {

    static final int REGIONS = 17;
    static final List<Integer> ACCOUNTS = List.of(10, 100, 1_000);
    /** The target: the hub design at most 1/20 of the single-account stacks at 100 accounts. */
    static final double TARGET_RATIO = 20;

    private static JsonNode single;
    private static JsonNode hub;
    private static List<JsonNode> members;
    private static JsonNode definition;

    @BeforeAll
    static void synthesize() throws Exception {
        // the single-account stack as the documented command deploys it in every account and region
        Map<String, Object> context = new java.util.HashMap<>(DocumentedCommandsTest.cdkJsonContext());
        App singleApp = new App(AppProps.builder().context(context).build());
        single = TestStacks.tree(Template.fromStack(TestStacks.stacks(singleApp,
                TrailGuardApp.environment(singleApp.getNode())).guard()));
        // the organization mode's stacks with their default settings (the test's OUs and regions do not change a count)
        App app = TestStacks.app(OrganizationTestStacks.context());
        TrailGuardApp.OrganizationStacks org = TestStacks.stacks(app, TrailGuardApp.environment(app.getNode()))
                .organization();
        hub = TestStacks.tree(Template.fromStack(org.hub()));
        members = List.of(TestStacks.JSON.readTree(org.members().forwardingTemplate().body()),
                TestStacks.JSON.readTree(org.members().rolesTemplate().body()),
                TestStacks.JSON.readTree(org.members().canaryTemplate().body()),
                TestStacks.tree(Template.fromStack(org.management())));
        definition = OrganizationSweepTest.definition(hub);
    }

    /** Standard-workflow transitions of one sweep of {@code accounts} accounts in one OU. */
    static double transitionsPerSweep(int accounts) {
        return new SweepWalk(definition, accounts, false).transitions()
                + new SweepWalk(definition, accounts, true).transitions();
    }

    @Test
    void theHub_shouldCostAtMostATwentiethOfTheSingleAccountStacks_at100Accounts() {
        CostModel.Counts singleCounts = CostModel.count(single, REGIONS);
        CostModel.Counts hubCounts = CostModel.count(hub, REGIONS);
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "per stack, from the templates: single-account %.2f alarms (per region),"
                        + " %d KMS key, %d periodic Config rules, %d schedules; hub %.0f alarms, %d KMS key, %d Config"
                        + " organization rules, sweep every %.0f min, %.0f Standard transitions per sweep of 100 accounts%n",
                singleCounts.alarms(), singleCounts.kmsKeys(), singleCounts.configRuleHours().size(),
                singleCounts.schedules().size(), hubCounts.alarms(), hubCounts.kmsKeys(),
                hubCounts.organizationRuleHours().size(),
                CostModel.HOURS_PER_MONTH * 60 / hubCounts.schedules().stream().filter(CostModel.Schedule::startsSweep)
                        .findFirst().orElseThrow().perMonth(), transitionsPerSweep(100)));
        table.append("| accounts x 17 regions | single-account stacks (USD/month) | hub design (USD/month) | ratio |\n");
        table.append("|---|---|---|---|\n");
        double ratioAt100 = 0;
        for (int accounts : ACCOUNTS) {
            double singleCost = CostModel.singleAccount(single, accounts, REGIONS);
            double hubCost = CostModel.hub(hub, members, accounts, REGIONS, CostTableTest::transitionsPerSweep);
            double ratio = singleCost / hubCost;
            if (accounts == 100) {
                ratioAt100 = ratio;
            }
            table.append(String.format(Locale.ROOT, "| %,d x 17 = %,d | %,.0f | %,.0f | 1/%.1f |%n", accounts,
                    accounts * REGIONS, singleCost, hubCost, ratio));
        }
        table.append("\nat 100 accounts x 17 regions, line by line (USD/month):\n");
        table.append("| line | single-account stacks | hub design |\n|---|---|---|\n");
        Map<String, Double> singleLines = CostModel.singleAccountLines(single, 100, REGIONS);
        Map<String, Double> hubLines = CostModel.hubLines(hub, members, 100, REGIONS, CostTableTest::transitionsPerSweep);
        java.util.Set<String> names = new java.util.LinkedHashSet<>(singleLines.keySet());
        names.addAll(hubLines.keySet());
        for (String name : names) {
            table.append(String.format(Locale.ROOT, "| %s | %,.2f | %,.2f |%n", name, singleLines.getOrDefault(name, 0.0),
                    hubLines.getOrDefault(name, 0.0)));
        }
        System.out.print(table);

        assertThat(ratioAt100).as("single-account cost / hub cost at 100 accounts").isGreaterThanOrEqualTo(TARGET_RATIO);
    }

    @Test
    void theModel_shouldCountWhatTheTemplatesCreate() {
        // the single-account stack: 30 alarms everywhere (since #14 one per rule for the KMS guard rule, the two watches,
        // the notification path and the delivery rule's dead letters, and the topic's delivery failures) and the IAM
        // guard rule's alarm in us-east-1 only, plus the fire drill's five (its function's three, its schedule's DLQ
        // delivery, the canary not restored; #16)
        CostModel.Counts counts = CostModel.count(single, REGIONS);
        assertThat(counts.alarms()).isEqualTo(30 + 5 + 1.0 / REGIONS);
        assertThat(counts.kmsKeys()).isEqualTo(1);
        assertThat(counts.configRuleHours()).containsExactly(1.0, 1.0);
        // the sweep, the daily keepalive and the weekly fire drill
        assertThat(counts.schedules()).extracting(s -> Math.round(s.perMonth() * 1000) / 1000.0)
                .containsExactlyInAnyOrder(8_760.0, 30.417, 4.345);
        // the hub: 32 alarms (31 before the delivery rule on its bus, #14 items 5 and 6 in organization mode), plus its
        // fire drill's five (issue 16 item 5: the FireDrill function's three, its daily schedule's dead letters, and one
        // CanaryNotRestored on the organization-wide series, not one per account)
        assertThat(CostModel.count(hub, REGIONS).alarms()).isEqualTo(32 + 5.0);
        // the members: nothing priced at all (the canary records nothing; its bucket holds a few digests)
        for (JsonNode member : members) {
            CostModel.Counts m = CostModel.count(member, REGIONS);
            assertThat(m.alarms() + m.kmsKeys() + m.functions() + m.configRuleHours().size()).isZero();
        }
        // a sweep of one full page: the top execution (2 + 1 per OU), then the OU's (7 once, 5 per page, 1 per account)
        assertThat(transitionsPerSweep(20)).isEqualTo(3 + 7 + 5 + 20);
        assertThat(transitionsPerSweep(21)).isEqualTo(3 + 7 + 2 * 5 + 21);
    }

    /**
     * Walks the sweep's definition as one execution runs it when nothing fails: the top execution (no {@code parentId})
     * or one OU's holding {@code accounts} accounts in pages of 20 and no child OU. Each state entered is a Standard
     * transition; an inline Map's iterations count theirs, a Distributed Map's Express children one transition each
     * (to start them; their own steps are billed as Express).
     */
    static final class SweepWalk {
        private final JsonNode definition;
        private final int accounts;
        private final boolean oneUnit;
        private int pagesServed;

        SweepWalk(JsonNode definition, int accounts, boolean oneUnit) {
            this.definition = definition;
            this.accounts = accounts;
            this.oneUnit = oneUnit;
        }

        int transitions() {
            return walk(definition, definition.path("StartAt").asText());
        }

        private int pages() {
            return Math.max(1, (accounts + CostModel.PAGE_SIZE - 1) / CostModel.PAGE_SIZE);
        }

        private int walk(JsonNode machine, String start) {
            int count = 0;
            String name = start;
            int guard = 0;
            while (name != null) {
                if (++guard > 100_000) {
                    throw new IllegalStateException("the walk does not end");
                }
                JsonNode state = machine.path("States").path(name);
                count++;
                switch (state.path("Type").asText()) {
                    case "Choice" -> name = choose(state);
                    case "Map" -> {
                        count += mapTransitions(state);
                        name = state.path("Next").asText(null);
                    }
                    case "Task" -> {
                        if (state.path("Resource").asText().endsWith("listAccountsForParent")) {
                            pagesServed++;
                        }
                        name = state.path("Next").asText(null);
                    }
                    default -> name = state.path("Next").asText(null);
                }
            }
            return count;
        }

        private int mapTransitions(JsonNode map) {
            String items = map.path("ItemsPath").asText();
            int iterations = switch (items) {
                case "$.parentIds" -> 1;
                case "$.units.OrganizationalUnits" -> 0;
                case "$.page.Accounts" -> Math.min(CostModel.PAGE_SIZE, accounts - (pagesServed - 1) * CostModel.PAGE_SIZE);
                default -> throw new IllegalStateException("a Map over " + items + " the walk does not know");
            };
            if ("DISTRIBUTED".equals(map.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText())) {
                return iterations;
            }
            int perIteration = iterations == 0 ? 0 : walk(map.path("ItemProcessor"),
                    map.path("ItemProcessor").path("StartAt").asText());
            return iterations * perIteration;
        }

        /** The branch the execution takes: the OU branch per the walk, more pages while any is left, no failure. */
        private String choose(JsonNode choice) {
            for (JsonNode rule : choice.path("Choices")) {
                String text = rule.toString();
                if (text.contains("$.parentId\"")) {
                    if (oneUnit) {
                        return rule.path("Next").asText();
                    }
                } else if (text.contains("$.page.NextToken")) {
                    if (pagesServed < pages()) {
                        return rule.path("Next").asText();
                    }
                } else if (!text.contains("BooleanEquals") && !text.contains("$.units.NextToken")
                        && !text.contains("StringEquals")) {
                    throw new IllegalStateException("a choice the walk does not know: " + text);
                }
            }
            return choice.path("Default").asText();
        }
    }
}
