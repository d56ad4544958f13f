package dev.trailguard.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContractTest {

    @Test
    void everyFinalStatus_shouldBeFoundByItsWireName() {
        for (AutomationStatus status : AutomationStatus.values()) {
            assertThat(AutomationStatus.ofWireName(status.wireName())).contains(status);
        }
        assertThat(AutomationStatus.wireNames()).hasSize(AutomationStatus.values().length).doesNotHaveDuplicates();
    }

    @Test
    void nonFinalStatuses_shouldNotBeFinal() {
        assertThat(AutomationStatus.ofWireName("InProgress")).isEmpty();
        assertThat(AutomationStatus.ofWireName("Pending")).isEmpty();
        assertThat(AutomationStatus.ofWireName("success")).isEmpty();
    }

    @Test
    void onlySuccessStatuses_shouldCountAsSucceeded() {
        assertThat(AutomationStatus.values()).filteredOn(AutomationStatus::succeeded)
                .containsExactlyInAnyOrder(AutomationStatus.SUCCESS, AutomationStatus.COMPLETED_WITH_SUCCESS);
    }

    @Test
    void tamperCalls_shouldSplitIntoDestructiveAndRestoring() {
        assertThat(TamperCalls.DESTRUCTIVE).doesNotContainAnyElementsOf(TamperCalls.RESTORING);
        assertThat(TamperCalls.ALL).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(TamperCalls.DESTRUCTIVE.stream(), TamperCalls.RESTORING.stream()).toList());
    }

    @Test
    void handler_shouldNameTheHandlerClass_andRefuseUnknownFunctions() {
        assertThat(Functions.handler("TamperResponder")).isEqualTo("dev.trailguard.handler.TamperResponder::handleRequest");
        assertThatThrownBy(() -> Functions.handler("Nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trailGuardRunbooks_shouldAllCarryThePrefix() {
        assertThat(Runbooks.TRAILGUARD).allMatch(name -> name.startsWith(Runbooks.NAME_PREFIX));
        assertThat(Runbooks.ALL).contains(Runbooks.CONFIGURE_LOGGING).containsAll(Runbooks.TRAILGUARD);
    }
}
