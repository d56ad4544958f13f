package dev.trailguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

/** Faults an AWS endpoint can show, shaped per protocol (JSON 1.1 for CloudTrail/SSM, Query XML for SNS). */
public enum AwsFault {
    THROTTLING_400(true),
    TOO_MANY_REQUESTS_429(true),
    INTERNAL_ERROR_500(true),
    SERVICE_UNAVAILABLE_503(true),
    CONNECTION_RESET(true),
    READ_TIMEOUT(true),
    ACCESS_DENIED(false);

    /** How long a stalled response waits; fault tests use a shorter attempt timeout than this. */
    public static final int STALL_MILLIS = 1500;

    private final boolean transientFault;

    AwsFault(boolean transientFault) {
        this.transientFault = transientFault;
    }

    /** True if the SDK's retry policy treats it as transient. */
    public boolean isTransient() {
        return transientFault;
    }

    /** The response for an action, e.g. {@code ssm:StartAutomationExecution} or {@code sns:Publish}. */
    public ResponseDefinitionBuilder response(String action) {
        boolean query = action.startsWith("sns:");
        return switch (this) {
            case THROTTLING_400 -> error(query, 400, query ? "Throttling" : "ThrottlingException", "Rate exceeded");
            case TOO_MANY_REQUESTS_429 -> error(query, 429, query ? "Throttling" : "TooManyRequestsException",
                    "Too many requests");
            case INTERNAL_ERROR_500 -> error(query, 500, query ? "InternalError" : "InternalServerError",
                    "Internal failure");
            case SERVICE_UNAVAILABLE_503 -> error(query, 503, "ServiceUnavailable", "Service unavailable");
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case READ_TIMEOUT -> aResponse().withStatus(200).withFixedDelay(STALL_MILLIS).withBody("{}");
            case ACCESS_DENIED -> query ? error(true, 403, "AuthorizationError", "not authorized to perform SNS:Publish")
                    : error(false, 400, "AccessDeniedException", "User is not authorized to perform " + action);
        };
    }

    private static ResponseDefinitionBuilder error(boolean query, int status, String code, String message) {
        if (query) {
            return aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                    .withBody("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>"
                            + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code + "</Code><Message>"
                            + message + "</Message></Error><RequestId>00000000-0000-4000-8000-000000000000"
                            + "</RequestId></ErrorResponse>");
        }
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }
}
