package dev.avatarfleet.worker.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.common.metrics.MetricsContract;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.PrometheusScrape;
import dev.avatarfleet.worker.WaitingBound;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker's {@code /metrics} on the real broker and redis-server, parsed by the Prometheus project's own
 * parser: the worker metrics of the contract with {@code node_id}, sessions running and offered slots moving as
 * sessions start and end and equal to the worker's {@code /ready}, ends counted by reason; {@code /observe/health}.
 */
@WaitingBound
class WorkerMetricsNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void slotGaugesMoveWithSessionsAndEqualReadyAndEndsAreCountedByReason() throws Exception {
        try (Fleet fleet = new Fleet("metrics")) {
            HoldingSessionFactory sessions = new HoldingSessionFactory();
            WorkerNode w = fleet.worker("wm1", 2, sessions);
            fleet.awaitReady(1);
            // why: Micrometer registers the GC pause timer when the first pause's notification arrives (on the JMX
            // notification thread, after System.gc() returns); the worker runs in this JVM
            System.gc();
            MetricsContract.load().assertServedBy("worker", await().atMost(WAIT)
                    .until(() -> scrape(w), s -> s.type("jvm_gc_pause_seconds") != null), "wm1");
            assertSlots(w, 0, 2, 1.0);

            TaskRecord a = admitted(fleet.launch("room-a", "avatar"));
            TaskRecord b = admitted(fleet.launch("room-b", "avatar"));
            await().atMost(WAIT).until(() -> fleet.task(a.taskId()).status() == TaskStatus.RUNNING
                    && fleet.task(b.taskId()).status() == TaskStatus.RUNNING);
            assertSlots(w, 2, 0, 1.0);

            sessions.sessions.get(a.taskId()).complete();
            assertSlots(w, 1, 1, 1.0);
            fleet.plane.store().requestStop(b.taskId(), "stop");
            assertSlots(w, 0, 2, 1.0);
            PrometheusScrape m = scrape(w);
            assertEquals(1.0, m.value("avatarfleet_sessions_ended_total", Map.of("reason", "agent_left")).orElseThrow());
            assertEquals(1.0, m.value("avatarfleet_sessions_ended_total", Map.of("reason", "cancelled")).orElseThrow());
            assertEquals(0.0, m.value("avatarfleet_failovers_total", Map.of()).orElseThrow());

            JsonNode health = new ObjectMapper().readTree(get(w.url() + "/observe/health").body());
            assertEquals("UP", health.get("status").asText(), health.toString());
            assertTrue(health.toString().contains("\"model\""), health.toString());
        }
    }

    private void assertSlots(WorkerNode w, int running, int available, double ready) {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode readyBody = new ObjectMapper().readTree(get(w.url() + "/ready").body());
            PrometheusScrape m = scrape(w);
            assertEquals(running, m.value("avatarfleet_worker_sessions_running", Map.of()).orElseThrow());
            assertEquals(readyBody.get("active_sessions").asDouble(), m.value("avatarfleet_worker_sessions_running", Map.of()).orElseThrow());
            assertEquals(available, m.value("avatarfleet_worker_available_sessions", Map.of()).orElseThrow());
            assertEquals(readyBody.get("available_sessions").asDouble(), m.value("avatarfleet_worker_available_sessions", Map.of()).orElseThrow(),
                    "/ready " + readyBody);
            assertEquals(2.0, m.value("avatarfleet_worker_max_sessions", Map.of()).orElseThrow());
            assertEquals(ready, m.value("avatarfleet_worker_ready", Map.of()).orElseThrow());
            assertEquals(running / 2.0, m.value("avatarfleet_worker_load_ratio", Map.of()).orElseThrow());
        });
    }

    private PrometheusScrape scrape(WorkerNode w) throws Exception {
        HttpResponse<String> r = get(w.url() + "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        return PrometheusScrape.parse(r.body());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static TaskRecord admitted(Admission a) {
        return assertInstanceOf(Admission.Admitted.class, a).task();
    }
}
