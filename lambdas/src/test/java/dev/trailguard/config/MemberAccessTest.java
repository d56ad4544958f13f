package dev.trailguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberAccessTest {

    @Test
    void neither_shouldBeSingleAccountMode() {
        assertThat(MemberAccess.fromEnvironment(Map.of()).enabled()).isFalse();
        assertThat(MemberAccess.fromEnvironment(Map.of(MemberAccess.ROLE_NAME, " ")).enabled()).isFalse();
    }

    @Test
    void both_shouldNameTheRolesInEachMemberAccount() {
        MemberAccess access = MemberAccess.fromEnvironment(Map.of(MemberAccess.ROLE_NAME, "TrailGuard-Member",
                MemberAccess.AUTOMATION_ROLE_NAME, "TrailGuard-Automation"));

        assertThat(access.enabled()).isTrue();
        assertThat(access.roleArn("aws-us-gov", "444455556666"))
                .isEqualTo("arn:aws-us-gov:iam::444455556666:role/TrailGuard-Member");
        assertThat(access.automationRoleArn("aws", "444455556666"))
                .isEqualTo("arn:aws:iam::444455556666:role/TrailGuard-Automation");
    }

    @Test
    void oneWithoutTheOther_shouldBeRefusedNamingBoth() {
        assertThatThrownBy(() -> MemberAccess.fromEnvironment(Map.of(MemberAccess.ROLE_NAME, "TrailGuard-Member")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TRAILGUARD_MEMBER_ROLE_NAME")
                .hasMessageContaining("TRAILGUARD_MEMBER_AUTOMATION_ROLE_NAME");
    }

    @Test
    void aPathOrAnArn_shouldBeRefused() {
        assertThatThrownBy(() -> MemberAccess.fromEnvironment(Map.of(MemberAccess.ROLE_NAME,
                "arn:aws:iam::444455556666:role/TrailGuard-Member", MemberAccess.AUTOMATION_ROLE_NAME, "x")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("without a path");
    }

    @Test
    void anAccountIdFromAnEvent_shouldBeValidatedBeforeItBecomesAnArn() {
        MemberAccess access = new MemberAccess("TrailGuard-Member", "TrailGuard-Automation");

        assertThatThrownBy(() -> access.roleArn("aws", "4444*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> access.roleArn("aws", "444455556666:role/x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
