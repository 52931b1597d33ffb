package dev.avatarfleet.worker.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.store.WorkerState;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * This worker's own {@code GET /health} and {@code GET /ready}, in the seed container's shapes.
 * <pre>
 * curl http://127.0.0.1:8090/health   # {"status":"healthy","active_sessions":2,"max_sessions":8}
 * curl http://127.0.0.1:8090/ready    # {"status":"ready","model_ready":true,"active_sessions":2,"available_sessions":6,"max_sessions":8}
 * </pre>
 * {@code /ready} answers 503 with {@code not_ready} (model loading, or draining) or {@code at_capacity}.
 */
final class WorkerHealthService implements HttpService {

    private final Supplier<WorkerState> state;
    private final IntSupplier stopping;

    /**
     * @param stopping held slots whose session was asked to stop: {@code /health} counts them apart, so a worker cut
     *                 off from Redis, whose sessions have left their rooms but whose hand-backs are not written yet,
     *                 does not say it still runs them; {@code /ready} keeps counting them (the slots are not free)
     */
    WorkerHealthService(Supplier<WorkerState> state, IntSupplier stopping) {
        this.state = state;
        this.stopping = stopping;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health).get("/ready", this::ready);
    }

    private void health(ServerRequest req, ServerResponse res) {
        WorkerState s = state.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "healthy");
        int leaving = Math.min(stopping.getAsInt(), s.activeSessions());
        body.put("active_sessions", s.activeSessions() - leaving);
        body.put("stopping_sessions", leaving);
        body.put("max_sessions", s.maxSessions());
        body.put("worker_id", s.id());
        body.put("draining", s.draining());
        JsonReply.send(res, Status.OK_200, body);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        WorkerState s = state.get();
        int available = Math.max(0, s.maxSessions() - s.activeSessions());
        String status = !s.modelReady() || s.draining() ? "not_ready" : available == 0 ? "at_capacity" : "ready";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("model_ready", s.modelReady());
        body.put("active_sessions", s.activeSessions());
        body.put("available_sessions", available);
        body.put("max_sessions", s.maxSessions());
        JsonReply.send(res, "ready".equals(status) ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }
}
