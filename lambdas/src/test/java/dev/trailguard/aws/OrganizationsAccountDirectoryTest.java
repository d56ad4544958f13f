package dev.trailguard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailguard.notify.Notification;
import dev.trailguard.testing.AwsStub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Account names from Organizations, signed by hand with the SDK's signer (the SDK's module is not available). */
class OrganizationsAccountDirectoryTest {

    AwsStub stub;
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-20T14:05:00Z"));
    OrganizationsAccountDirectory directory;

    @BeforeEach
    void setUp() {
        stub = AwsStub.start();
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        directory = new OrganizationsAccountDirectory(AwsClients.httpClient(Duration.ofSeconds(2)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDHUBEXAMPLE00001", "s")), "aws",
                stub.endpoint(), clock);
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    @Test
    void account_shouldBeNamedWithItsParentAndKeptForAnHour() {
        // given
        stub.organizations("DescribeAccount", "444455556666", "{\"Account\":{\"Id\":\"444455556666\",\"Arn\":\"arn:"
                + "aws:organizations::111122223333:account/o-a1b2c3d4e5/444455556666\",\"Name\":\"payments-prod\","
                + "\"Status\":\"ACTIVE\",\"JoinedTimestamp\":1.7e9}}");
        stub.organizations("ListParents", "444455556666",
                "{\"Parents\":[{\"Id\":\"ou-ab12-34567890\",\"Type\":\"ORGANIZATIONAL_UNIT\"}]}");

        // when
        Optional<Notification.AccountContext> first = directory.describe("444455556666");
        Optional<Notification.AccountContext> again = directory.describe("444455556666");

        // then: one DescribeAccount and one ListParents, signed for Organizations in us-east-1
        assertThat(first).contains(new Notification.AccountContext("payments-prod", "ou-ab12-34567890"));
        assertThat(again).isEqualTo(first);
        assertThat(stub.actions()).containsExactly("organizations:DescribeAccount", "organizations:ListParents");
        assertThat(stub.requests()).allSatisfy(r -> {
            assertThat(AwsStub.signingService(r)).isEqualTo("organizations");
            assertThat(AwsStub.signingRegion(r)).isEqualTo("us-east-1");
            assertThat(AwsStub.signingAccessKey(r)).isEqualTo("AKIDHUBEXAMPLE00001");
        });
        assertThat(AwsStub.json(stub.requests("organizations:DescribeAccount").get(0)).path("AccountId").asText())
                .isEqualTo("444455556666");
        assertThat(AwsStub.json(stub.requests("organizations:ListParents").get(0)).path("ChildId").asText())
                .isEqualTo("444455556666");

        // an hour later it is read again (a renamed or moved account)
        now.set(now.get().plus(Duration.ofMinutes(61)));
        directory.describe("444455556666");
        assertThat(stub.requests("organizations:DescribeAccount")).hasSize(2);
    }

    @Test
    void deniedCall_shouldFailNamingTheCall() {
        stub.organizationsError("DescribeAccount", 400, "AccessDeniedException", "not a delegated administrator");

        assertThatThrownBy(() -> directory.describe("444455556666")).isInstanceOf(AwsCallFailedException.class)
                .hasMessageContaining("organizations:DescribeAccount").hasMessageContaining("AccessDeniedException");
    }

    @Test
    void somethingThatIsNotAnAccountId_shouldNotBeSent() {
        assertThat(directory.describe("4444\"}")).isEmpty();
        assertThat(stub.requests()).isEmpty();
    }
}
