package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.access.ApiKey;
import dev.avatarfleet.common.http.JsonReply;
import org.junit.jupiter.api.Test;

/**
 * The launch limits on real API nodes: a key's launch rate holds across nodes (one bucket in Redis), a tenant's
 * session quota is checked at admission; both answer 429 with {@code Retry-After} and a JSON reason, and a key's own
 * limits override the node's. Without keys the rate is per client address, read through trusted proxies only.
 */
class LaunchLimitsServerTest {

    @Test
    void aKeysLaunchRateHoldsAcrossNodesAndAnswers429WithRetryAfter() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 32, "http://127.0.0.1:1");
            String key = fleet.createKey("rated", false);
            String own = fleet.createKey("rated-own", false, new ApiKey.KeyLimits(2, 5, null));
            Map<String, String> env = Map.of("LAUNCH_RATE_PER_MINUTE", "1", "LAUNCH_RATE_BURST", "2");
            ApiNode a = fleet.node(env);
            ApiNode b = fleet.node(env);
            assertEquals(200, fleet.launch(a, key, "rate-1", "avatar").statusCode());
            assertEquals(200, fleet.launch(b, key, "rate-2", "avatar").statusCode());
            HttpResponse<String> third = fleet.launch(a, key, "rate-3", "avatar");
            limited(third, "rate_limited", 1, 60);
            limited(fleet.launch(b, key, "rate-4", "avatar"), "rate_limited", 1, 60);
            // a key of its own limits, and its own bucket
            for (int i = 0; i < 5; i++) {
                assertEquals(200, fleet.launch(i % 2 == 0 ? a : b, own, "own-" + i, "avatar").statusCode());
            }
            limited(fleet.launch(a, own, "own-5", "avatar"), "rate_limited", 1, 60);
        }
    }

    @Test
    void aTenantsSessionQuotaAnswers429AndARepeatedLaunchStillFindsItsTask() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 32, "http://127.0.0.1:1");
            String key = fleet.createKey("quota", false);
            String other = fleet.createKey("quota-other", false);
            String wider = fleet.createKey("quota-wider", false, new ApiKey.KeyLimits(null, null, 2));
            ApiNode node = fleet.node(Map.of("TENANT_MAX_SESSIONS", "1"));
            String first = TenantsServerTest.taskId(fleet.launch(node, key, "q-1", "avatar"));
            limited(fleet.launch(node, key, "q-2", "avatar"), "quota_exceeded", 10, 10);
            assertEquals(first, TenantsServerTest.taskId(fleet.launch(node, key, "q-1", "avatar")), "a repeat is not a new session");
            assertEquals(200, fleet.launch(node, other, "q-2", "avatar").statusCode(), "the quota is the tenant's, not the fleet's");
            assertEquals(200, fleet.post(node, "/tasks/" + first + "/stop", key).statusCode());
            assertEquals(200, fleet.launch(node, key, "q-2", "avatar").statusCode(), "an ended session frees the quota");
            assertEquals(200, fleet.launch(node, wider, "w-1", "avatar").statusCode());
            assertEquals(200, fleet.launch(node, wider, "w-2", "avatar").statusCode());
            limited(fleet.launch(node, wider, "w-3", "avatar"), "quota_exceeded", 10, 10);
        }
    }

    @Test
    void withoutKeysTheRateIsPerClientAddressReadThroughTrustedProxiesOnly() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 32, "http://127.0.0.1:1");
            ApiNode behindProxy = fleet.node(Map.of("LAUNCH_RATE_PER_MINUTE", "1", "LAUNCH_RATE_BURST", "1",
                    "API_TRUSTED_PROXIES", "127.0.0.1"));
            assertEquals(200, fleet.launch(behindProxy, null, "p-1", "avatar", "X-Forwarded-For", "198.51.100.1").statusCode());
            limited(fleet.launch(behindProxy, null, "p-2", "avatar", "X-Forwarded-For", "198.51.100.1"), "rate_limited", 1, 60);
            assertEquals(200, fleet.launch(behindProxy, null, "p-3", "avatar", "X-Forwarded-For", "198.51.100.2").statusCode());
            // a node that trusts no proxy: the header is anyone's words, the peer is the client
            ApiNode direct = fleet.node(Map.of("LAUNCH_RATE_PER_MINUTE", "1", "LAUNCH_RATE_BURST", "1"));
            HttpResponse<String> d1 = fleet.launch(direct, null, "d-1", "avatar", "X-Forwarded-For", "198.51.100.3");
            assertEquals(200, d1.statusCode(), d1.body());
            limited(fleet.launch(direct, null, "d-2", "avatar", "X-Forwarded-For", "198.51.100.4"), "rate_limited", 1, 60);
        }
    }

    private static void limited(HttpResponse<String> r, String error, int minRetry, int maxRetry) throws Exception {
        assertEquals(429, r.statusCode(), r.body());
        JsonNode body = JsonReply.MAPPER.readTree(r.body());
        assertEquals(error, body.get("error").asText(), r.body());
        assertEquals("error", body.get("status").asText());
        int retry = Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After")));
        assertTrue(retry >= minRetry && retry <= maxRetry, "Retry-After " + retry);
    }
}
