package dev.trailguard.aws;

import static dev.trailguard.aws.AwsCalls.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailguard.restore.Baseline;
import dev.trailguard.restore.BaselineSource;
import dev.trailguard.restore.TrailId;
import java.time.Instant;
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
        return Baseline.declared(root, "declared baseline " + name);
    }
}
