package dev.avatarfleet.common.fleet;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.LateWorker;
import dev.avatarfleet.common.store.OrphanOutcome;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds workers that stopped heartbeating and recovers their tasks: each is enqueued again as the next attempt
 * ({@link LaunchRequeue}), up to {@code TASK_MAX_ATTEMPTS}; then the dead worker leaves the registry. A worker is dead
 * when its heartbeat is older than {@code DEAD_WORKER_TIMEOUT_MS} on two passes in a row, or, sooner, when it is more
 * than one and a half heartbeat intervals late and its {@code WORKER_URL} refuses connections (a killed process's port answers
 * with a reset at once; a host cut off by the network does not answer, so it waits for the full timeout, by which
 * time it has stopped its own sessions). Any node may run it; the per-task step is atomic in Redis and re-checks on
 * Redis's clock that the heartbeat is really that old.
 */
public final class DeadWorkerReaper implements AutoCloseable {

    /** The replay cause of a task whose worker stopped heartbeating (or was killed). */
    public static final String DEAD_WORKER = "dead_worker";

    private static final Logger LOG = LoggerFactory.getLogger(DeadWorkerReaper.class);

    private final FleetRegistry registry;
    private final RedisTaskStore store;
    private final LaunchRequeue requeue;
    private final int maxAttempts;
    private final Duration deadAfter;
    private final Duration lateAfter;
    private final WorkerProbe probe;
    private final Consumer<String> replays;
    private final ScheduledExecutorService timer;
    /** Workers that looked dead on the last successful pass. */
    private Set<String> suspects = Set.of();

    public DeadWorkerReaper(FleetRegistry registry, RedisTaskStore store, LaunchRequeue requeue, FleetSettings settings) {
        this(registry, store, requeue, settings, WorkerProbe.tcp(settings.heartbeatInterval()));
    }

    /** As above, with the probe that tells a killed worker (tests give one that never confirms). */
    public DeadWorkerReaper(FleetRegistry registry, RedisTaskStore store, LaunchRequeue requeue, FleetSettings settings, WorkerProbe probe) {
        this(registry, store, requeue, settings, probe, cause -> { });
    }

    /**
     * As above; {@code replays} is told of every task enqueued again, with its cause ({@link #DEAD_WORKER}): what
     * the node's metrics count as replays.
     */
    public DeadWorkerReaper(FleetRegistry registry, RedisTaskStore store, LaunchRequeue requeue, FleetSettings settings,
                            WorkerProbe probe, Consumer<String> replays) {
        this.replays = replays;
        this.registry = registry;
        this.store = store;
        this.requeue = requeue;
        this.maxAttempts = settings.taskMaxAttempts();
        this.deadAfter = settings.deadWorkerTimeout();
        // why: a beat half an interval overdue only earns a probe (a live worker's port accepts even in a GC pause);
        // a refused port then is a killed process. Two intervals cost a killed worker's sessions half a second more
        // of failover (ops/chaos full profile: p50 1.84 s, p95 2.58 s with two), against a goal of 2 s at p95.
        this.lateAfter = settings.heartbeatInterval().multipliedBy(3).dividedBy(2);
        this.probe = probe;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dead-worker-reaper").factory());
    }

    /**
     * Looks every half {@code interval} (the heartbeat interval: a killed worker is found within about two of them;
     * a pass is one sorted-set range read, and the look's own period is part of every failover).
     */
    public DeadWorkerReaper start(Duration interval) {
        long every = Math.max(50, interval.toMillis() / 2);
        timer.scheduleWithFixedDelay(this::reapOnce, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One pass over the late workers; returns how many tasks were re-enqueued. A worker past the dead-worker timeout
     * is reaped only when it already looked dead on the previous successful pass: after a Redis outage (or a stall
     * of this node) every heartbeat is stale at once, and the live workers beat again within one interval; reaping
     * them on that one look would restart every session of the fleet.
     */
    public synchronized int reapOnce() {
        int requeued = 0;
        try {
            List<LateWorker> late = registry.lateWorkers(lateAfter);
            Set<String> lookedDeadBefore = suspects;
            Set<String> dead = new HashSet<>();
            for (LateWorker w : late) {
                if (w.late().compareTo(deadAfter) >= 0) {
                    dead.add(w.id());
                    if (lookedDeadBefore.contains(w.id())) {
                        requeued += reap(w.id(), deadAfter, "stopped heartbeating");
                    }
                } else if (probe.refuses(w.url())) {
                    LOG.info("worker {} is {} ms late and its port refuses connections: recovering its tasks now", w.id(), w.late().toMillis());
                    requeued += reap(w.id(), lateAfter, "was killed (its port refuses connections)");
                }
            }
            suspects = dead;
        } catch (DependencyUnavailableException e) {
            // why: the look after an outage must not count as the second of two in a row
            suspects = Set.of();
            LOG.warn("dead-worker recovery postponed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dead-worker recovery failed", e);
        }
        return requeued;
    }

    private int reap(String workerId, Duration staleAfter, String how) {
        int requeued = 0;
        for (String taskId : store.tasksOf(workerId)) {
            OrphanOutcome outcome = store.recoverOrphan(taskId, workerId, maxAttempts, staleAfter,
                    "worker " + workerId + " " + how + "; no attempts left (" + maxAttempts + " of " + maxAttempts + ")");
            switch (outcome) {
                case OrphanOutcome.Requeued r -> {
                    if (enqueue(workerId, taskId, r.nextAttempt())) {
                        requeued++;
                    }
                }
                case OrphanOutcome.Alive alive -> {
                    LOG.info("worker {} heartbeats again; its tasks stay with it", workerId);
                    return requeued;
                }
                default -> {
                    // why: failed, cancelled, or it moved on meanwhile
                }
            }
        }
        store.forgetWorker(workerId);
        return requeued;
    }

    private boolean enqueue(String dead, String taskId, int attempt) {
        try {
            if (requeue.enqueue(taskId, attempt).isPresent()) {
                LOG.info("task {} of dead worker {} enqueued again as attempt {}", taskId, dead, attempt);
                replays.accept(DEAD_WORKER);
                return true;
            }
            store.finish(taskId, TaskStatus.FAILED, "worker " + dead + " died and the task has no launch record to replay",
                    "worker_died", null);
        } catch (DependencyUnavailableException e) {
            // why: the task is pending and unclaimed; the pending sweeper enqueues it once Kafka answers
            LOG.warn("task {} of dead worker {} is pending again but not enqueued yet: {}", taskId, dead, e.getMessage());
        }
        return false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
