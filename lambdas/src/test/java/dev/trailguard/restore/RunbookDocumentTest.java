package dev.trailguard.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * Validates the runbooks in {@code runbooks/}: they parse, use schema 0.3 and known actions, every step's CloudTrail
 * API and input names are the real ones (checked against the SDK's own model of each request), every
 * {@code {{ Parameter }}} is declared, every step is reachable and every branch target exists; and what
 * {@link RestoreParameters} sends fits the document it starts.
 */
class RunbookDocumentTest {

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");
    static final Set<String> ACTIONS = Set.of("aws:executeAwsApi", "aws:assertAwsResourceProperty", "aws:branch");
    static final Set<String> TYPES = Set.of("String", "StringList", "Boolean", "Integer", "MapList", "StringMap");
    static final Set<String> NOT_API_INPUTS = Set.of("Service", "Api", "PropertySelector", "DesiredValues");
    /** EventBridge's SDK module is not a dependency: its two calls' parameters, from the EventBridge API reference. */
    static final Map<String, Set<String>> EVENTS_API = Map.of(
            "EnableRule", Set.of("Name", "EventBusName"),
            "DescribeRule", Set.of("Name", "EventBusName"));

    static JsonNode load(String document) throws IOException {
        try (InputStream in = RunbookDocumentTest.class.getResourceAsStream("/runbooks/" + document + ".yaml")) {
            assertThat(in).as("runbooks/%s.yaml on the test classpath", document).isNotNull();
            return YAML.readTree(in);
        }
    }

    static SdkPojo cloudTrailShape(String name) {
        try {
            Class<?> type = Class.forName("software.amazon.awssdk.services.cloudtrail.model." + name);
            var factory = type.getMethod("builder");
            Object builder = factory.invoke(null);
            // The public Builder interface, not the package-private implementation class.
            return (SdkPojo) factory.getReturnType().getMethod("build").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("CloudTrail has no shape " + name, e);
        }
    }

    static Map<String, SdkField<?>> fields(SdkPojo pojo) {
        Map<String, SdkField<?>> out = new HashMap<>();
        pojo.sdkFields().forEach(f -> out.put(f.locationName(), f));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TrailGuard-RestoreTrail", "TrailGuard-RecreateTrail", "TrailGuard-EnableRule"})
    void everyRunbook_shouldBeSchema03WithDeclaredParametersAndKnownActions(String name) throws IOException {
        // given
        JsonNode doc = load(name);
        Set<String> parameters = new LinkedHashSet<>();
        doc.path("parameters").fieldNames().forEachRemaining(parameters::add);
        Set<String> steps = new LinkedHashSet<>();
        doc.path("mainSteps").forEach(s -> steps.add(s.path("name").asText()));

        // then: header
        assertThat(doc.path("schemaVersion").asText()).isEqualTo("0.3");
        assertThat(doc.path("assumeRole").asText()).isEqualTo("{{ AutomationAssumeRole }}");
        assertThat(parameters).contains("AutomationAssumeRole");
        doc.path("parameters").fields().forEachRemaining(p ->
                assertThat(p.getValue().path("type").asText()).as("type of %s", p.getKey()).isIn(TYPES));

        // then: every reference outside the description is a declared parameter
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove("description");
        Matcher m = REFERENCE.matcher(doc.toString());
        while (m.find()) {
            assertThat(parameters).as("{{ %s }} is declared", m.group(1)).contains(m.group(1));
        }

        // then: every step has a known action, a unique name, and every transition lands on a step
        assertThat(steps).hasSize(doc.path("mainSteps").size());
        Set<String> reached = new LinkedHashSet<>();
        reached.add(doc.path("mainSteps").get(0).path("name").asText());
        JsonNode previous = null;
        for (JsonNode step : doc.path("mainSteps")) {
            assertThat(step.path("action").asText()).isIn(ACTIONS);
            List<String> targets = new java.util.ArrayList<>();
            step.path("inputs").path("Choices").forEach(c -> targets.add(c.path("NextStep").asText()));
            if (step.path("inputs").has("Default")) {
                targets.add(step.path("inputs").path("Default").asText());
            }
            if (step.has("nextStep")) {
                targets.add(step.path("nextStep").asText());
            }
            if (step.path("onFailure").asText().startsWith("step:")) {
                // a step that may fail on purpose names where to go on
                assertThat(step.path("isCritical").asBoolean(true)).as("%s fails on to another step, so it is not "
                        + "critical", step.path("name").asText()).isFalse();
                targets.add(step.path("onFailure").asText().substring("step:".length()));
            }
            assertThat(steps).as("targets of %s", step.path("name").asText()).containsAll(targets);
            reached.addAll(targets);
            if (!step.path("isEnd").asBoolean(false) && targets.isEmpty() && previous != null) {
                throw new AssertionError("step " + step.path("name").asText() + " has no way on");
            }
            previous = step;
        }
        assertThat(reached).as("every step is reachable").containsExactlyInAnyOrderElementsOf(steps);
        JsonNode last = doc.path("mainSteps").get(doc.path("mainSteps").size() - 1);
        assertThat(last.path("isEnd").asBoolean(false)).as("last step ends the run").isTrue();
    }

    @Test
    void recreate_shouldRestoreATrailOfTheSameNameInsteadOfFailing() throws IOException {
        // given: a look-alike may have been created after the deletion, before or while the recreate runs
        Map<String, JsonNode> steps = new java.util.LinkedHashMap<>();
        load("TrailGuard-RecreateTrail").path("mainSteps").forEach(s -> steps.put(s.path("name").asText(), s));
        List<String> order = List.copyOf(steps.keySet());

        // then: it looks first; an existing trail goes straight to the restore steps, a missing one to CreateTrail
        JsonNode find = steps.get(order.get(0));
        assertThat(find.path("inputs").path("Api").asText()).isEqualTo("GetTrail");
        assertThat(find.path("inputs").path("Name").asText()).isEqualTo("{{ TrailName }}");
        assertThat(find.path("nextStep").asText()).isEqualTo("updateTrail");
        assertThat(find.path("onFailure").asText()).isEqualTo("step:createTrail");
        // and a CreateTrail that fails (TrailAlreadyExistsException: created in between) looks again: the trail is
        // restored if it exists, and only otherwise does the recreate fail
        JsonNode create = steps.get("createTrail");
        assertThat(create.path("inputs").path("Api").asText()).isEqualTo("CreateTrail");
        assertThat(create.path("nextStep").asText()).isEqualTo("updateTrail");
        JsonNode again = steps.get(create.path("onFailure").asText().replace("step:", ""));
        assertThat(again.path("inputs").path("Api").asText()).isEqualTo("GetTrail");
        assertThat(again.path("nextStep").asText()).isEqualTo("updateTrail");
        assertThat(again.path("isCritical").asBoolean(true)).isTrue();
        assertThat(again.has("onFailure")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TrailGuard-RestoreTrail", "TrailGuard-RecreateTrail", "TrailGuard-EnableRule"})
    void everyApiStep_shouldUseRealOperationAndParameterNamesOfMatchingType(String name) throws IOException {
        // given
        JsonNode doc = load(name);

        for (JsonNode step : doc.path("mainSteps")) {
            if (step.path("action").asText().equals("aws:branch")) {
                continue;
            }
            JsonNode inputs = step.path("inputs");
            String service = inputs.path("Service").asText();
            String api = inputs.path("Api").asText();
            Set<String> names = new LinkedHashSet<>();
            inputs.fieldNames().forEachRemaining(n -> {
                if (!NOT_API_INPUTS.contains(n)) {
                    names.add(n);
                }
            });
            if ("events".equals(service)) {
                assertThat(EVENTS_API).containsKey(api);
                assertThat(EVENTS_API.get(api)).containsAll(names);
                continue;
            }
            // then: a real CloudTrail operation with real parameter names
            assertThat(service).isEqualTo("cloudtrail");
            Map<String, SdkField<?>> request = fields(cloudTrailShape(api + "Request"));
            assertThat(request.keySet()).as("%s parameters", api).containsAll(names);
            for (String input : names) {
                String value = inputs.path(input).asText();
                Matcher ref = REFERENCE.matcher(value);
                if (!ref.matches()) {
                    continue;
                }
                String type = doc.path("parameters").path(ref.group(1)).path("type").asText();
                MarshallingType<?> wire = request.get(input).marshallingType();
                String expected = wire == MarshallingType.BOOLEAN ? "Boolean"
                        : wire == MarshallingType.LIST ? "MapList" : "String";
                assertThat(type).as("%s.%s takes %s", api, input, wire).isEqualTo(expected);
            }
            // then: an assertion's property path exists in the response
            if (inputs.has("PropertySelector")) {
                SdkPojo shape = cloudTrailShape(api + "Response");
                for (String segment : inputs.path("PropertySelector").asText().replace("$.", "").split("\\.")) {
                    SdkField<?> field = fields(shape).get(segment);
                    assertThat(field).as("%s response has %s", api, segment).isNotNull();
                    if (field.marshallingType() == MarshallingType.SDK_POJO) {
                        shape = field.constructor().get();
                    }
                }
            }
        }
    }

    @Test
    void restoreParameters_shouldBeDeclaredAndCoverEveryRequiredParameter() throws IOException {
        // given: a full baseline with basic selectors and Insights
        RestoreRequest restore = new RestoreRequest(RestoreFixtures.TRAIL, RestoreFixtures.fullBaseline(), false,
                "event-1", "UpdateTrail");
        RestoreRequest recreate = new RestoreRequest(RestoreFixtures.TRAIL, RestoreFixtures.fullBaseline(), true,
                "event-1", "DeleteTrail");

        // then
        assertFits(load("TrailGuard-RestoreTrail"), RestoreParameters.of(restore, RestoreFixtures.ROLE));
        assertFits(load("TrailGuard-RecreateTrail"), RestoreParameters.of(recreate, RestoreFixtures.ROLE));
    }

    @Test
    void selectorMapListValues_shouldBeRealCloudTrailShapes() {
        // given
        Map<String, List<String>> basic = RestoreParameters.of(new RestoreRequest(RestoreFixtures.TRAIL,
                RestoreFixtures.fullBaseline(), false, "e", "t"), RestoreFixtures.ROLE);
        Map<String, List<String>> advanced = RestoreParameters.of(new RestoreRequest(RestoreFixtures.TRAIL,
                RestoreFixtures.advancedBaseline(), false, "e", "t"), RestoreFixtures.ROLE);

        // then: every key of every map is a member of the real shape, recursively
        SdkField<?> eventSelectors = fields(cloudTrailShape("PutEventSelectorsRequest")).get("EventSelectors");
        SdkField<?> advancedSelectors =
                fields(cloudTrailShape("PutEventSelectorsRequest")).get("AdvancedEventSelectors");
        SdkField<?> insights = fields(cloudTrailShape("PutInsightSelectorsRequest")).get("InsightSelectors");
        basic.get("EventSelectors").forEach(v -> assertShape(v, member(eventSelectors)));
        basic.get("InsightSelectors").forEach(v -> assertShape(v, member(insights)));
        advanced.get("AdvancedEventSelectors").forEach(v -> assertShape(v, member(advancedSelectors)));
        assertThat(basic.get("EventSelectors")).isNotEmpty();
        assertThat(advanced.get("AdvancedEventSelectors")).isNotEmpty();
    }

    static Supplier<SdkPojo> member(SdkField<?> listField) {
        return listField.getTrait(ListTrait.class).memberFieldInfo().constructor();
    }

    static void assertShape(String json, Supplier<SdkPojo> shape) {
        try {
            assertShape(JSON.readTree(json), shape.get());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void assertShape(JsonNode node, SdkPojo shape) {
        Map<String, SdkField<?>> fields = fields(shape);
        node.fields().forEachRemaining(e -> {
            SdkField<?> field = fields.get(e.getKey());
            assertThat(field).as("%s is a member of %s", e.getKey(), shape.getClass().getSimpleName()).isNotNull();
            if (field.marshallingType() == MarshallingType.LIST) {
                Supplier<SdkPojo> member = field.getTrait(ListTrait.class).memberFieldInfo().constructor();
                if (member != null) {
                    e.getValue().forEach(item -> {
                        if (item.isObject()) {
                            assertShape(item, member.get());
                        }
                    });
                }
            }
        });
    }

    static void assertFits(JsonNode doc, Map<String, List<String>> sent) {
        Set<String> declared = new LinkedHashSet<>();
        doc.path("parameters").fieldNames().forEachRemaining(declared::add);
        assertThat(declared).containsAll(sent.keySet());
        doc.path("parameters").fields().forEachRemaining(p -> {
            if (!p.getValue().has("default")) {
                assertThat(sent).as("required %s is sent", p.getKey()).containsKey(p.getKey());
            }
            JsonNode allowed = p.getValue().path("allowedValues");
            if (allowed.isArray() && sent.containsKey(p.getKey())) {
                List<String> values = new java.util.ArrayList<>();
                allowed.forEach(a -> values.add(a.asText()));
                assertThat(values).contains(sent.get(p.getKey()).get(0));
            }
            String pattern = p.getValue().path("allowedPattern").asText(null);
            if (pattern != null && sent.containsKey(p.getKey())) {
                assertThat(sent.get(p.getKey()).get(0)).as("%s matches its allowedPattern", p.getKey())
                        .matches(Pattern.compile(pattern));
            }
        });
        sent.values().forEach(values -> values.forEach(v -> assertThat(v).hasSizeBetween(1, 512)));
    }
}
