package dev.avatarfleet.common.fleet;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.kafka.LogPosition;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.OrphanOutcome;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds workers that stopped heartbeating (stale on two passes in a row) and recovers their tasks: each is read back from Kafka
 * by its offset and enqueued again as the next attempt, up to {@code TASK_MAX_ATTEMPTS}; then the
 * dead worker leaves the registry. Any node may run it; the per-task step is atomic in Redis.
 */
public final class DeadWorkerReaper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadWorkerReaper.class);

    private final FleetRegistry registry;
    private final RedisTaskStore store;
    private final KafkaTaskLog log;
    private final int maxAttempts;
    private final ScheduledExecutorService timer;
    /** Workers that looked dead on the last successful pass. */
    private Set<String> suspects = Set.of();

    public DeadWorkerReaper(FleetRegistry registry, RedisTaskStore store, KafkaTaskLog log, int maxAttempts) {
        this.registry = registry;
        this.store = store;
        this.log = log;
        this.maxAttempts = maxAttempts;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dead-worker-reaper").factory());
    }

    public DeadWorkerReaper start(Duration interval) {
        timer.scheduleWithFixedDelay(this::reapOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One pass over the dead workers; returns how many tasks were re-enqueued. A worker is reaped
     * only when it already looked dead on the previous successful pass: after a Redis outage (or a
     * stall of this node) every heartbeat is stale at once, and the live workers beat again within
     * one interval; reaping them on that one look would restart every session of the fleet.
     */
    public synchronized int reapOnce() {
        int requeued = 0;
        try {
            List<String> dead = registry.deadWorkerIds();
            Set<String> lookedDeadBefore = suspects;
            suspects = new HashSet<>(dead);
            for (String id : dead) {
                if (lookedDeadBefore.contains(id)) {
                    requeued += recoverTasksOf(id);
                    store.forgetWorker(id);
                }
            }
        } catch (DependencyUnavailableException e) {
            // why: the look after an outage must not count as the second of two in a row
            suspects = Set.of();
            LOG.warn("dead-worker recovery postponed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dead-worker recovery failed", e);
        }
        return requeued;
    }

    /**
     * Recovers every active task recorded on {@code workerId} as for a dead worker (replayed as the next
     * attempt, or ended). A worker calls it for its own id once at start, before it claims anything: tasks
     * still recorded there belong to an earlier process with the same {@code WORKER_ID} that was killed, and
     * since the new process heartbeats under that id, no reaper would ever see them.
     *
     * @return how many tasks were enqueued again
     */
    public int recoverTasksOf(String workerId) {
        int requeued = 0;
        for (String taskId : store.tasksOf(workerId)) {
            if (recover(workerId, taskId)) {
                requeued++;
            }
        }
        return requeued;
    }

    private boolean recover(String dead, String taskId) {
        Optional<TaskRecord> task = store.get(taskId);
        if (task.isEmpty() || task.get().kafkaPartition() == null) {
            store.recoverOrphan(taskId, dead, 0, "worker " + dead + " stopped heartbeating and the task has no launch record to replay");
            return false;
        }
        // why: read the launch back before touching the task, so a Kafka outage leaves it for the next pass
        Optional<LaunchSpec> spec = log.readAt(task.get().kafkaPartition(), task.get().kafkaOffset());
        OrphanOutcome outcome = spec.isPresent()
                ? store.recoverOrphan(taskId, dead, maxAttempts)
                : store.recoverOrphan(taskId, dead, 0, "worker " + dead + " stopped heartbeating and its launch record could not be read back");
        if (!(outcome instanceof OrphanOutcome.Requeued requeued)) {
            return false;
        }
        LaunchSpec s = spec.get();
        LaunchSpec next = new LaunchSpec(s.taskId(), requeued.nextAttempt(), s.roomName(), s.livekitUrl(), s.livekitToken(),
                s.imageHash(), s.prompt(), s.avatarId(), s.identity());
        try {
            LogPosition pos = log.append(next);
            store.recordLogPosition(taskId, pos.partition(), pos.offset());
            LOG.info("task {} of dead worker {} enqueued again as attempt {}", taskId, dead, next.attempt());
            return true;
        } catch (DependencyUnavailableException e) {
            store.finish(taskId, TaskStatus.FAILED, "worker " + dead + " died and the replay could not be enqueued: " + e.getMessage(),
                    "worker_died", null);
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
