package dev.trailguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrailGuardConfigTest {

    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("TRAILGUARD_TOPIC_ARN", "arn:aws:sns:us-east-1:111122223333:trailguard");
        env.put("TRAILGUARD_AUTOMATION_ROLE_ARN", "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole");
        return env;
    }

    @Test
    void validEnvironment_shouldParseListsAndTrimSpaces() {
        // given
        Map<String, String> env = valid();
        env.put("TRAILGUARD_OWN_ROLE_ARNS", " arn:aws:iam::111122223333:role/a , arn:aws:iam::111122223333:role/b,");
        env.put("TRAILGUARD_GUARDED_TRAILS", "management-events,arn:aws:cloudtrail:us-east-1:111122223333:trail/x12");
        env.put("TRAILGUARD_CONFIG_RULES", "trailguard-cloudtrail-enabled");

        // when
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(env);

        // then
        assertThat(config.ownRoleArns()).containsExactlyInAnyOrder("arn:aws:iam::111122223333:role/a",
                "arn:aws:iam::111122223333:role/b", "arn:aws:iam::111122223333:role/TrailGuard-AutomationRole");
        assertThat(config.guardedTrails()).containsExactly("management-events",
                "arn:aws:cloudtrail:us-east-1:111122223333:trail/x12");
        assertThat(config.configRules()).containsExactly("trailguard-cloudtrail-enabled");
    }

    @Test
    void functionRoles_shouldMatchTheRoleAndItsSessionsByAccountAndName() {
        // given: a role with a path; an assumed-role ARN names the role without it
        Map<String, String> env = valid();
        env.put("TRAILGUARD_FUNCTION_ROLE_ARNS", "arn:aws:iam::111122223333:role/service/TrailGuard-Tamper, "
                + "arn:aws:iam::111122223333:role/TrailGuard-Reporter");

        // when
        TrailGuardConfig config = TrailGuardConfig.fromEnvironment(env);

        // then
        assertThat(config.isFunctionRole("arn:aws:sts::111122223333:assumed-role/TrailGuard-Tamper/TrailGuard-T"))
                .isTrue();
        assertThat(config.isFunctionRole("arn:aws:iam::111122223333:role/TrailGuard-Reporter")).isTrue();
        assertThat(config.isFunctionRole("arn:aws:sts::444455556666:assumed-role/TrailGuard-Tamper/s")).isFalse();
        assertThat(config.isFunctionRole("arn:aws-cn:sts::111122223333:assumed-role/TrailGuard-Tamper/s")).isFalse();
        assertThat(config.isFunctionRole("arn:aws:sts::111122223333:assumed-role/TrailGuard-Tamper2/s")).isFalse();
        assertThat(config.isFunctionRole("arn:aws:sts::111122223333:assumed-role/Admin/TrailGuard-Tamper"))
                .isFalse();
        assertThat(config.isFunctionRole("arn:aws:iam::111122223333:user/TrailGuard-Tamper")).isFalse();
        assertThat(config.isFunctionRole(null)).isFalse();
    }

    @Test
    void malformedFunctionRole_shouldNameTheVariable() {
        Map<String, String> env = valid();
        env.put("TRAILGUARD_FUNCTION_ROLE_ARNS", "TrailGuard-Tamper");

        assertThatThrownBy(() -> TrailGuardConfig.fromEnvironment(env))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TRAILGUARD_FUNCTION_ROLE_ARNS");
    }

    @Test
    void missingTopic_shouldNameTheVariable() {
        Map<String, String> env = valid();
        env.remove("TRAILGUARD_TOPIC_ARN");
        assertThatThrownBy(() -> TrailGuardConfig.fromEnvironment(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Missing environment variable TRAILGUARD_TOPIC_ARN");
    }

    @Test
    void blankRole_shouldNameTheVariable() {
        Map<String, String> env = valid();
        env.put("TRAILGUARD_AUTOMATION_ROLE_ARN", "  ");
        assertThatThrownBy(() -> TrailGuardConfig.fromEnvironment(env))
                .hasMessage("Missing environment variable TRAILGUARD_AUTOMATION_ROLE_ARN");
    }

    @Test
    void malformedValues_shouldNameTheVariableAndTheValue() {
        Map<String, String> env = valid();
        env.put("TRAILGUARD_TOPIC_ARN", "arn:aws:sqs:us-east-1:111122223333:queue");
        assertThatThrownBy(() -> TrailGuardConfig.fromEnvironment(env))
                .hasMessageStartingWith("Malformed environment variable TRAILGUARD_TOPIC_ARN")
                .hasMessageContaining("arn:aws:sqs");

        Map<String, String> env2 = valid();
        env2.put("TRAILGUARD_OWN_ROLE_ARNS", "arn:aws:iam::111122223333:user/bob");
        assertThatThrownBy(() -> TrailGuardConfig.fromEnvironment(env2))
                .hasMessageStartingWith("Malformed environment variable TRAILGUARD_OWN_ROLE_ARNS");

        Map<String, String> env3 = valid();
        env3.put("TRAILGUARD_GUARDED_TRAILS", "ok-trail,no");
        assertThatThrownBy(() -> TrailGuardConfig.fromEnvironment(env3))
                .hasMessageStartingWith("Malformed environment variable TRAILGUARD_GUARDED_TRAILS");

        Map<String, String> env4 = valid();
        env4.put("TRAILGUARD_CONFIG_RULES", "rule with spaces");
        assertThatThrownBy(() -> TrailGuardConfig.fromEnvironment(env4))
                .hasMessageStartingWith("Malformed environment variable TRAILGUARD_CONFIG_RULES");
    }

    @org.junit.jupiter.api.Test
    void configRules_shouldBeRecognisedByNameAndAsAMembersCopyOfAnOrganizationRule() {
        TrailGuardConfig config = new TrailGuardConfig("arn:aws:sns:us-east-1:111122223333:t",
                "arn:aws:iam::111122223333:role/a", java.util.Set.of(), java.util.List.of(),
                java.util.Set.of("trailguard-cloudtrail-enabled"));

        org.assertj.core.api.Assertions.assertThat(config.isConfigRule("trailguard-cloudtrail-enabled")).isTrue();
        org.assertj.core.api.Assertions.assertThat(config.isConfigRule("OrgConfigRule-trailguard-cloudtrail-enabled-"
                + "x7k2pq9d")).isTrue();
        // another organization rule, no suffix, a look-alike, nothing
        org.assertj.core.api.Assertions.assertThat(config.isConfigRule("OrgConfigRule-cloudtrail-enabled-x7k2pq9d"))
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(config.isConfigRule("OrgConfigRule-trailguard-cloudtrail-enabled"))
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(config.isConfigRule("trailguard-cloudtrail-enabled-x7k2pq9d"))
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(config.isConfigRule(null)).isFalse();
    }
}
