package dev.avatarfleet.common.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.avatarfleet.common.config.FleetSettings;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * The worker registry in Redis: each worker writes its {@link WorkerState} every heartbeat
 * interval; a worker is live while its last heartbeat is within the dead-worker timeout.
 */
public final class FleetRegistry {

    private final RedisGateway redis;
    private final String prefix;
    private final Clock clock;
    private final Duration deadAfter;

    public FleetRegistry(RedisGateway redis, FleetSettings settings, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = settings.keyPrefix();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deadAfter = settings.deadWorkerTimeout();
    }

    /** Writes the worker's state with the current time as its heartbeat. */
    public void heartbeat(WorkerState state) {
        long now = clock.millis();
        Map<String, String> fields = new HashMap<>();
        fields.put("id", state.id());
        fields.put("url", state.url());
        fields.put("max_sessions", Integer.toString(state.maxSessions()));
        fields.put("active", Integer.toString(state.activeSessions()));
        fields.put("model_ready", state.modelReady() ? "1" : "0");
        fields.put("saturated", state.saturated() ? "1" : "0");
        fields.put("draining", state.draining() ? "1" : "0");
        fields.put("heartbeat_at", Long.toString(now));
        redis.call("writing the heartbeat of worker " + state.id(), c -> {
            try (AbstractPipeline p = c.pipelined()) {
                p.hset(prefix + "worker:" + state.id(), fields);
                // why: a worker that vanished leaves no hash behind for long
                p.pexpire(prefix + "worker:" + state.id(), Math.max(deadAfter.toMillis() * 20, 60_000));
                p.zadd(prefix + "workers", now, state.id());
                p.sync();
            }
            return null;
        });
    }

    /** Removes the worker at once (clean shutdown). */
    public void deregister(String workerId) {
        redis.call("removing worker " + workerId, c -> {
            try (AbstractPipeline p = c.pipelined()) {
                p.zrem(prefix + "workers", workerId);
                p.del(prefix + "worker:" + workerId);
                p.sync();
            }
            return null;
        });
    }

    /** Workers whose heartbeat is recent enough. */
    public List<WorkerState> liveWorkers() {
        long cutoff = clock.millis() - deadAfter.toMillis();
        return redis.call("reading live workers", c -> {
            List<String> ids = c.zrangeByScore(prefix + "workers", cutoff, Double.POSITIVE_INFINITY);
            List<Response<Map<String, String>>> rows = new ArrayList<>();
            try (AbstractPipeline p = c.pipelined()) {
                for (String id : ids) {
                    rows.add(p.hgetAll(prefix + "worker:" + id));
                }
                p.sync();
            }
            List<WorkerState> out = new ArrayList<>();
            for (Response<Map<String, String>> r : rows) {
                Map<String, String> h = r.get();
                if (h != null && h.containsKey("id")) {
                    out.add(toState(h));
                }
            }
            return out;
        });
    }

    /** Registered workers whose heartbeat is older than the dead-worker timeout. */
    public List<String> deadWorkerIds() {
        long cutoff = clock.millis() - deadAfter.toMillis();
        return redis.call("reading dead workers", c -> c.zrangeByScore(prefix + "workers", Double.NEGATIVE_INFINITY, cutoff - 1));
    }

    /** Fleet totals; {@code activeSessions} comes from the task store's active set. */
    public FleetTotals totals() {
        List<WorkerState> live = liveWorkers();
        long active = redis.call("counting active tasks", c -> c.scard(prefix + "active"));
        long max = 0;
        boolean ready = false;
        for (WorkerState w : live) {
            if (w.modelReady() && !w.draining()) {
                ready = true;
                // why: the same rule as admission: a saturated worker offers only the slots it holds
                max += w.saturated() ? Math.min(w.maxSessions(), w.activeSessions()) : w.maxSessions();
            } else if (w.draining()) {
                // why: the same rule as admission: a draining worker's sessions are active, so their slots count
                max += redis.call("counting the tasks of draining worker " + w.id(), c -> c.scard(prefix + "worker:" + w.id() + ":tasks"));
            }
        }
        return new FleetTotals(live, active, max, ready);
    }

    public Instant now() {
        return clock.instant();
    }

    private static WorkerState toState(Map<String, String> h) {
        return new WorkerState(h.get("id"), h.getOrDefault("url", ""),
                Integer.parseInt(h.getOrDefault("max_sessions", "0")),
                Integer.parseInt(h.getOrDefault("active", "0")),
                "1".equals(h.get("model_ready")), "1".equals(h.get("saturated")), "1".equals(h.get("draining")),
                h.get("heartbeat_at") == null ? null : Instant.ofEpochMilli(Long.parseLong(h.get("heartbeat_at"))));
    }
}
