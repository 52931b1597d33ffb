package dev.avatarfleet.worker.claim;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.kafka.LaunchConsumer;
import dev.avatarfleet.common.kafka.LaunchDelivery;
import dev.avatarfleet.common.store.ClaimOutcome;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;

/**
 * Takes launch records from the share group while this worker has a free slot: reserves a slot,
 * claims the task atomically in Redis, acknowledges the record, then starts the session. A record
 * whose task is cancelled, already claimed or unknown is acknowledged and skipped, so a duplicate
 * never starts a second session; when Redis is unavailable the record is kept and claimed once it answers.
 */
public final class Claimer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Claimer.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STALE_STOP_WAIT = Duration.ofSeconds(5);

    private final LaunchConsumer consumer;
    private final RedisTaskStore store;
    private final SlotTable slots;
    private final SessionStarter starter;
    private final String workerId;
    private final BooleanSupplier mayClaim;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean storeDown;
    /** A record acquired while Redis was down, handled again once it answers. */
    private LaunchDelivery held;
    private long backoffMillis = 0;

    /**
     * @param mayClaim false while the model is not ready or the worker drains
     */
    public Claimer(LaunchConsumer consumer, RedisTaskStore store, SlotTable slots, SessionStarter starter,
                   String workerId, BooleanSupplier mayClaim) {
        this.consumer = consumer;
        this.store = store;
        this.slots = slots;
        this.starter = starter;
        this.workerId = workerId;
        this.mayClaim = mayClaim;
        // why: a platform thread; the Kafka client blocks in native socket waits and owns this thread
        this.thread = Thread.ofPlatform().daemon().name("claimer-" + workerId).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                if (!mayClaim.getAsBoolean() || !slots.awaitFree(200, TimeUnit.MILLISECONDS)) {
                    Thread.sleep(mayClaim.getAsBoolean() ? 0 : 100);
                    continue;
                }
                if (storeDown && !storeBack()) {
                    continue;
                }
                if (held != null) {
                    LaunchDelivery d = held;
                    held = null;
                    handle(d);
                    consumer.commit(COMMIT_TIMEOUT);
                    continue;
                }
                List<LaunchDelivery> batch = consumer.poll(POLL);
                for (LaunchDelivery d : batch) {
                    handle(d);
                }
                if (!batch.isEmpty()) {
                    consumer.commit(COMMIT_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOG.log(Level.SEVERE, "claimer of worker " + workerId + " stopped", e);
            }
        } finally {
            consumer.close();
        }
    }

    private void handle(LaunchDelivery d) throws InterruptedException {
        if (d.spec().isEmpty()) {
            LOG.warning("rejecting a record that is not a launch record, key " + d.key());
            consumer.reject(d);
            return;
        }
        LaunchSpec spec = d.spec().get();
        if (slots.holds(spec.taskId()) && !freedStaleSlot(d, spec)) {
            return;
        }
        if (!running || !mayClaim.getAsBoolean() || !slots.tryReserve(spec.taskId())) {
            consumer.release(d);
            return;
        }
        ClaimOutcome outcome;
        try {
            outcome = store.claim(spec.taskId(), workerId, spec.attempt());
        } catch (DependencyUnavailableException e) {
            slots.release(spec.taskId());
            LOG.warning("claim of task " + spec.taskId() + " postponed: " + e.getMessage());
            holdUntilStoreBack(d);
            return;
        }
        consumer.accept(d);
        if (outcome == ClaimOutcome.CLAIMED) {
            starter.start(spec);
        } else {
            slots.release(spec.taskId());
            LOG.fine(() -> "skipping task " + spec.taskId() + ": " + outcome);
        }
    }

    /**
     * A record of a task this worker still holds a slot for. Usually a duplicate of the attempt it
     * runs: acknowledged and skipped. But when the fleet replayed the task after a heartbeat gap
     * (pending again, no worker), the record is the next attempt and the session here is stale:
     * acknowledging it would drop the only record of the replay and the task would stay pending
     * forever. Then the stale session is stopped and the record goes on to be claimed.
     *
     * @return true when the slot is free now and the record should be handled as any other
     */
    private boolean freedStaleSlot(LaunchDelivery d, LaunchSpec spec) throws InterruptedException {
        Optional<TaskRecord> task;
        try {
            task = store.get(spec.taskId());
        } catch (DependencyUnavailableException e) {
            holdUntilStoreBack(d);
            return false;
        }
        boolean replayed = task.isPresent() && task.get().status() == TaskStatus.PENDING && task.get().workerId() == null
                && task.get().attempts() < spec.attempt();
        if (!replayed) {
            // why: a duplicate of a record this worker is already running; the claim would say so too
            consumer.accept(d);
            return false;
        }
        LOG.warning("task " + spec.taskId() + " was replayed as attempt " + spec.attempt()
                + " while this worker still holds its earlier session; stopping that one first");
        slots.stop(spec.taskId(), "task recovered by the fleet after a heartbeat gap");
        if (!slots.awaitReleased(spec.taskId(), STALE_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            consumer.release(d);
            return false;
        }
        return true;
    }

    /**
     * Keeps the record acquired (not acknowledged) and polls no more until Redis answers, then
     * handles it again. Why not release it: every release counts a delivery and the share group
     * archives a record after {@code share.delivery.count.limit} (5) of them; released, the record
     * went to the next worker, which failed the same way, so an outage seen by five workers
     * archived it and the accepted launch stayed pending forever with nothing left to claim.
     */
    private void holdUntilStoreBack(LaunchDelivery d) {
        held = d;
        storeDown = true;
    }

    /** Whether Redis answers again; sleeps with a growing back-off when it does not. */
    private boolean storeBack() throws InterruptedException {
        try {
            store.activeCount();
            storeDown = false;
            backoffMillis = 0;
            return true;
        } catch (DependencyUnavailableException e) {
            backoffMillis = Math.min(10_000, Math.max(250, backoffMillis * 2));
            Thread.sleep(backoffMillis);
            return false;
        }
    }

    /** Stops claiming; records not yet acquired stay in the group for other workers. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
