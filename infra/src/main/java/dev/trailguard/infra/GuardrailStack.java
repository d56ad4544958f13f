package dev.trailguard.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.organizations.CfnPolicy;
import software.constructs.Construct;

/**
 * The preventive half of TrailGuard: a service control policy that denies the CloudTrail tamper
 * calls in member accounts to everyone but the break-glass roles. Deployed from the organization's
 * management account; SCPs never apply to the management account itself.
 */
public final class GuardrailStack extends Stack {

    /** The calls the SCP denies; the same set the tamper rule watches. */
    public static final List<String> DENIED_ACTIONS = GuardStack.TAMPER_EVENT_NAMES.stream()
            .map(name -> "cloudtrail:" + name).toList();
    /** AWS's limit for an SCP document, counted on the minified JSON. */
    public static final int SCP_MAX_CHARACTERS = 5_120;
    public static final String POLICY_NAME = "trailguard-protect-cloudtrail";

    private static final ObjectMapper JSON = new ObjectMapper();

    public GuardrailStack(final Construct scope, final String id, final GuardrailStackProps props) {
        super(scope, id, props.stackProps());
        Map<String, Object> content = policyContent(props.breakGlassRoleArns());
        int size = minifiedLength(content);
        if (size > SCP_MAX_CHARACTERS) {
            // Fail at synth rather than half-way through a deployment.
            throw new IllegalArgumentException("SCP is " + size + " characters, over AWS's limit of "
                    + SCP_MAX_CHARACTERS + ": shorten breakGlassRoleArns (wildcards help)");
        }
        CfnPolicy.Builder.create(this, "ProtectCloudTrailPolicy")
                .name(POLICY_NAME)
                .description("TrailGuard: only break-glass roles may stop, delete or weaken CloudTrail trails")
                .type("SERVICE_CONTROL_POLICY")
                // A Map, not a String: CloudFormation gets JSON, not a string with escaped quotes.
                .content(content)
                .targetIds(props.targetIds())
                .build();
    }

    /** The SCP document; without break-glass roles it denies the calls to every principal. */
    public static Map<String, Object> policyContent(List<String> breakGlassRoleArns) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", "TrailGuardDenyCloudTrailTampering");
        statement.put("Effect", "Deny");
        statement.put("Action", DENIED_ACTIONS);
        statement.put("Resource", "*");
        if (!breakGlassRoleArns.isEmpty()) {
            statement.put("Condition", Map.of("ArnNotLike", Map.of("aws:PrincipalARN", breakGlassRoleArns)));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", List.of(statement));
        return document;
    }

    /** Length of the document as AWS counts it: minified JSON. */
    public static int minifiedLength(Map<String, Object> content) {
        try {
            return JSON.writeValueAsString(content).length();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SCP content is not serializable", e);
        }
    }
}
