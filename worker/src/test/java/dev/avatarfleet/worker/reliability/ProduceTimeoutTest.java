package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.ApiSettings;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.FreePorts;
import dev.avatarfleet.testkit.KafkaBroker;
import dev.avatarfleet.testkit.TcpProxy;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, defect 7: a produce that times out may still have been written. Here the broker writes the launch
 * record but the API node never hears its acknowledgement (a proxy on the API node's way to the broker drops the
 * broker's replies), while a worker with its own way to the broker claims the task: the launch is answered 200 with
 * that task, which is not failed under its worker.
 */
@WaitingBound
class ProduceTimeoutTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Timeout(300)
    void aLaunchWhoseProduceTimedOutAfterTheBrokerWroteItIsAnsweredWithTheClaimedTask(@TempDir Path data) throws Exception {
        int proxiedPort = FreePorts.next();
        try (TcpProxy front = TcpProxy.to(proxiedPort)) {
            KafkaBroker broker = KafkaBroker.startForTests(data, "PROXIED", proxiedPort, "127.0.0.1:" + front.port());
            try (Fleet fleet = new Fleet("producetimeout", broker.bootstrapServers())) {
                HoldingSessionFactory sessions = new HoldingSessionFactory();
                fleet.worker("pt-1", 4, sessions);
                fleet.awaitReady(1);
                try (ControlPlane plane = ControlPlane.connect(
                        Fleet.withKafka(fleet.settings, "127.0.0.1:" + front.port(), Duration.ofSeconds(3)), Clock.systemUTC());
                     ApiNode api = ApiNode.start(ApiSettings.from(Map.of("API_HOST", "127.0.0.1", "API_PORT", "0")), plane,
                             Clock.systemUTC())) {
                    // a first launch warms the API node's producer (metadata, connection)
                    HttpResponse<String> warm = launch(api.port(), "room-warm");
                    assertEquals(200, warm.statusCode(), warm.body());
                    String warmId = Json.mapper().readTree(warm.body()).get("task_id").asText();
                    await().atMost(Duration.ofSeconds(20)).until(() -> fleet.task(warmId).status() == TaskStatus.RUNNING);

                    // from now on the broker's acknowledgements never reach the API node
                    front.dropReplies();
                    HttpResponse<String> r = launch(api.port(), "room-timeout");
                    front.heal();
                    assertEquals(200, r.statusCode(), r.body());
                    JsonNode body = Json.mapper().readTree(r.body());
                    String id = body.get("task_id").asText();
                    await().atMost(Duration.ofSeconds(20)).until(() -> fleet.task(id).status() == TaskStatus.RUNNING);
                    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                            .until(() -> fleet.task(id).status() == TaskStatus.RUNNING);
                    assertEquals(List.of(warmId, id), sessions.started);
                }
            } finally {
                broker.close();
            }
        }
    }

    private static HttpResponse<String> launch(int port, String room) throws Exception {
        String token = JWT.create().withIssuer("devkey").withSubject("avatar")
                .withExpiresAt(java.time.Instant.now().plusSeconds(3600))
                .withClaim("video", Map.of("roomJoin", true, "room", room, "canPublish", true, "canSubscribe", true, "canPublishData", true))
                .sign(Algorithm.HMAC256("secret"));
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token + "\",\"room_name\":\"" + room + "\"}";
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/launch"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
