package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.Queue;

class LegacyIdsTest {

    @Test
    void uniqueId_shouldBeTheCdksAlgorithm() {
        // ids the CDK allocated to TrailGuard's resources at stack scope (see logical-ids/default.txt)
        assertThat(LegacyIds.uniqueId(List.of("AutomationRole", "Resource"))).isEqualTo("AutomationRoleC58D7324");
        assertThat(LegacyIds.uniqueId(List.of("AutomationRole", "DefaultPolicy", "Resource")))
                .isEqualTo("AutomationRoleDefaultPolicy550F0BEA");
        // a single component is taken as is, without a hash
        assertThat(LegacyIds.uniqueId(List.of("IamEventsRegion"))).isEqualTo("IamEventsRegion");
    }

    @Test
    void resourcesMovedIntoAGroup_shouldKeepTheIdsTheyHadAtStackScope() {
        Map<String, String> flat = ids(false);
        Map<String, String> grouped = ids(true);
        assertThat(grouped).isEqualTo(flat).containsKey("AutomationRoleC58D7324");
    }

    private static Map<String, String> ids(boolean grouped) {
        Stack stack = new Stack(new App(), "S");
        software.constructs.Construct scope = grouped ? new LegacyIds.GroupConstruct(stack, "Group") : stack;
        Role role = Role.Builder.create(scope, "AutomationRole").assumedBy(new ServicePrincipal("ssm.amazonaws.com")).build();
        Queue queue = Queue.Builder.create(scope, "Dlq").build();
        queue.grantSendMessages(role);
        LegacyIds.pin(stack);
        JsonNode resources = TestStacks.tree(Template.fromStack(stack)).path("Resources");
        Map<String, String> ids = new java.util.TreeMap<>();
        resources.fields().forEachRemaining(r -> ids.put(r.getKey(), r.getValue().path("Type").asText()));
        return ids;
    }
}
