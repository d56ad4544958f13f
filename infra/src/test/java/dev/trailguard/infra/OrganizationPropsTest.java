package dev.trailguard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The organization-mode context keys: every bad value fails synth with the key's name, before any AWS call. */
class OrganizationPropsTest {

    private static OrganizationProps read(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(OrganizationTestStacks.context());
        context.putAll(overrides);
        context.values().removeIf(v -> v == null);
        return OrganizationProps.fromContext(new App(AppProps.builder().context(context).build()).getNode());
    }

    @Test
    void theTestContext_shouldBeRead_asListsOrAsTheCommandLinesStrings() {
        OrganizationProps props = read(Map.of("memberOrganizationalUnitIds", "ou-ab12-34567890,r-ab12",
                "memberRegions", "[\"eu-west-1\",\"us-east-1\"]", "organizationSweepMinutes", "15"));
        assertThat(props.memberOrganizationalUnitIds()).containsExactly("ou-ab12-34567890", "r-ab12");
        assertThat(props.memberRegions()).containsExactly("eu-west-1", "us-east-1");
        assertThat(props.sweepMinutes()).isEqualTo(15);
        assertThat(read(Map.of()).sweepMinutes()).isEqualTo(5);
        assertThat(props.hubBusArn("aws")).isEqualTo("arn:aws:events:eu-west-1:444455556666:event-bus/TrailGuardHub");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("organizationId", "0-a1b2c3d4e5", "organizationId must be an organization id"),
                Arguments.of("organizationId", "o-short", "organizationId must be an organization id"),
                Arguments.of("hubAccount", "4444-5555-6666", "hubAccount must be the 12-digit id"),
                Arguments.of("hubRegion", "Ireland", "hubRegion must be an AWS region"),
                Arguments.of("memberOrganizationalUnitIds", "ou-ab12", "memberOrganizationalUnitIds must be OU ids"),
                Arguments.of("memberOrganizationalUnitIds", "444455556666", "memberOrganizationalUnitIds must be OU ids"),
                Arguments.of("memberRegions", "eu-west-1,eu-west-1", "memberRegions names a region twice"),
                Arguments.of("memberRegions", "eu-west-1,mars-1", "memberRegions must be AWS regions"),
                Arguments.of("memberRegions", "us-east-1", "memberRegions must include the hubRegion eu-west-1"),
                Arguments.of("organizationSweepMinutes", "0", "organizationSweepMinutes must be at least 1"),
                Arguments.of("organizationSweepMinutes", "five", "organizationSweepMinutes must be a whole number"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void aBadValue_shouldFailSynthWithItsKey(String key, String value, String message) {
        assertThatThrownBy(() -> read(Map.of(key, value))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void someHubKeysButNotAll_shouldNameTheMissingOnes() {
        Map<String, Object> context = new HashMap<>();
        context.put("hubAccount", "444455556666");
        context.put("memberRegions", List.of("eu-west-1"));
        assertThatThrownBy(() -> OrganizationProps.fromContext(new App(AppProps.builder().context(context).build())
                .getNode())).hasMessageContaining("missing: organizationId, hubRegion, memberOrganizationalUnitIds");
    }

    @Test
    void noHubKey_shouldMeanSingleAccountMode() {
        assertThat(OrganizationProps.fromContext(new App(AppProps.builder().context(Map.of("organizationId",
                "o-a1b2c3d4e5")).build()).getNode())).isNull();
        assertThat(OrganizationProps.fromContext(new App().getNode())).isNull();
    }

    @Test
    void theGuardrail_shouldRefuseABadOrganizationIdToo() {
        assertThatThrownBy(() -> OrganizationProps.organizationIdFromContext(new App(AppProps.builder()
                .context(Map.of("organizationId", "org-1")).build()).getNode()))
                .hasMessageContaining("organizationId must be an organization id");
    }
}
