package dev.avatarfleet.worker.node;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.worker.claim.SlotTable;

/**
 * Writes this worker's state to the registry every heartbeat interval, and stops any of its
 * sessions whose stop flag is set (a stop message missed while the subscription was down).
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

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

    /** One heartbeat; a Redis outage is logged and the next beat tries again. */
    public void beatOnce() {
        try {
            WorkerState s = state.get();
            registry.heartbeat(s);
            if (slots.active() > 0) {
                for (String taskId : store.stopRequestedOf(s.id())) {
                    slots.stop(taskId, "stopped");
                }
            }
        } catch (DependencyUnavailableException e) {
            LOG.warning("heartbeat skipped: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warning("heartbeat failed: " + e);
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
