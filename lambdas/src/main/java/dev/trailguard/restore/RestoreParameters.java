package dev.trailguard.restore;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook parameters for a restore: the baseline as {@code StartAutomationExecution} takes it. SSM accepts at
 * most 50 values of 1 to 512 characters per parameter, so a setting that is not set is left out (the runbook's
 * default, an empty string, makes UpdateTrail remove it) and each selector is one JSON value of the MapList.
 */
public final class RestoreParameters {

    static final int MAX_VALUE = 512;
    static final int MAX_VALUES = 50;

    private RestoreParameters() {
    }

    public static Map<String, List<String>> of(RestoreRequest request, String automationRoleArn) {
        Baseline baseline = request.baseline();
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("AutomationAssumeRole", List.of(automationRoleArn));
        // CreateTrail takes the name; every other call is made with the ARN, which also works for shadow trails.
        out.put("TrailName", List.of(request.recreate() ? request.trail().name() : request.trail().arn()));
        if (request.recreate() && baseline.settings().isEmpty()) {
            throw new UnrestorableBaselineException("no baseline settings (S3 bucket) to recreate the trail with");
        }
        if (!request.recreate()) {
            out.put("RestoreSettings", List.of(baseline.settings().isPresent() ? "True" : "False"));
        }
        baseline.settings().ifPresent(s -> {
            put(out, "S3BucketName", s.s3BucketName());
            put(out, "S3KeyPrefix", s.s3KeyPrefix());
            put(out, "IsMultiRegionTrail", String.valueOf(s.multiRegion()));
            put(out, "IncludeGlobalServiceEvents", String.valueOf(s.includeGlobalServiceEvents()));
            put(out, "EnableLogFileValidation", String.valueOf(s.logFileValidation()));
            put(out, "KmsKeyId", s.kmsKeyId());
            put(out, "CloudWatchLogsLogGroupArn", s.cloudWatchLogsLogGroupArn());
            put(out, "CloudWatchLogsRoleArn", s.cloudWatchLogsRoleArn());
            put(out, "SnsTopicName", s.snsTopic());
            put(out, "IsOrganizationTrail", String.valueOf(s.organization()));
        });
        if (baseline.selectors().isPresent()) {
            EventSelectors selectors = baseline.selectors().get();
            if (!selectors.unreadable().isEmpty()) {
                throw new UnrestorableBaselineException("the baseline's event selectors cannot be restored as "
                        + "declared: " + String.join("; ", selectors.unreadable()));
            }
            out.put("SelectorType", List.of(selectors.advanced() ? "Advanced" : "Basic"));
            out.put(selectors.advanced() ? "AdvancedEventSelectors" : "EventSelectors",
                    mapList("event selector", selectors.asApiObjects()));
        } else {
            out.put("SelectorType", List.of("Skip"));
        }
        if (baseline.insightTypes().isPresent() && !baseline.insightTypes().get().isEmpty()) {
            List<ObjectNode> insights = new ArrayList<>();
            baseline.insightTypes().get().stream().sorted().forEach(t ->
                    insights.add(JsonNodeFactory.instance.objectNode().put("InsightType", t)));
            out.put("RestoreInsights", List.of("True"));
            out.put("InsightSelectors", mapList("Insights selector", insights));
        } else {
            out.put("RestoreInsights", List.of("False"));
        }
        return out;
    }

    private static void put(Map<String, List<String>> out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            if (value.length() > MAX_VALUE) {
                throw new UnrestorableBaselineException(name + " is longer than " + MAX_VALUE + " characters");
            }
            out.put(name, List.of(value));
        }
    }

    private static List<String> mapList(String what, List<ObjectNode> items) {
        if (items.isEmpty() || items.size() > MAX_VALUES) {
            throw new UnrestorableBaselineException(items.size() + " " + what + "s: the runbook takes 1 to "
                    + MAX_VALUES);
        }
        List<String> out = new ArrayList<>();
        for (ObjectNode item : items) {
            String json = item.toString();
            if (json.length() > MAX_VALUE) {
                throw new UnrestorableBaselineException("an " + what + " is " + json.length()
                        + " characters as JSON; SSM takes at most " + MAX_VALUE + " per value");
            }
            out.add(json);
        }
        return out;
    }
}
