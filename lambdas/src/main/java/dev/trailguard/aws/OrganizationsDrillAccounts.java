package dev.trailguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailguard.drill.DrillAccounts;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * {@link DrillAccounts} over Organizations, as the organization sweep lists them: the active accounts of each guarded
 * OU (or the root), page by page ({@code ListAccountsForParent}), then of its child OUs
 * ({@code ListOrganizationalUnitsForParent}), since the member stack sets deploy to nested OUs too. Signed by hand
 * ({@link OrganizationsApi}): the jar carries no Organizations module. The hub's FireDrill role may make both calls on
 * the organization's OUs and root only.
 */
public final class OrganizationsDrillAccounts implements DrillAccounts {

    /** Far beyond any real tree; stops a listing that never ends. */
    static final int MAX_PAGES = 1_000;

    private final OrganizationsApi api;
    private final List<String> parentIds;

    /**
     * @param override another endpoint (tests, {@code AWS_ENDPOINT_URL}), or null for the partition's
     */
    public OrganizationsDrillAccounts(SdkHttpClient http, AwsCredentialsProvider credentials, String partition,
                                      URI override, List<String> parentIds) {
        this.api = new OrganizationsApi(http, credentials, partition, override);
        this.parentIds = List.copyOf(parentIds);
    }

    @Override
    public List<String> activeAccounts() {
        Set<String> accounts = new LinkedHashSet<>();
        Deque<String> parents = new ArrayDeque<>(parentIds);
        Set<String> seen = new LinkedHashSet<>();
        int pages = 0;
        while (!parents.isEmpty()) {
            String parent = parents.poll();
            if (!seen.add(parent)) {
                continue;
            }
            for (JsonNode account : list("ListAccountsForParent", parent, "Accounts")) {
                if ("ACTIVE".equals(account.path("Status").asText()) && account.path("Id").isTextual()) {
                    accounts.add(account.path("Id").asText());
                }
            }
            for (JsonNode unit : list("ListOrganizationalUnitsForParent", parent, "OrganizationalUnits")) {
                if (unit.path("Id").isTextual()) {
                    parents.add(unit.path("Id").asText());
                }
            }
            pages++;
            if (pages > MAX_PAGES) {
                break;
            }
        }
        return new ArrayList<>(accounts);
    }

    private List<JsonNode> list(String operation, String parent, String field) {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("ParentId", parent);
            if (token != null) {
                body.put("NextToken", token);
            }
            JsonNode answer = api.call(operation, body.toString());
            answer.path(field).forEach(items::add);
            token = answer.path("NextToken").isTextual() ? answer.path("NextToken").asText() : null;
            if (token == null || token.isEmpty()) {
                break;
            }
        }
        return items;
    }
}
