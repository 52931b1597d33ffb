package dev.avatarfleet.common.fleet;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.FleetLease;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.Reenqueue;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.common.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds pending tasks no worker has claimed whose launch was last enqueued longer than {@code TASK_REENQUEUE_AFTER_MS}
 * ago (an API node died between admission and produce, a reaper between its requeue and its produce, the share group
 * archived the record after its delivery limit) and enqueues them again ({@link LaunchRequeue}); after
 * {@code TASK_MAX_REENQUEUES} it fails the task as undeliverable. Every node runs it; one lease holder at a time sweeps.
 */
public final class PendingSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PendingSweeper.class);

    private final RedisTaskStore store;
    private final FleetRegistry registry;
    private final LaunchRequeue requeue;
    private final FleetLease lease;
    private final FleetSettings.Recovery settings;
    private final ScheduledExecutorService timer;

    public PendingSweeper(RedisTaskStore store, FleetRegistry registry, LaunchRequeue requeue, FleetLease lease,
                          FleetSettings.Recovery settings) {
        this.store = store;
        this.registry = registry;
        this.requeue = requeue;
        this.lease = lease;
        this.settings = settings;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pending-sweeper").factory());
    }

    /** Sweeps every {@code PENDING_SWEEP_INTERVAL_MS}. */
    public PendingSweeper start() {
        long every = settings.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweepOnce, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The lease a sweeper holds: a few passes long, so a holder that died is replaced within seconds. */
    public static Duration leaseTime(FleetSettings.Recovery settings) {
        return settings.sweepInterval().multipliedBy(3);
    }

    /** One pass; returns how many tasks were enqueued again (0 when another node holds the lease). */
    public int sweepOnce() {
        try {
            if (!lease.acquire()) {
                return 0;
            }
            // why: a pending task waits in the topic until a slot frees; enqueueing it again then only spends its re-enqueues
            if (registry.liveWorkers().stream().noneMatch(WorkerState::accepting)) {
                return 0;
            }
            int enqueued = 0;
            for (String id : store.stalePending(settings.reenqueueAfter())) {
                if (sweep(id)) {
                    enqueued++;
                }
            }
            return enqueued;
        } catch (DependencyUnavailableException e) {
            LOG.warn("pending sweep postponed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("pending sweep failed", e);
        }
        return 0;
    }

    private boolean sweep(String id) {
        Reenqueue taken = store.takeStale(id, settings.reenqueueAfter(), settings.maxReenqueues(),
                "launch record archived or undeliverable: never claimed, re-enqueued " + settings.maxReenqueues() + " times");
        switch (taken) {
            case Reenqueue.Take take -> {
                if (requeue.enqueue(id, take.nextAttempt()).isPresent()) {
                    LOG.info("task {} pending with no claim: enqueued again as attempt {} (re-enqueue {} of {})", id, take.nextAttempt(),
                            take.count(), settings.maxReenqueues());
                    return true;
                }
                store.finish(id, TaskStatus.FAILED, "no launch record to enqueue: its Kafka record and its kept launch are gone",
                        "undeliverable", null);
                LOG.warn("task {} failed: pending with no claim and no launch record left", id);
            }
            case Reenqueue.Failed failed -> LOG.warn("task {} failed: never claimed, re-enqueued {} times", id, settings.maxReenqueues());
            case Reenqueue.Skipped skipped -> {
                // why: claimed or enqueued meanwhile
            }
        }
        return false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
