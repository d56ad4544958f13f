package dev.trailguard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.model.Trail;

class PrimingLoopbackTest {

    @Test
    void redirecting_shouldCarryTheSdksRequestsOverTheRealHttpClientToTheLoopbackServerAndCloseEverything()
            throws IOException {
        // given: the production HTTP client, redirected to the loopback server
        PrimingHttpClient answers = new PrimingHttpClient("eu-west-1");
        PrimingLoopback loopback = PrimingLoopback.start(answers);
        int port = loopback.port();
        AwsClients clients = new AwsClients(Region.EU_WEST_1, URI.create("https://trailguard-priming.invalid"),
                loopback.redirecting(AwsClients.httpClient(AwsClients.ATTEMPT_TIMEOUT)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMINGNOTREAL0", "priming")));

        // when: JSON 1.1 (CloudTrail, SSM) and Query (SNS) calls, twice each (the second over a kept-alive connection)
        for (int i = 0; i < 2; i++) {
            Trail trail = clients.cloudTrail().describeTrails(b -> b.trailNameList(PrimingHttpClient.TRAIL_NAME))
                    .trailList().get(0);
            assertThat(trail.trailARN())
                    .isEqualTo("arn:aws:cloudtrail:eu-west-1:000000000000:trail/trailguard-priming");
            assertThat(clients.ssm(Region.EU_WEST_1).getParameter(b -> b.name("/trailguard/baseline/x"))
                    .parameter().value()).contains("AWS::S3::Object");
            assertThat(clients.sns().publish(b -> b.topicArn("arn:aws:sns:eu-west-1:000000000000:t").message("m"))
                    .messageId()).isEqualTo("00000000-0000-4000-8000-000000000000");
        }
        loopback.close();

        // then: nothing listens any more (no socket survives into a snapshot)
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(IOException.class);
    }
}
