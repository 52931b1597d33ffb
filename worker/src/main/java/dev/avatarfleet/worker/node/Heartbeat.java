package dev.avatarfleet.worker.node;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.worker.claim.SlotTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this worker's state to the registry every heartbeat interval, and stops any of its
 * sessions whose stop flag is set (a stop message missed while the subscription was down).
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final FleetRegistry registry;
    private final RedisTaskStore store;
    private final SlotTable slots;
    private final Supplier<WorkerState> state;
    private final ScheduledExecutorService timer;

    public Heartbeat(FleetRegistry registry, RedisTaskStore store, SlotTable slots, Supplier<WorkerState> state) {
        this.registry = registry;
        this.store = store;
        this.slots = slots;
        this.state = state;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("heartbeat").factory());
    }

    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::beatOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One heartbeat; a Redis outage is logged and the next beat tries again. Synchronized: the timer,
     * the warm-up and the claimer's join all beat, and a state computed before another thread's newer
     * one must not be written after it (a worker that just turned ready read as not ready again).
     */
    public synchronized void beatOnce() {
        try {
            WorkerState s = state.get();
            // why: snapshot before reading Redis, so a session attached meanwhile is not mistaken for a lost claim
            List<String> attached = slots.attached();
            registry.heartbeat(s);
            if (slots.active() > 0) {
                for (String taskId : store.stopRequestedOf(s.id())) {
                    slots.stop(taskId, "stopped");
                }
            }
            if (!attached.isEmpty()) {
                stopLostClaims(s.id(), attached);
            }
        } catch (DependencyUnavailableException e) {
            LOG.warn("heartbeat skipped: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed: " + e);
        }
    }

    /**
     * Stops the sessions whose task Redis no longer records on this worker. A heartbeat gap longer
     * than the dead-worker timeout (a GC pause, a Redis or network outage) lets a reaper declare
     * this worker dead and replay its tasks on another; the session here must then end, or the task
     * would run on two workers. Its end is not recorded, since the task is no longer this worker's.
     */
    private void stopLostClaims(String workerId, List<String> attached) {
        Set<String> owned = store.tasksOf(workerId);
        for (String taskId : attached) {
            if (!owned.contains(taskId)) {
                LOG.warn("task " + taskId + " is no longer recorded on worker " + workerId
                        + " (declared dead during a heartbeat gap?); stopping its session here");
                slots.stop(taskId, "task recovered by the fleet after a heartbeat gap");
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
