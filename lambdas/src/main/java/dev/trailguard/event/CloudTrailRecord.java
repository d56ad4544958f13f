package dev.trailguard.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CloudTrail record in {@code detail} of an {@code AWS API Call via CloudTrail} event.
 *
 * @param eventName          the API call, for example StopLogging
 * @param eventSource        the service endpoint, cloudtrail.amazonaws.com
 * @param eventTime          when the call was made, ISO-8601
 * @param awsRegion          the region the call was made in
 * @param eventId            CloudTrail's unique id of the call; stable across duplicate deliveries
 * @param sourceIpAddress    the caller's IP address, or the calling service's name
 * @param userAgent          the caller's user agent
 * @param errorCode          set when the call failed (for example AccessDenied from an SCP)
 * @param errorMessage       the failure's message
 * @param userIdentity       who made the call
 * @param requestParameters  the call's parameters
 * @param recipientAccountId the account that received the call
 * @param resources          the resources CloudTrail names for the call ({@code ARN}, {@code type}), e.g. a KMS key
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloudTrailRecord(
        String eventName,
        String eventSource,
        String eventTime,
        String awsRegion,
        @JsonProperty("eventID") String eventId,
        @JsonProperty("sourceIPAddress") String sourceIpAddress,
        String userAgent,
        String errorCode,
        String errorMessage,
        UserIdentity userIdentity,
        JsonNode requestParameters,
        String recipientAccountId,
        JsonNode resources) {

    /** True if the call failed, so it changed nothing. */
    public boolean failed() {
        return errorCode != null && !errorCode.isBlank();
    }

    /** A request parameter as text, or null if absent or not text. */
    public String requestParameter(String name) {
        if (requestParameters == null || !requestParameters.isObject()) {
            return null;
        }
        JsonNode node = requestParameters.get(name);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** True if CloudTrail lists a resource with this ARN for the call. */
    public boolean namesResource(String arn) {
        if (arn == null || resources == null || !resources.isArray()) {
            return false;
        }
        for (JsonNode resource : resources) {
            if (arn.equals(resource.path("ARN").asText(null))) {
                return true;
            }
        }
        return false;
    }

    /** A short name for the actor: the session or user name, else the principal ARN. */
    public String actorName() {
        UserIdentity who = userIdentity == null ? new UserIdentity(null, null, null, null, null, null, null)
                : userIdentity;
        if ("Root".equals(who.type())) {
            return "The root user of account " + who.accountId();
        }
        String arn = who.arn();
        if (arn != null && !arn.isBlank()) {
            String resource = arn.substring(arn.lastIndexOf(':') + 1);
            String[] parts = resource.split("/");
            if (resource.startsWith("assumed-role/") && parts.length >= 3) {
                return parts[parts.length - 1] + " (role " + parts[1] + ")";
            }
            if (resource.startsWith("user/")) {
                return "IAM user " + parts[parts.length - 1];
            }
            return resource;
        }
        return who.invokedBy() != null ? who.invokedBy() : "An unknown principal";
    }
}
