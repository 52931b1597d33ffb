package dev.avatarfleet.api.health;

import dev.avatarfleet.api.http.MethodGuard;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.store.FleetTotals;
import dev.avatarfleet.common.store.WorkerState;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} and {@code GET /ready} in the seed container's shapes, for the fleet:
 * totals over the live workers.
 *
 * <pre>
 * curl http://localhost:8089/health  -> {"status":"healthy","active_sessions":2,"max_sessions":8,...}
 * curl http://localhost:8089/ready   -> 200 {"status":"ready","model_ready":true,...} or 503 not_ready / at_capacity
 * </pre>
 */
public final class HealthService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    private final Supplier<FleetTotals> totals;
    private final Supplier<String> auth;

    /** @param auth what {@code /health} says of keys: {@code open} (none configured), {@code keys}, or {@code unknown} */
    public HealthService(Supplier<FleetTotals> totals, Supplier<String> auth) {
        this.totals = totals;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health);
        MethodGuard.only(rules, "/health", "GET");
        rules.get("/ready", this::ready);
        MethodGuard.only(rules, "/ready", "GET");
    }

    private void health(ServerRequest req, ServerResponse res) {
        // why: the seed's /health is 200 whenever the process is up; a store outage shows in the body, not the status
        try {
            FleetTotals t = totals.get();
            JsonReply.send(res, Status.OK_200, JsonReply.object(
                    "status", "healthy",
                    "active_sessions", t.activeSessions(),
                    "max_sessions", t.maxSessions(),
                    "workers", t.liveWorkers().size(),
                    "ready_workers", t.liveWorkers().stream().filter(w -> w.modelReady() && !w.draining()).count(),
                    "auth", auth.get()));
        } catch (DependencyUnavailableException e) {
            LOG.warn("fleet totals unavailable: {}", e.getMessage());
            JsonReply.send(res, Status.OK_200, JsonReply.object(
                    "status", "healthy", "active_sessions", 0, "max_sessions", 0, "workers", 0, "ready_workers", 0,
                    "auth", auth.get(), "fleet_state", e.dependency() + " unavailable"));
        }
    }

    private void ready(ServerRequest req, ServerResponse res) {
        FleetTotals t;
        try {
            t = totals.get();
        } catch (DependencyUnavailableException e) {
            JsonReply.send(res, Status.SERVICE_UNAVAILABLE_503, JsonReply.object(
                    "status", "not_ready", "model_ready", false, "active_sessions", 0, "available_sessions", 0,
                    "max_sessions", 0, "reason", e.dependency() + " unavailable"));
            return;
        }
        String readiness = t.readiness();
        Map<String, Object> body = JsonReply.object(
                "status", readiness,
                "model_ready", t.modelReady(),
                "active_sessions", t.activeSessions(),
                "available_sessions", t.availableSessions(),
                "max_sessions", t.maxSessions(),
                "workers", t.liveWorkers().stream().map(WorkerState::id).toList());
        if (!readiness.equals("ready")) {
            body.put("reason", readiness.equals("not_ready")
                    ? (t.liveWorkers().isEmpty() ? "no live worker" : "no live worker has its model loaded")
                    : "every session slot of the fleet is in use");
        }
        JsonReply.send(res, readiness.equals("ready") ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }
}
