package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.restore.DeclaredDelivery;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.TrailId;
import java.time.Instant;
import java.util.Optional;
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
 * <p>Every part is optional. A declared baseline is known-good by construction; it is the only source of selectors,
 * and of the trail bucket's policy ({@code "BucketPolicy"}: the document) and lifecycle ({@code "BucketLifecycle"}:
 * {@code {"Rules": [...]}}, as {@code aws s3api get-bucket-lifecycle-configuration} prints it), which the delivery
 * response writes back after sabotage.
 */
public final class DeclaredBaselineSource implements BaselineSource, DeclaredDelivery.Source {

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
        JsonNode root = read(name);
        return root == null ? Baseline.none() : Baseline.declared(root, "declared baseline " + name);
    }

    @Override
    public DeclaredDelivery forTrail(String trailName) {
        String name = prefix + trailName;
        JsonNode root = read(name);
        if (root == null) {
            return DeclaredDelivery.none();
        }
        JsonNode policy = field(root, "BucketPolicy");
        JsonNode lifecycle = field(root, "BucketLifecycle");
        return new DeclaredDelivery("declared baseline " + name,
                Optional.ofNullable(policy).map(p -> p.isTextual() ? p.asText() : p.toString()),
                Optional.ofNullable(lifecycle).filter(l -> l.path("Rules").isArray()));
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null) {
            value = root.get(Character.toLowerCase(name.charAt(0)) + name.substring(1));
        }
        return value == null || value.isNull() ? null : value;
    }

    /** The parameter's JSON document, or null when there is none (or it is not JSON). */
    private JsonNode read(String name) {
        String value;
        try {
            Parameter parameter = call("ssm:GetParameter", () -> ssm.getParameter(b -> b.name(name))).parameter();
            value = parameter == null ? null : parameter.value();
        } catch (AwsCallFailedException e) {
            if (e.getCause() instanceof ParameterNotFoundException) {
                return null;
            }
            throw e;
        }
        if (value == null) {
            LOG.warn("Declared baseline {}: GetParameter answered without a value; ignoring it", name);
            return null;
        }
        try {
            return mapper.readTree(value);
        } catch (JsonProcessingException e) {
            LOG.error("Declared baseline {} is not JSON; ignoring it", name);
            return null;
        }
    }
}
