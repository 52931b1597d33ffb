package dev.avatarfleet.worker.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.ApiSettings;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.testkit.TestServers;
import dev.avatarfleet.worker.WaitingBound;
import org.junit.jupiter.api.Test;

/**
 * The fleet test: two API nodes and two workers ({@code MAX_SESSIONS=4} each) on a real
 * Kafka broker and a real redis-server, each node with its own connections, talking HTTP.
 * Sessions are the test-only holding session (the real one comes with the avatar participant).
 */
@WaitingBound
class FleetEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoApiNodesAndTwoWorkersServeTheWholeFleet() throws Exception {
        String prefix = TestServers.uniquePrefix("e2e");
        Map<String, String> env = TestServers.fleetEnvironment(prefix);
        env.put("HEARTBEAT_INTERVAL_MS", "200");
        env.put("DEAD_WORKER_TIMEOUT_MS", "2000");
        env.put("MAX_TASK_HISTORY", "3");
        env.put("TASK_RETENTION_SECONDS", "4");
        env.put("PRUNE_INTERVAL_SECONDS", "1");
        FleetSettings fleet = FleetSettings.fromEnvironment(new Env(env));

        List<AutoCloseable> closing = new ArrayList<>();
        try {
            HoldingSessionFactory s1 = new HoldingSessionFactory();
            HoldingSessionFactory s2 = new HoldingSessionFactory();
            WorkerNode w1 = worker(fleet, "e2e-w1", s1, closing);
            WorkerNode w2 = worker(fleet, "e2e-w2", s2, closing);
            ApiNode a = apiNode(fleet, closing);
            ApiNode b = apiNode(fleet, closing);
            await().atMost(WAIT).until(() -> {
                HttpResponse<String> r = get(a, "/ready");
                return r.statusCode() == 200 && json(r).get("available_sessions").asInt() == 8;
            });

            // 30 concurrent launches over both nodes: exactly 8 admitted, the rest 503 at_capacity
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> replies = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 30; i++) {
                    ApiNode node = i % 2 == 0 ? a : b;
                    String room = "room-" + i;
                    replies.add(pool.submit(() -> {
                        go.await();
                        return launch(node, room);
                    }));
                }
                go.countDown();
            }
            List<String> accepted = new ArrayList<>();
            int atCapacity = 0;
            for (Future<HttpResponse<String>> f : replies) {
                HttpResponse<String> r = f.get();
                JsonNode body = json(r);
                if (r.statusCode() == 200) {
                    assertEquals("pending", body.get("status").asText());
                    accepted.add(body.get("task_id").asText());
                } else {
                    assertEquals(503, r.statusCode(), r.body());
                    assertTrue(r.body().contains("at_capacity"), r.body());
                    atCapacity++;
                }
            }
            assertEquals(8, accepted.size());
            assertEquals(22, atCapacity);

            // all 8 run, 4 on each worker, never more
            await().atMost(WAIT).until(() -> accepted.stream().allMatch(id -> "running".equals(status(a, id))));
            assertEquals(4, w1.slots().active());
            assertEquals(4, w2.slots().active());
            assertTrue(w1.slots().highWater() <= 4 && w2.slots().highWater() <= 4);
            assertEquals(8, s1.started.size() + s2.started.size());
            assertEquals(8, Set.copyOf(concat(s1.started, s2.started)).size(), "no session started twice");
            assertEquals("at_capacity", json(get(b, "/ready")).get("status").asText());

            // both nodes answer the same
            assertEquals(json(get(a, "/tasks")), json(get(b, "/tasks")));
            for (String id : accepted) {
                assertEquals(json(get(a, "/tasks/" + id)), json(get(b, "/tasks/" + id)));
            }
            assertEquals(8, json(get(a, "/tasks?status=running")).get("tasks").size());

            // a stop sent to either node ends the session
            for (int i = 0; i < 4; i++) {
                String id = accepted.get(i);
                HttpResponse<String> r = post(i % 2 == 0 ? a : b, "/tasks/" + id + "/stop");
                assertEquals(200, r.statusCode(), r.body());
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> "cancelled".equals(status(b, id)));
                Thread.sleep(20); // why: distinct end times, so "oldest first" is well defined
            }
            // why: "cancelled" is the task record; the worker frees the slot right after writing it
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertEquals(4, w1.slots().active() + w2.slots().active()));

            // history cap 3: the oldest terminal record is gone, the active ones all stay
            assertEquals(404, get(a, "/tasks/" + accepted.get(0)).statusCode());
            JsonNode all = json(get(b, "/tasks"));
            assertEquals(7, all.get("tasks").size());
            // retention 4 s: every terminal record goes, the running ones stay
            await().atMost(WAIT).until(() -> json(get(a, "/tasks")).get("tasks").size() == 4);
            for (JsonNode t : json(get(b, "/tasks")).get("tasks")) {
                assertEquals("running", t.get("status").asText());
            }
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
        }
    }

    private static List<String> concat(List<String> x, List<String> y) {
        List<String> out = new ArrayList<>(x);
        out.addAll(y);
        return out;
    }

    private static WorkerNode worker(FleetSettings fleet, String id, HoldingSessionFactory sessions, List<AutoCloseable> closing) {
        WorkerSettings ws = WorkerSettings.fromEnvironment(new Env(Map.of())).withIdentity(id, 0, 4).withDrainTimeout(Duration.ofMillis(200));
        // why: each worker on its own control plane, as WorkerMain wires one; closed after the node
        ControlPlane plane = ControlPlane.connect(fleet, Clock.systemUTC());
        closing.add(plane);
        WorkerNode node = WorkerNode.start(ws, plane, new WorkerComponents(sessions, () -> { }, List.of()), Clock.systemUTC());
        closing.add(node);
        return node;
    }

    private static ApiNode apiNode(FleetSettings fleet, List<AutoCloseable> closing) {
        // why: each API node has its own Redis pool and Kafka producer, as separate processes would
        ControlPlane plane = ControlPlane.connect(fleet, Clock.systemUTC());
        closing.add(plane);
        ApiNode node = ApiNode.start(ApiSettings.from(Map.of("API_HOST", "127.0.0.1", "API_PORT", "0")), plane, Clock.systemUTC());
        closing.add(node);
        return node;
    }

    private HttpResponse<String> launch(ApiNode node, String room) throws Exception {
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token(room) + "\",\"room_name\":\"" + room + "\"}";
        return http.send(HttpRequest.newBuilder(uri(node, "/launch")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String room) {
        return JWT.create().withIssuer("devkey").withSubject("avatar")
                .withExpiresAt(java.time.Instant.now().plusSeconds(3600))
                .withClaim("video", Map.of("roomJoin", true, "room", room, "canPublish", true, "canSubscribe", true, "canPublishData", true))
                .sign(Algorithm.HMAC256("secret"));
    }

    private String status(ApiNode node, String id) {
        HttpResponse<String> r = get(node, "/tasks/" + id);
        return r.statusCode() == 200 ? json(r).get("status").asText() : "http " + r.statusCode();
    }

    private HttpResponse<String> get(ApiNode node, String path) {
        return send(HttpRequest.newBuilder(uri(node, path)).GET().build());
    }

    private HttpResponse<String> post(ApiNode node, String path) {
        return send(HttpRequest.newBuilder(uri(node, path)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static URI uri(ApiNode node, String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }
}
