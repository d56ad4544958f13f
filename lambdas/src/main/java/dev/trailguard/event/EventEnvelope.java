package dev.trailguard.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The EventBridge envelope around every event TrailGuard receives.
 *
 * @param id         EventBridge's event id (differs per delivery attempt of the same source event only on re-publish)
 * @param detailType for example {@code AWS API Call via CloudTrail}
 * @param source     for example {@code aws.cloudtrail}
 * @param account    the account the event belongs to
 * @param time       when the event happened, ISO-8601
 * @param region     the region the event was emitted in
 * @param resources  ARNs the event concerns
 * @param detail     the service-specific payload
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope(
        String id,
        @JsonProperty("detail-type") String detailType,
        String source,
        String account,
        String time,
        String region,
        List<String> resources,
        JsonNode detail) {

    public EventEnvelope {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }
}
