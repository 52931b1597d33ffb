package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.access.AccessFilter;
import dev.avatarfleet.common.http.JsonReply;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of a real API node, as its services register them (so a route added later is walked too), refuses a
 * request without a key or with a wrong one: 401 JSON with {@code WWW-Authenticate: Bearer}; only {@code /health},
 * {@code /ready} and {@code /metrics} answer anyone. Keys come and go without a restart.
 */
class GuardedRoutesServerTest {

    /** A registered route: its method ({@code ANY} for a method guard) and path pattern. */
    record Route(String method, String path) {
    }

    @Test
    void everyRouteButHealthReadyAndMetricsNeedsAKey() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            String key = fleet.createKey("walker", false);
            ApiNode node = fleet.node(Map.of("WORKER_PROXY_TIMEOUT_SECONDS", "2"));
            String task = TenantsServerTest.taskId(fleet.launch(node, key, "walk-room", "avatar"));

            Set<Route> routes = routesOf(node.services());
            for (Route expected : List.of(new Route("POST", "/launch"), new Route("GET", "/tasks"), new Route("GET", "/tasks/{id}"),
                    new Route("POST", "/tasks/{id}/stop"), new Route("POST", "/benchmark"), new Route("GET", "/test-frame"),
                    new Route("GET", "/health"), new Route("GET", "/ready"))) {
                assertTrue(routes.contains(expected), expected + " not found among " + routes);
            }
            int guarded = 0;
            for (Route route : routes) {
                String method = route.method().equals("ANY") ? "DELETE" : route.method();
                String path = route.path().replace("{id}", task).replaceAll("\\{[^}]+}", "x");
                HttpResponse<String> none = send(fleet, node, method, path, null);
                if (AccessFilter.isPublic(route.path())) {
                    assertNotEquals(401, none.statusCode(), route + " is public: " + none.body());
                    continue;
                }
                guarded++;
                unauthorized(none, route, "API key required");
                unauthorized(send(fleet, node, method, path, "Bearer wrong-key"), route, "not valid");
                unauthorized(send(fleet, node, method, path, "Bearer afk_000000000000_" + "A".repeat(43)), route, "not valid");
                HttpResponse<String> withKey = send(fleet, node, method, path, "Bearer " + key);
                assertNotEquals(401, withKey.statusCode(), route + " refused its key: " + withKey.body());
            }
            assertTrue(guarded >= 8, "only " + guarded + " guarded routes walked");
            // an unknown route is no way round the door
            unauthorized(send(fleet, node, "GET", "/no/such/route", null), new Route("GET", "/no/such/route"), "API key");
            assertEquals("keys", JsonReply.MAPPER.readTree(fleet.get(node, "/health").body()).get("auth").asText());
        }
    }

    @Test
    void theDashboardsPagesArePublicButItsFleetWideViewsAreAnOperatorsAlone() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            String tenant = fleet.createKey("tenant-a", false);
            String operator = fleet.createKey("ops", true);
            ApiNode node = fleet.node(Map.of());
            // the pages and the API's description hold no fleet data: a browser loads them before it has a key
            for (String page : List.of("/", "/try", "/dashboard/app.js", "/openapi")) {
                assertEquals(200, send(fleet, node, "GET", page, null).statusCode(), page);
            }
            // a path below the static folder is no way round the door
            unauthorized(send(fleet, node, "GET", "/dashboard/x/y", null), new Route("GET", "/dashboard/x/y"), "API key");
            // every worker and every tenant's tasks: a tenant key is refused, an operator key let in
            HttpResponse<String> fleetView = send(fleet, node, "GET", "/fleet", "Bearer " + tenant);
            assertEquals(403, fleetView.statusCode(), fleetView.body());
            assertEquals("forbidden", JsonReply.MAPPER.readTree(fleetView.body()).get("error").asText(), fleetView.body());
            assertEquals(403, send(fleet, node, "GET", "/events", "Bearer " + tenant).statusCode());
            assertEquals(200, send(fleet, node, "GET", "/fleet", "Bearer " + operator).statusCode());
            assertEquals(401, send(fleet, node, "GET", "/fleet", null).statusCode());
        }
    }

    @Test
    void aNodeWithoutKeysRunsOpenAndSaysSoAndARevokedKeyStopsWorkingWithoutARestartAndTheFleetStaysClosed() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode node = fleet.node(Map.of("API_KEYS_REFRESH_SECONDS", "1"));
            assertEquals("open", JsonReply.MAPPER.readTree(fleet.get(node, "/health").body()).get("auth").asText());
            assertEquals(200, fleet.get(node, "/tasks").statusCode());
            // the first key created anywhere closes the door on every node, within the refresh
            String key = fleet.createKey("late", false);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> fleet.get(node, "/tasks").statusCode() == 401);
            assertEquals(200, fleet.get(node, "/tasks", key).statusCode());
            fleet.controlPlane.apiKeys().remove(key.substring(4, 16));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> fleet.get(node, "/tasks", key).statusCode() == 401);
            // revoking the last key does not open the fleet: nobody is let in until it is opened on purpose
            assertEquals(401, fleet.get(node, "/tasks").statusCode());
            assertTrue(fleet.controlPlane.apiKeys().reopen());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> fleet.get(node, "/tasks").statusCode() == 200);
        }
    }

    @Test
    void keysInAFileCountWithoutARestartAndTheFileHoldsNoKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api-keys");
        Files.writeString(file, "# no keys yet\n");
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode node = fleet.node(Map.of("API_KEYS_FILE", file.toString(), "API_KEYS_REFRESH_SECONDS", "1"));
            assertEquals(401, fleet.get(node, "/tasks").statusCode(), "a keys file, even empty, means keys are required");
            dev.avatarfleet.api.access.KeySecrets.NewKey made = dev.avatarfleet.api.access.KeySecrets.create("from-file", true,
                    dev.avatarfleet.api.access.ApiKey.KeyLimits.DEFAULTS, java.time.Instant.now(), "file");
            new dev.avatarfleet.api.access.KeyFile(file).add(made.record());
            assertTrue(!Files.readString(file).contains(made.key().substring(17)), "the file holds the key's hash only");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> fleet.get(node, "/tasks", made.key()).statusCode() == 200);
            new dev.avatarfleet.api.access.KeyFile(file).remove(made.record().id());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> fleet.get(node, "/tasks", made.key()).statusCode() == 401);
        }
    }

    private static void unauthorized(HttpResponse<String> r, Route route, String reason) throws Exception {
        assertEquals(401, r.statusCode(), route + ": " + r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), route + " has no WWW-Authenticate: Bearer");
        JsonNode body = JsonReply.MAPPER.readTree(r.body());
        assertEquals("unauthorized", body.get("error").asText(), route + ": " + r.body());
        assertTrue(body.get("reason").asText().contains(reason), route + ": " + r.body());
    }

    private static HttpResponse<String> send(FleetFixture fleet, ApiNode node, String method, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(FleetFixture.uri(node, path)).timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (!method.equals("GET") && !method.equals("DELETE")) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return fleet.send(node, b.build());
    }

    /** Each service's routes, as it registers them on a recording {@link HttpRules}. */
    static Set<Route> routesOf(List<HttpService> services) {
        Set<Route> routes = new LinkedHashSet<>();
        List<Object> self = new ArrayList<>(1);
        HttpRules recorder = (HttpRules) Proxy.newProxyInstance(HttpRules.class.getClassLoader(), new Class<?>[] {HttpRules.class},
                (proxy, m, args) -> {
                    String name = m.getName();
                    if (args != null && args.length > 0 && args[0] instanceof String path
                            && Set.of("get", "post", "put", "delete", "head", "options", "trace", "patch", "any").contains(name)) {
                        routes.add(new Route(name.toUpperCase(java.util.Locale.ROOT), path));
                    } else if (name.equals("register") && args != null && args.length == 1 && args[0] instanceof HttpService[] nested) {
                        for (HttpService n : nested) {
                            n.routing((HttpRules) self.get(0));
                        }
                    } else if (m.getReturnType() == HttpRules.class) {
                        throw new AssertionError("the route walk does not read HttpRules." + name + ": teach it");
                    }
                    return m.getReturnType() == HttpRules.class ? self.get(0) : null;
                });
        self.add(recorder);
        for (HttpService s : services) {
            s.routing(recorder);
        }
        return routes;
    }
}
