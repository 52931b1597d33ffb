package dev.avatarfleet.worker.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.ApiSettings;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.store.TaskQuery;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.FreePorts;
import dev.avatarfleet.testkit.TcpProxy;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.WaitingBound;
import dev.avatarfleet.worker.node.Fleet;
import dev.avatarfleet.worker.node.HoldingSessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, defect 1: an API node killed between the admission in Redis and the produce to Kafka leaves a pending
 * task with no launch record. The plugin's retry is answered with that task, and the fleet runs it from the
 * launch kept with the task.
 */
@WaitingBound
class UnenqueuedLaunchTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Timeout(300)
    void aLaunchWhoseApiNodeWasKilledBeforeItsProduceStillRuns() throws Exception {
        try (Fleet fleet = new Fleet("unenqueued"); TcpProxy deadBroker = TcpProxy.to(TestServers.kafka().port())) {
            HoldingSessionFactory sessions = new HoldingSessionFactory();
            fleet.worker("unq-1", 2, sessions);
            fleet.awaitReady(1);

            // an API node whose broker does not answer: its produce waits (KAFKA_TIMEOUT_MS) after the admission
            deadBroker.cut();
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + deadBroker.port());
            env.put("KAFKA_TIMEOUT_MS", "60000");
            env.put("REDIS_URL", TestServers.redis().url());
            env.put("REDIS_KEY_PREFIX", fleet.settings.keyPrefix());
            env.put("TASK_TOPIC", fleet.settings.taskTopic());
            env.put("WORKER_GROUP", fleet.settings.workerGroup());
            env.put("HEARTBEAT_INTERVAL_MS", Long.toString(fleet.settings.heartbeatInterval().toMillis()));
            env.put("DEAD_WORKER_TIMEOUT_MS", Long.toString(fleet.settings.deadWorkerTimeout().toMillis()));
            env.put("API_HOST", "127.0.0.1");
            env.put("API_PORT", Integer.toString(FreePorts.next()));
            String room = "room-killed";
            try (ApiProcess doomed = ApiProcess.start(env, Duration.ofSeconds(90))) {
                Thread.ofVirtual().start(() -> launch(Integer.parseInt(env.get("API_PORT")), room));
                await().atMost(Duration.ofSeconds(30)).until(() -> !fleet.plane.store().list(new TaskQuery(null, room, null, 0, 10)).tasks().isEmpty());
                doomed.kill();
            }
            TaskRecord stranded = fleet.plane.store().list(new TaskQuery(null, room, null, 0, 10)).tasks().get(0);
            assertEquals(TaskStatus.PENDING, stranded.status());

            // the plugin retries on another node: it is answered with the task the killed node admitted
            try (ControlPlane plane = ControlPlane.connect(fleet.settings, Clock.systemUTC());
                 ApiNode api = ApiNode.start(ApiSettings.from(Map.of("API_HOST", "127.0.0.1", "API_PORT", "0")), plane, Clock.systemUTC())) {
                HttpResponse<String> retry = launch(api.port(), room);
                assertEquals(200, retry.statusCode(), retry.body());
                assertEquals(stranded.taskId(), Json.mapper().readTree(retry.body()).get("task_id").asText());
                await().atMost(Duration.ofSeconds(40)).until(() -> fleet.task(stranded.taskId()).status() == TaskStatus.RUNNING);
                assertEquals(List.of(stranded.taskId()), sessions.started);
            }
        }
    }

    private static HttpResponse<String> launch(int port, String room) {
        String token = JWT.create().withIssuer("devkey").withSubject("avatar")
                .withExpiresAt(java.time.Instant.now().plusSeconds(3600))
                .withClaim("video", Map.of("roomJoin", true, "room", room, "canPublish", true, "canSubscribe", true, "canPublishData", true))
                .sign(Algorithm.HMAC256("secret"));
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token + "\",\"room_name\":\"" + room + "\"}";
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/launch"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }
}
