package dev.avatarfleet.api.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.FleetTotals;
import dev.avatarfleet.common.store.WorkerState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The fleet as the dashboard shows it: every live worker from the registry (state, sessions of MAX_SESSIONS,
 * heartbeat age) with what only the worker knows, its render load and device, read from its own {@code /health}
 * (all workers at once, each bounded by {@link #WORKER_TIMEOUT}; a worker that does not answer shows without them).
 */
public final class FleetView implements AutoCloseable {

    static final Duration WORKER_TIMEOUT = Duration.ofSeconds(1);

    private final FleetRegistry registry;
    private final Clock clock;
    private final HttpClient http;

    public FleetView(FleetRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(WORKER_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** {@code {"workers":[...],"totals":{...}}}; throws DependencyUnavailableException when Redis is down. */
    public Map<String, Object> snapshot() {
        FleetTotals totals = registry.totals();
        List<WorkerState> workers = new ArrayList<>(totals.liveWorkers());
        workers.sort(Comparator.comparing(WorkerState::id));
        List<CompletableFuture<JsonNode>> health = workers.stream().map(this::health).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        long now = clock.millis();
        for (int i = 0; i < workers.size(); i++) {
            WorkerState w = workers.get(i);
            JsonNode own = health.get(i).join();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("worker_id", w.id());
            row.put("url", w.url());
            row.put("state", state(w));
            row.put("active_sessions", w.activeSessions());
            row.put("max_sessions", w.maxSessions());
            row.put("render_load", own == null || !own.has("render_load") ? null : own.get("render_load").asDouble());
            row.put("device", own == null || own.path("device").isNull() ? null : own.path("device").asText(null));
            row.put("heartbeat_age_ms", w.heartbeatAt() == null ? null : Math.max(0, now - w.heartbeatAt().toEpochMilli()));
            rows.add(row);
        }
        return JsonReply.object(
                "workers", rows,
                "totals", JsonReply.object(
                        "status", totals.readiness(),
                        "active_sessions", totals.activeSessions(),
                        "available_sessions", totals.availableSessions(),
                        "max_sessions", totals.maxSessions(),
                        "workers", workers.size()));
    }

    /** {@code warming}, {@code draining}, {@code saturated} (render loop at its limit), {@code full} or {@code ready}. */
    static String state(WorkerState w) {
        if (w.draining()) {
            return "draining";
        }
        if (!w.modelReady()) {
            return "warming";
        }
        if (w.activeSessions() >= w.maxSessions()) {
            return "full";
        }
        return w.saturated() ? "saturated" : "ready";
    }

    private CompletableFuture<JsonNode> health(WorkerState w) {
        URI uri;
        try {
            uri = URI.create(w.url().replaceAll("/+$", "") + "/health");
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(null);
        }
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(WORKER_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    try {
                        return r.statusCode() == 200 && r.body().length() < 64 * 1024 ? JsonReply.MAPPER.readTree(r.body()) : null;
                    } catch (java.io.IOException e) {
                        return null;
                    }
                })
                .exceptionally(e -> null);
    }

    @Override
    public void close() {
        http.close();
    }
}
