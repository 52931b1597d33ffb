package dev.avatarfleet.api.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.metrics.MetricsContract;
import dev.avatarfleet.testkit.PrometheusScrape;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An API node's {@code /metrics} against a real Kafka broker and redis-server, parsed by the Prometheus
 * project's own text-format parser: every API metric of the contract (ops/deploy/metrics.json) is served with
 * its labels and {@code node_id}, launches and refusals are counted by outcome and reason, and the fleet's
 * capacity gauges move as tasks start and end, equal to {@code /ready}'s figures. Then {@code /observe/health}.
 */
class ApiMetricsServerTest {

    @Test
    void theContractIsServedAndTheFiguresMoveWithTheFleetAsReadySaysThem() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 2, "http://127.0.0.1:1");
            ApiNode node = fleet.node();
            String nodeId = node.observability().nodeId();
            // why: Micrometer registers the GC pause timer when the first pause's notification arrives (on the JMX
            // notification thread, after System.gc() returns); the node runs in this JVM
            System.gc();
            PrometheusScrape first = await().atMost(Duration.ofSeconds(10))
                    .until(() -> scrape(fleet, node), s -> s.type("jvm_gc_pause_seconds") != null);
            MetricsContract.load().assertServedBy("api", first, nodeId);
            assertCapacityMatchesReady(fleet, node, 2, 2);
            assertEquals(0.0, counter(first, "avatarfleet_launches_total", "outcome", "accepted"), "the warm-up launch is not counted");

            String a = launch(fleet, node, "room-m1");
            assertCapacityMatchesReady(fleet, node, 1, 2);
            String b = launch(fleet, node, "room-m2");
            assertCapacityMatchesReady(fleet, node, 0, 2);
            HttpResponse<String> refused = post(fleet, node, "room-m3");
            assertEquals(503, refused.statusCode(), refused.body());

            PrometheusScrape full = scrape(fleet, node);
            assertEquals(2.0, counter(full, "avatarfleet_launches_total", "outcome", "accepted"));
            assertEquals(1.0, counter(full, "avatarfleet_launches_total", "outcome", "refused"));
            assertEquals(1.0, counter(full, "avatarfleet_admission_refusals_total", "reason", "at_capacity"));

            // a bad launch is counted as invalid and refused by nobody's admission
            HttpResponse<String> bad = fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"room_name\":1}")).build());
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals(1.0, counter(scrape(fleet, node), "avatarfleet_launches_total", "outcome", "invalid"));

            // the tasks end (stopped while pending): the slots come back, on /ready and in /metrics alike
            assertEquals(200, fleet.post(node, "/tasks/" + a + "/stop").statusCode());
            assertCapacityMatchesReady(fleet, node, 1, 2);
            assertEquals(200, fleet.post(node, "/tasks/" + b + "/stop").statusCode());
            assertCapacityMatchesReady(fleet, node, 2, 2);
        }
    }

    @Test
    void theHealthObserverChecksRedisAndKafkaBesideTheSeedShapedHealth() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode node = fleet.node();
            HttpResponse<String> health = fleet.get(node, "/observe/health");
            assertEquals(200, health.statusCode(), health.body());
            JsonNode body = JsonReply.MAPPER.readTree(health.body());
            assertEquals("UP", body.get("status").asText(), health.body());
            assertTrue(health.body().contains("\"redis\"") && health.body().contains("\"kafka\""), health.body());
            JsonNode seed = JsonReply.MAPPER.readTree(fleet.get(node, "/health").body());
            assertEquals("healthy", seed.get("status").asText(), "the seed's /health keeps its body");
        }
        try (FleetFixture down = new FleetFixture(Map.of("REDIS_URL", "redis://127.0.0.1:1", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "REDIS_TIMEOUT_MS", "200", "KAFKA_TIMEOUT_MS", "500"))) {
            ApiNode node = down.node();
            HttpResponse<String> health = down.get(node, "/observe/health");
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("DOWN", JsonReply.MAPPER.readTree(health.body()).get("status").asText(), health.body());
            // the failed calls are the node's dependency errors
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertTrue(counter(scrape(down, node), "avatarfleet_dependency_errors_total", "dependency", "redis") >= 1));
        }
    }

    @Test
    void aScrapeTheParserRefusesFailsTheTest() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusScrape.parse("# TYPE x gauge\nx{a=\"1} 1\n"));
    }

    private static void assertCapacityMatchesReady(FleetFixture fleet, ApiNode node, long available, long max) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode ready = JsonReply.MAPPER.readTree(fleet.get(node, "/ready").body());
            PrometheusScrape m = scrape(fleet, node);
            double gaugeAvailable = m.value("avatarfleet_fleet_available_sessions", Map.of()).orElseThrow();
            double gaugeMax = m.value("avatarfleet_fleet_max_sessions", Map.of()).orElseThrow();
            assertEquals(available, ready.get("available_sessions").asLong(), ready.toString());
            assertEquals(ready.get("available_sessions").asDouble(), gaugeAvailable, "available: /ready " + ready);
            assertEquals(ready.get("max_sessions").asDouble(), gaugeMax, "max: /ready " + ready);
            assertEquals(max, (long) gaugeMax);
        });
    }

    static PrometheusScrape scrape(FleetFixture fleet, ApiNode node) {
        HttpResponse<String> r = fleet.get(node, "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        return PrometheusScrape.parse(r.body());
    }

    static double counter(PrometheusScrape m, String name, String label, String value) {
        return m.value(name, Map.of(label, value)).orElse(0);
    }

    private static String launch(FleetFixture fleet, ApiNode node, String room) throws Exception {
        HttpResponse<String> r = post(fleet, node, room);
        assertEquals(200, r.statusCode(), r.body());
        String id = JsonReply.MAPPER.readTree(r.body()).get("task_id").asText();
        assertFalse(id.isBlank());
        return id;
    }

    private static HttpResponse<String> post(FleetFixture fleet, ApiNode node, String room) {
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + TestTokens.avatar(room, "bithuman-avatar-agent")
                + "\",\"room_name\":\"" + room + "\"}";
        return fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
