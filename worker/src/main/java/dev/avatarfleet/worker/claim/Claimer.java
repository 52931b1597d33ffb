package dev.avatarfleet.worker.claim;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.fault.Retries;
import dev.avatarfleet.common.logging.LogContext;
import dev.avatarfleet.common.kafka.LaunchConsumer;
import dev.avatarfleet.common.kafka.LaunchDelivery;
import dev.avatarfleet.common.kafka.LaunchRecords;
import dev.avatarfleet.common.store.ClaimOutcome;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import io.github.resilience4j.retry.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes launch records from the share group while this worker has a free slot: reserves a slot,
 * claims the task atomically in Redis, acknowledges the record, then starts the session. A record
 * whose task is cancelled, already claimed or unknown is acknowledged and skipped, so a duplicate
 * never starts a second session; when Redis is unavailable the record is kept and claimed once it
 * answers ({@link StoreOutageHold}). Whether the share member has joined is {@link ShareGroupJoin}'s.
 */
public final class Claimer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Claimer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STALE_STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration HAND_BACK_EVERY = Duration.ofSeconds(1);

    private final LaunchConsumer consumer;
    private final RedisTaskStore store;
    private final SlotTable slots;
    private final SessionStarter starter;
    private final String workerId;
    private final BooleanSupplier mayClaim;
    private final Thread thread;
    private final ShareGroupJoin join;
    private final StoreOutageHold outage;
    private final Retry keepClaiming;
    private final Clock clock;
    private volatile boolean running = true;
    private long lastHandBack = Long.MIN_VALUE / 2;

    /**
     * @param mayClaim false while the model is not ready or the worker drains
     * @param clock    the time of the share-group join's grace and of the hand-back's pace
     * @param backoff  how a failed round is tried again
     */
    public Claimer(LaunchConsumer consumer, RedisTaskStore store, SlotTable slots, SessionStarter starter,
                   String workerId, BooleanSupplier mayClaim, Clock clock, FleetSettings.Backoff backoff) {
        this.consumer = consumer;
        this.store = store;
        this.slots = slots;
        this.starter = starter;
        this.workerId = workerId;
        this.mayClaim = mayClaim;
        this.clock = clock;
        this.join = new ShareGroupJoin(consumer::joined, clock, workerId);
        this.outage = new StoreOutageHold(store::activeCount, backoff);
        // why: a Kafka or Redis error (a broker restart, a commit timeout) must not end claiming for good while the
        // heartbeat keeps telling the fleet this worker has free slots
        this.keepClaiming = Retries.forever("claimer of worker " + workerId, backoff);
        // why: a platform thread; the Kafka client blocks in native socket waits and owns this thread
        this.thread = Thread.ofPlatform().daemon().name("claimer-" + workerId).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /**
     * Whether this worker's share-group member has its assignment, so a launch produced now is delivered at
     * once. The member joins in its first poll, which the claimer makes as soon as it may claim.
     */
    public boolean joined() {
        return join.joined();
    }

    /** Told once, on the claimer's thread, when {@link #joined()} turns true. Set before {@link #start()}. */
    public void onJoined(Runnable callback) {
        join.onJoined(callback);
    }

    private void loop() {
        warmUp();
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                keepClaiming.executeCheckedSupplier(() -> {
                    if (running) {
                        claimOnce();
                    }
                    return null;
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (running) {
                LOG.error("claimer of worker " + workerId + " stopped", e);
            }
        } finally {
            consumer.close();
        }
    }

    /** One round: waits for a free slot, polls, handles what came and commits the acknowledgements. */
    private void claimOnce() throws InterruptedException {
        if (!mayClaim.getAsBoolean() || !slots.awaitFree(200, TimeUnit.MILLISECONDS)) {
            handBackWhatArrived();
            Thread.sleep(mayClaim.getAsBoolean() ? 0 : 100);
            return;
        }
        if (!outage.storeAnswers()) {
            return;
        }
        LaunchDelivery held = outage.takeHeld();
        if (held != null) {
            handle(held);
            consumer.commit(COMMIT_TIMEOUT);
            return;
        }
        join.polling();
        List<LaunchDelivery> batch = consumer.poll(POLL);
        join.polled(!batch.isEmpty());
        for (LaunchDelivery d : batch) {
            handle(d);
        }
        if (!batch.isEmpty()) {
            consumer.commit(COMMIT_TIMEOUT);
        }
    }

    /**
     * While this worker cannot take work (no free slot, draining, fenced off from Redis), gives back at once what its
     * share member acquired meanwhile, and a record held through a store outage. why: a member that stops polling
     * still acquires a record in the background and holds it for the group's record lock (15 s in the tests, 30 s by
     * default) while other workers have free slots: a full or fenced worker delayed a launch or a replay by that much
     * (ops/chaos: a replay waited 10.5 s while its worker was cut from Redis). Releasing counts a delivery, so it is
     * done at most once a second: the record goes to a member that is polling, not round and round.
     */
    private void handBackWhatArrived() {
        long now = clock.millis();
        long since = now - lastHandBack;
        // why: a wall clock set back must not stop the hand-back until it has caught up
        if (!join.joined() || (since >= 0 && since < HAND_BACK_EVERY.toMillis())) {
            return;
        }
        lastHandBack = now;
        List<LaunchDelivery> back = new ArrayList<>(consumer.poll(Duration.ZERO));
        if (!mayClaim.getAsBoolean()) {
            LaunchDelivery held = outage.takeHeld();
            if (held != null) {
                back.add(held);
            }
        }
        for (LaunchDelivery d : back) {
            consumer.release(d);
        }
        if (!back.isEmpty()) {
            consumer.commit(COMMIT_TIMEOUT);
            LOG.atInfo().log(() -> "gave back " + back.size() + " launch record(s) this worker cannot take now");
        }
    }

    /**
     * The first claim's own cold paths, paid before the first poll: a launch record encoded and decoded, and
     * the task store's scripts through this client ({@link RedisTaskStore#warmUp()}, which writes nothing).
     */
    private void warmUp() {
        try {
            LaunchRecords.decode(LaunchRecords.encode(
                    new LaunchSpec("warmup", 1, "warmup", "ws://127.0.0.1:7880", "warmup", null, null, null, "warmup")));
            store.warmUp();
        } catch (RuntimeException e) {
            LOG.debug("claim path warm-up skipped", e);
        }
    }

    private void handle(LaunchDelivery d) throws InterruptedException {
        if (d.spec().isEmpty()) {
            LOG.warn("rejecting a record that is not a launch record, key " + d.key());
            consumer.reject(d);
            return;
        }
        LaunchSpec spec = d.spec().get();
        // why: the claim's lines are the first of the task's session: task_id, worker_id and room_name on each
        try (LogContext.Scope ignored = LogContext.session(spec.taskId(), workerId, spec.roomName()).open()) {
            handle(d, spec);
        }
    }

    private void handle(LaunchDelivery d, LaunchSpec spec) throws InterruptedException {
        if (slots.holds(spec.taskId()) && !freedStaleSlot(d, spec)) {
            return;
        }
        if (!running || !mayClaim.getAsBoolean() || !slots.tryReserve(spec.taskId())) {
            consumer.release(d);
            return;
        }
        ClaimOutcome outcome;
        try {
            outcome = store.claim(spec, workerId);
        } catch (DependencyUnavailableException e) {
            slots.release(spec.taskId());
            LOG.warn("claim of task " + spec.taskId() + " postponed: " + e.getMessage());
            outage.hold(d);
            return;
        }
        try {
            consumer.accept(d);
        } catch (RuntimeException e) {
            // why: the claim in Redis is what guards against a second session; a record whose acknowledgement
            // is lost comes back and is skipped as claimed, so the claimed task still starts here
            LOG.warn("acknowledging the record of task " + spec.taskId() + " failed", e);
        }
        if (outcome == ClaimOutcome.CLAIMED) {
            slots.claimed(spec.taskId(), spec);
            starter.start(spec);
        } else {
            slots.release(spec.taskId());
            LOG.atDebug().log(() -> "skipping task " + spec.taskId() + ": " + outcome);
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
            outage.hold(d);
            return false;
        }
        boolean replayed = task.isPresent() && task.get().status() == TaskStatus.PENDING && task.get().workerId() == null
                && task.get().attempts() < spec.attempt();
        if (!replayed) {
            // why: a duplicate of a record this worker is already running; the claim would say so too
            consumer.accept(d);
            return false;
        }
        LOG.warn("task " + spec.taskId() + " was replayed as attempt " + spec.attempt()
                + " while this worker still holds its earlier session; stopping that one first");
        slots.stop(spec.taskId(), "task recovered by the fleet after a heartbeat gap");
        if (!slots.awaitReleased(spec.taskId(), STALE_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            consumer.release(d);
            return false;
        }
        return true;
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
