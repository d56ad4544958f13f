package dev.trailguard.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trailguard.aws.AwsCallFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class AccountNamingNotifierTest {

    final List<Notification> published = new ArrayList<>();
    final Notifier sink = n -> {
        published.add(n);
        return "m-1";
    };

    static Notification about(String account) {
        return Notification.builder(Severity.HIGH, "LOGGING_STOPPED").headline("h").summary("s").account(account)
                .build();
    }

    @Test
    void notification_shouldCarryTheAccountsNameAndUnit() {
        new AccountNamingNotifier(sink, a -> Optional.of(new Notification.AccountContext("payments-prod",
                "ou-ab12-34567890"))).publish(about("444455556666"));

        assertThat(published).singleElement().satisfies(n -> {
            assertThat(n.accountContext().name()).isEqualTo("payments-prod");
            assertThat(n.accountContext().organizationalUnit()).isEqualTo("ou-ab12-34567890");
            assertThat(n.kind()).isEqualTo("LOGGING_STOPPED");
        });
    }

    @Test
    void failedLookup_shouldNeverCostTheNotification() {
        new AccountNamingNotifier(sink, a -> {
            throw new AwsCallFailedException("organizations:DescribeAccount",
                    SdkClientException.builder().message("denied").build());
        }).publish(about("444455556666"));

        assertThat(published).singleElement().satisfies(n -> assertThat(n.accountContext()).isNull());
    }

    @Test
    void notificationWithoutAnAccount_shouldNotBeLookedUp() {
        new AccountNamingNotifier(sink, a -> {
            throw new AssertionError("looked up");
        }).publish(about(null));

        assertThat(published).hasSize(1);
    }
}
