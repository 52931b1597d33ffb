package dev.avatarfleet.common.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.avatarfleet.common.config.FleetSettings;

/**
 * The worker registry in Redis: each worker writes its {@link WorkerState} every heartbeat
 * interval; a worker is live while its last heartbeat is within the dead-worker timeout. Heartbeat
 * times and every liveness cut-off are Redis's clock ({@code TIME}), never a node's.
 */
public final class FleetRegistry {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisGateway redis;
    private final String prefix;
    private final Duration deadAfter;
    private final Duration imageTtl;

    /** @param clock unused: liveness is Redis's clock (kept so every store part is made the same way) */
    public FleetRegistry(RedisGateway redis, FleetSettings settings, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = settings.keyPrefix();
        this.deadAfter = settings.deadWorkerTimeout();
        this.imageTtl = settings.recovery().imageTtl();
    }

    /** Writes the worker's state with Redis's time as its heartbeat. */
    public void heartbeat(WorkerState state) {
        beat(state, List.of());
    }

    /**
     * Writes the worker's state with Redis's time as its heartbeat, renews the images of the claims it holds, and
     * reports what Redis records about those claims and which of its tasks it did not name.
     */
    public BeatReport beat(WorkerState state, List<HeldClaim> held) {
        List<String> args = new ArrayList<>();
        args.add(prefix);
        args.add(state.id());
        // why: a worker that vanished leaves no hash behind for long
        args.add(Long.toString(Math.max(deadAfter.toMillis() * 20, 60_000)));
        args.add(newEpoch());
        args.add(Long.toString(Math.max(1, imageTtl.toSeconds())));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", state.id());
        fields.put("url", state.url());
        fields.put("max_sessions", Integer.toString(state.maxSessions()));
        fields.put("active", Integer.toString(state.activeSessions()));
        fields.put("model_ready", state.modelReady() ? "1" : "0");
        fields.put("saturated", state.saturated() ? "1" : "0");
        fields.put("draining", state.draining() ? "1" : "0");
        args.add(Integer.toString(fields.size()));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        for (HeldClaim c : held) {
            args.add(c.taskId());
            args.add(Integer.toString(c.attempt()));
            args.add(c.imageHash() == null ? "" : c.imageHash());
        }
        List<?> reply = (List<?>) redis.run("writing the heartbeat of worker " + state.id(), TaskScripts.BEAT, args);
        Map<String, BeatReport.Verdict> verdicts = new HashMap<>();
        List<?> v = (List<?>) reply.get(1);
        for (int i = 0; i + 1 < v.size(); i += 2) {
            verdicts.put((String) v.get(i), BeatReport.Verdict.valueOf(((String) v.get(i + 1)).toUpperCase(Locale.ROOT)));
        }
        Map<String, Integer> unheld = new HashMap<>();
        List<?> u = (List<?>) reply.get(2);
        for (int i = 0; i + 1 < u.size(); i += 2) {
            unheld.put((String) u.get(i), Integer.parseInt((String) u.get(i + 1)));
        }
        return new BeatReport((String) reply.get(0), verdicts, unheld);
    }

    /** Removes the worker at once, whatever it still holds (see {@link RedisTaskStore#forgetWorker} for the safe way). */
    public void deregister(String workerId) {
        redis.call("removing worker " + workerId, c -> {
            c.zrem(prefix + "workers", workerId);
            c.del(prefix + "worker:" + workerId);
            return null;
        });
    }

    /** Workers whose heartbeat is recent enough on Redis's clock. */
    public List<WorkerState> liveWorkers() {
        List<?> rows = (List<?>) redis.run("reading live workers", TaskScripts.LIVE_WORKERS,
                List.of(prefix, Long.toString(deadAfter.toMillis())));
        List<WorkerState> out = new ArrayList<>();
        for (Object row : rows) {
            Map<String, String> h = RedisTaskStore.TaskHashes.pairs((List<?>) row);
            if (h.containsKey("id")) {
                out.add(toState(h));
            }
        }
        return out;
    }

    /** Registered workers whose heartbeat is older than the dead-worker timeout. */
    public List<String> deadWorkerIds() {
        return lateWorkers(deadAfter).stream().map(LateWorker::id).toList();
    }

    /** Registered workers whose heartbeat is older than {@code late}, on Redis's clock, with their URL. */
    public List<LateWorker> lateWorkers(Duration late) {
        List<?> rows = (List<?>) redis.run("reading late workers", TaskScripts.LATE_WORKERS, List.of(prefix, Long.toString(late.toMillis())));
        List<LateWorker> out = new ArrayList<>();
        for (int i = 0; i + 2 < rows.size(); i += 3) {
            out.add(new LateWorker((String) rows.get(i), (String) rows.get(i + 1), Duration.ofMillis(Long.parseLong((String) rows.get(i + 2)))));
        }
        return out;
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

    private static String newEpoch() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static WorkerState toState(Map<String, String> h) {
        return new WorkerState(h.get("id"), h.getOrDefault("url", ""),
                Integer.parseInt(h.getOrDefault("max_sessions", "0")),
                Integer.parseInt(h.getOrDefault("active", "0")),
                "1".equals(h.get("model_ready")), "1".equals(h.get("saturated")), "1".equals(h.get("draining")),
                h.get("heartbeat_at") == null ? null : Instant.ofEpochMilli(Long.parseLong(h.get("heartbeat_at"))));
    }
}
