package dev.avatarfleet.common.fleet;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.RedisTaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps terminal task records past {@code TASK_RETENTION_SECONDS} or beyond {@code MAX_TASK_HISTORY}
 * every {@code PRUNE_INTERVAL_SECONDS} (the seed prunes every 5 minutes). Any node may run it;
 * the sweep is one atomic script, so several nodes running it at once is harmless.
 */
public final class RetentionDuty implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionDuty.class);

    private final RedisTaskStore store;
    private final ScheduledExecutorService timer;

    private RetentionDuty(RedisTaskStore store) {
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("retention").factory());
    }

    public static RetentionDuty start(RedisTaskStore store, Duration interval) {
        RetentionDuty duty = new RetentionDuty(store);
        duty.timer.scheduleWithFixedDelay(duty::sweepOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return duty;
    }

    /** One sweep; returns how many records were dropped (0 when Redis is unavailable). */
    public long sweepOnce() {
        try {
            return store.prune();
        } catch (DependencyUnavailableException e) {
            LOG.warn("retention sweep skipped: {}", e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
