package dev.trailguard.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-scope tool: the fixed monthly cost of guarding an organization, computed from the synthesized templates (what
 * each stack creates, how often its schedules fire, which states its state machine runs) times AWS list prices. Fixed
 * means what is paid whether or not anyone tampers: alarms, keys, periodic Config evaluations, scheduled sweeps and
 * keepalives. Per-event costs (a tamper event's Lambda invocation, SNS, SSM Automation steps, forwarded events) and
 * log storage are left out of both sides alike.
 */
final class CostModel {

    /**
     * AWS list prices, US East (N. Virginia), in USD, as published on the services' pricing pages and recorded here on
     * 2026-12-02 from the author's knowledge of those pages; this build machine has no network access to AWS's pricing
     * pages or API, so they could not be checked online (see docs/organization.md).
     */
    static final class Prices {
        /** CloudWatch, standard-resolution metric alarm, per alarm-month. */
        static final double ALARM_MONTH = 0.10;
        /** KMS customer-managed key, per key-month (rotation adds up to USD 2 a month after the second year). */
        static final double KMS_KEY_MONTH = 1.00;
        /** AWS Config rule evaluation (first 100,000 per account and region and month). */
        static final double CONFIG_EVALUATION = 0.001;
        /** Step Functions Standard workflows, per state transition. */
        static final double SFN_TRANSITION = 0.025 / 1_000;
        /** Step Functions Express workflows, per request, and per GB-second (first 1,000 GB-hours). */
        static final double EXPRESS_REQUEST = 1.00 / 1_000_000;
        static final double EXPRESS_GB_SECOND = 0.00001667;
        /** Lambda, per request, and per GB-second on arm64. */
        static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
        static final double LAMBDA_ARM_GB_SECOND = 0.0000133334;

        private Prices() {
        }
    }

    /** Hours in the average month, as AWS prices count them. */
    static final double HOURS_PER_MONTH = 730;
    /** Billed duration assumed per sweep of one account-region (a few CloudTrail reads; an AssumeRole in the hub). */
    static final double SWEEP_SECONDS = 0.5;
    /** Billed duration assumed per keepalive ping (the function answers without a call). */
    static final double KEEPALIVE_SECONDS = 0.05;
    /** An Express child sweeping one account (all regions at once), and the memory Express bills it at. */
    static final double EXPRESS_CHILD_SECONDS = 2;
    static final double EXPRESS_CHILD_GB = 0.0625;
    /** Accounts per ListAccountsForParent page. */
    static final int PAGE_SIZE = 20;

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private CostModel() {
    }

    /** What one template creates that has a fixed monthly price. */
    record Counts(double alarms, int kmsKeys, int functions, List<Double> configRuleHours,
                  List<Double> organizationRuleHours, List<Schedule> schedules) { }

    /**
     * A schedule rule: how often it fires and what it starts.
     *
     * @param targetsLambda how many Lambda targets it invokes (each invocation billed)
     * @param keepalive     whether it is the keepalive ping (cheap) rather than a sweep
     * @param startsSweep   whether it starts the organization sweep's state machine
     */
    record Schedule(double perMonth, int targetsLambda, boolean keepalive, boolean startsSweep) { }

    /**
     * Counts a template's priced resources. A resource under a condition that holds in one region only (the IAM guard
     * rule's alarm, us-east-1) counts {@code 1 / regions} per region.
     */
    static Counts count(JsonNode template, int regions) {
        double alarms = 0;
        int keys = 0;
        int functions = 0;
        List<Double> configRules = new ArrayList<>();
        List<Double> organizationRules = new ArrayList<>();
        List<Schedule> schedules = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields();
        while (it.hasNext()) {
            JsonNode resource = it.next().getValue();
            JsonNode p = resource.path("Properties");
            double share = resource.has("Condition") ? 1.0 / regions : 1.0;
            switch (resource.path("Type").asText()) {
                case "AWS::CloudWatch::Alarm" -> alarms += share;
                case "AWS::KMS::Key" -> keys++;
                case "AWS::Lambda::Function" -> functions++;
                case "AWS::Config::ConfigRule" -> configRules.add(frequencyHours(p.path("MaximumExecutionFrequency").asText()));
                case "AWS::Config::OrganizationConfigRule" -> organizationRules.add(frequencyHours(
                        p.path("OrganizationManagedRuleMetadata").path("MaximumExecutionFrequency").asText()));
                case "AWS::Events::Rule" -> {
                    if (p.has("ScheduleExpression")) {
                        int lambdas = 0;
                        boolean sweep = false;
                        boolean keepalive = false;
                        for (JsonNode target : p.path("Targets")) {
                            String arn = target.path("Arn").toString();
                            lambdas += arn.contains("Alias") ? 1 : 0;
                            sweep |= arn.contains("StateMachine");
                            keepalive |= target.path("Input").asText().contains(GuardStack.KEEPALIVE_SOURCE);
                        }
                        schedules.add(new Schedule(perMonth(p.path("ScheduleExpression").asText()), lambdas, keepalive,
                                sweep));
                    }
                }
                default -> { }
            }
        }
        return new Counts(alarms, keys, functions, configRules, organizationRules, schedules);
    }

    /** Config's MaximumExecutionFrequency in hours. */
    static double frequencyHours(String frequency) {
        return switch (frequency) {
            case "One_Hour" -> 1;
            case "Three_Hours" -> 3;
            case "Six_Hours" -> 6;
            case "Twelve_Hours" -> 12;
            case "TwentyFour_Hours", "" -> 24;
            default -> throw new IllegalArgumentException("unknown frequency " + frequency);
        };
    }

    static double perMonth(String rate) {
        Matcher m = RATE.matcher(rate);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rate expression: " + rate);
        }
        double every = Double.parseDouble(m.group(1)) * (m.group(2).startsWith("minute") ? 1
                : m.group(2).startsWith("hour") ? 60 : 24 * 60);
        return HOURS_PER_MONTH * 60 / every;
    }

    /** The Lambda functions' memory in GB (they all have the same). */
    static double functionGb(JsonNode template) {
        for (JsonNode resource : template.path("Resources")) {
            if (resource.path("Type").asText().equals("AWS::Lambda::Function")) {
                return resource.path("Properties").path("MemorySize").asDouble() / 1024;
            }
        }
        throw new IllegalArgumentException("no function");
    }

    /** The single-account stack in every account and region: its monthly cost for {@code accounts} accounts. */
    static double singleAccount(JsonNode guard, int accounts, int regions) {
        return singleAccountLines(guard, accounts, regions).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The same, line by line. */
    static Map<String, Double> singleAccountLines(JsonNode guard, int accounts, int regions) {
        Counts c = count(guard, regions);
        double stacks = (double) accounts * regions;
        Map<String, Double> lines = new java.util.LinkedHashMap<>();
        lines.put("CloudWatch alarms", c.alarms() * Prices.ALARM_MONTH * stacks);
        lines.put("KMS keys", c.kmsKeys() * Prices.KMS_KEY_MONTH * stacks);
        lines.put("Config rule evaluations", c.configRuleHours().stream()
                .mapToDouble(h -> HOURS_PER_MONTH / h * Prices.CONFIG_EVALUATION).sum() * stacks);
        lines.put("Lambda (sweeps, keepalive)", scheduledLambda(c.schedules(), functionGb(guard)) * stacks);
        return lines;
    }

    private static double scheduledLambda(List<Schedule> schedules, double gb) {
        double cost = 0;
        for (Schedule schedule : schedules) {
            if (schedule.startsSweep()) {
                continue;
            }
            double seconds = schedule.keepalive() ? KEEPALIVE_SECONDS : SWEEP_SECONDS;
            cost += schedule.perMonth() * schedule.targetsLambda() * lambda(seconds, gb);
        }
        return cost;
    }

    private static double lambda(double seconds, double gb) {
        return Prices.LAMBDA_REQUEST + seconds * gb * Prices.LAMBDA_ARM_GB_SECOND;
    }

    /**
     * The hub, the members and the management account's member: the hub's own resources once, the Config organization
     * rules per account, and per sweep the state machine's transitions, its Express children and the sweeper's
     * invocations over accounts x regions.
     *
     * @param transitionsPerSweep Standard-workflow transitions of one sweep of {@code accounts} accounts
     * @param members             the member templates (their priced resources count once per account and region)
     */
    static double hub(JsonNode hub, List<JsonNode> members, int accounts, int regions,
            java.util.function.IntToDoubleFunction transitionsPerSweep) {
        return hubLines(hub, members, accounts, regions, transitionsPerSweep).values().stream()
                .mapToDouble(Double::doubleValue).sum();
    }

    /** The same, line by line. */
    static Map<String, Double> hubLines(JsonNode hub, List<JsonNode> members, int accounts, int regions,
            java.util.function.IntToDoubleFunction transitionsPerSweep) {
        Counts c = count(hub, regions);
        double gb = functionGb(hub);
        double sweeps = c.schedules().stream().filter(Schedule::startsSweep).mapToDouble(Schedule::perMonth).sum();
        Map<String, Double> lines = new java.util.LinkedHashMap<>();
        double memberAlarms = 0;
        double memberKeys = 0;
        double memberConfig = 0;
        for (JsonNode member : members) {
            Counts m = count(member, regions);
            // counted in every account and region, although the roles exist once per account
            memberAlarms += m.alarms() * Prices.ALARM_MONTH * accounts * regions;
            memberKeys += m.kmsKeys() * Prices.KMS_KEY_MONTH * accounts * regions;
            memberConfig += m.configRuleHours().stream()
                    .mapToDouble(h -> HOURS_PER_MONTH / h * Prices.CONFIG_EVALUATION).sum() * accounts * regions;
            if (m.functions() > 0 || !m.schedules().isEmpty()) {
                throw new IllegalStateException("a member template runs code: price it before claiming the hub's cost");
            }
        }
        lines.put("CloudWatch alarms", c.alarms() * Prices.ALARM_MONTH + memberAlarms);
        lines.put("KMS keys", c.kmsKeys() * Prices.KMS_KEY_MONTH + memberKeys);
        lines.put("Config rule evaluations", c.organizationRuleHours().stream()
                .mapToDouble(h -> HOURS_PER_MONTH / h * Prices.CONFIG_EVALUATION * accounts).sum() + memberConfig);
        lines.put("Step Functions Standard transitions",
                sweeps * transitionsPerSweep.applyAsDouble(accounts) * Prices.SFN_TRANSITION);
        lines.put("Step Functions Express children", sweeps * accounts
                * (Prices.EXPRESS_REQUEST + EXPRESS_CHILD_SECONDS * EXPRESS_CHILD_GB * Prices.EXPRESS_GB_SECOND));
        lines.put("Lambda (sweeps, keepalive)", scheduledLambda(c.schedules(), gb)
                + sweeps * accounts * regions * lambda(SWEEP_SECONDS, gb));
        return lines;
    }
}
