package dev.trailguard.restore;

import static dev.trailguard.aws.AwsCalls.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.aws.AwsCallFailedException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * A baseline declared at deployment in an SSM parameter {@code <prefix><trail name>}, written by the deployment (never
 * by TrailGuard, which may only read it). Its value is the CloudTrail API's own shapes, so that
 * {@code aws cloudtrail get-trail}, {@code get-event-selectors} and {@code get-insight-selectors} output of a
 * known-good trail can be pasted in:
 *
 * <pre>{"Trail": {...GetTrail's Trail...}, "EventSelectors": [...] or "AdvancedEventSelectors": [...],
 *  "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}</pre>
 *
 * <p>Every part is optional. A declared baseline is known-good by construction; it is the only source of selectors.
 */
public final class DeclaredBaselineSource implements BaselineSource {

    private static final Logger LOG = LoggerFactory.getLogger(DeclaredBaselineSource.class);

    private final SsmClient ssm;
    private final String prefix;
    private final ObjectMapper mapper;

    public DeclaredBaselineSource(SsmClient ssm, String prefix, ObjectMapper mapper) {
        this.ssm = ssm;
        this.prefix = prefix;
        this.mapper = mapper;
    }

    @Override
    public Baseline baselineBefore(TrailId trail, Instant before) {
        String name = prefix + trail.name();
        String value;
        try {
            Parameter parameter = call("ssm:GetParameter", () -> ssm.getParameter(b -> b.name(name))).parameter();
            value = parameter == null ? null : parameter.value();
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof ParameterNotFoundException) {
                return Baseline.none();
            }
            throw e;
        }
        if (value == null) {
            LOG.warn("Declared baseline {}: GetParameter answered without a value; ignoring it", name);
            return Baseline.none();
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            LOG.error("Declared baseline {} is not JSON; ignoring it", name);
            return Baseline.none();
        }
        return parse(root, "declared baseline " + name);
    }

    /** Reads a declared baseline document. */
    static Baseline parse(JsonNode root, String source) {
        JsonNode trail = Fields.get(root, "trail");
        Optional<TrailSettings> settings = trail == null ? Optional.empty()
                : Optional.of(TrailSettings.fromDescription(trail)).filter(s -> s.s3BucketName() != null);
        Optional<EventSelectors> selectors = Optional.ofNullable(EventSelectors.parse(root));
        Optional<Set<String>> insights = Optional.empty();
        if (Fields.has(root, "insightSelectors")) {
            Set<String> types = new LinkedHashSet<>();
            Fields.objects(root, "insightSelectors").forEach(i -> {
                String type = Fields.text(i, "insightType");
                if (type != null) {
                    types.add(type);
                }
            });
            insights = Optional.of(types);
        }
        return new Baseline(settings, settings.isPresent() ? source : null, Optional.empty(), selectors, insights,
                selectors.isPresent() || insights.isPresent() ? source : null);
    }
}
