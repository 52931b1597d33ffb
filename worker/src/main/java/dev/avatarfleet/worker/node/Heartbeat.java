package dev.avatarfleet.worker.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.logging.LogContext;
import dev.avatarfleet.common.store.BeatReport;
import dev.avatarfleet.common.store.Claim;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.HeldClaim;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.WorkerState;
import dev.avatarfleet.worker.claim.Handover;
import dev.avatarfleet.worker.claim.SlotTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this worker's state to the registry every heartbeat interval and reconciles what the worker runs with what
 * Redis records, both ways, every beat:
 * <ul>
 * <li>a session whose task Redis gives to another attempt or worker, or ended, is stopped (the fleet replayed it
 * after a heartbeat gap, or an API node failed it); one with a stop flag is stopped (a stop message missed);</li>
 * <li>a session whose task Redis no longer knows (Redis lost its data) is told to Redis again, running here;</li>
 * <li>a task Redis records on this worker that it does not hold (a claim whose reply was lost, a killed predecessor
 * with the same {@code WORKER_ID}) is handed back to the fleet, to run as its next attempt.</li>
 * </ul>
 * Fencing: when no beat has succeeded for the dead-worker timeout less one interval, measured on the monotonic
 * clock from the start of the last successful beat, the worker hands over every session it holds (the avatars leave
 * their rooms), strictly before any reaper may take them: a reaper needs two looks past the full timeout on Redis's
 * clock, which starts no earlier than that beat did.
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final FleetRegistry registry;
    private final RedisTaskStore store;
    private final SlotTable slots;
    private final Supplier<WorkerState> state;
    private final Handover handover;
    private final long fenceAfterNanos;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService watchdog;
    private volatile long lastBeatStarted;
    private volatile boolean fenced;
    private volatile Runnable onFenced = () -> { };

    /**
     * @param deadAfter {@code DEAD_WORKER_TIMEOUT_MS}
     * @param interval  {@code HEARTBEAT_INTERVAL_MS}
     */
    public Heartbeat(FleetRegistry registry, RedisTaskStore store, SlotTable slots, Supplier<WorkerState> state, Handover handover,
                     Duration deadAfter, Duration interval) {
        this(registry, store, slots, state, handover, deadAfter, interval, System::nanoTime);
    }

    Heartbeat(FleetRegistry registry, RedisTaskStore store, SlotTable slots, Supplier<WorkerState> state, Handover handover,
              Duration deadAfter, Duration interval, LongSupplier nanoTime) {
        this.registry = registry;
        this.store = store;
        this.slots = slots;
        this.state = state;
        this.handover = handover;
        // why: one interval of margin, so a fence that runs a little late still comes before the reaper's first look
        this.fenceAfterNanos = deadAfter.minus(interval).toNanos();
        this.nanoTime = nanoTime;
        this.lastBeatStarted = nanoTime.getAsLong();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("heartbeat").factory());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("heartbeat-fence").factory());
    }

    /** {@code listener} is told each time this worker fences itself (the worker's metrics count it). */
    void onFenced(Runnable listener) {
        this.onFenced = listener;
    }

    public void start(Duration interval) {
        timer.execute(() -> beatAndScheduleNext(interval.toNanos()));
        // why: on its own thread, since a beat blocked on an unanswering Redis must not delay the fence
        long check = Math.max(10, interval.toMillis() / 4);
        watchdog.scheduleWithFixedDelay(this::fenceIfCutOff, check, check, TimeUnit.MILLISECONDS);
    }

    /**
     * One beat, then the next one interval after this one STARTED (at once when this one took longer). why: the fence
     * counts from the start of the last good beat; with a fixed delay after the end, a beat slowed by Redis (a pause,
     * a failover) and then a whole interval of waiting fenced a worker that had just reached Redis again, and the
     * fence handed over the session it had just claimed.
     */
    private void beatAndScheduleNext(long intervalNanos) {
        long started = nanoTime.getAsLong();
        try {
            beatOnce();
        } finally {
            long wait = Math.max(0, started + intervalNanos - nanoTime.getAsLong());
            try {
                timer.schedule(() -> beatAndScheduleNext(intervalNanos), wait, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                // why: close() shut the timer down; no further beat
            }
        }
    }

    /** True while this worker has not beaten for too long: it holds no sessions and claims nothing. */
    public boolean fenced() {
        return fenced;
    }

    /**
     * One heartbeat; a Redis outage is logged and the next beat tries again. Synchronized: the timer,
     * the warm-up and the claimer's join all beat, and a state computed before another thread's newer
     * one must not be written after it (a worker that just turned ready read as not ready again).
     */
    public synchronized void beatOnce() {
        long started = nanoTime.getAsLong();
        try {
            WorkerState s = state.get();
            // why: snapshot before reading Redis, so a claim made meanwhile is not mistaken for a lost one
            List<HeldClaim> held = slots.claims();
            BeatReport report = registry.beat(s, held);
            if (started - lastBeatStarted > 0) {
                lastBeatStarted = started;
            }
            // why: a beat that waited past the fence time on an unanswering Redis may have been written when it was
            // sent, so it proves nothing fresh; the next beat, sent now, is the one that lifts the fence
            if (fenced && nanoTime.getAsLong() - started < fenceAfterNanos) {
                fenced = false;
                LOG.info("worker {} reaches Redis again; it claims again", s.id());
            }
            reconcile(s.id(), report);
        } catch (DependencyUnavailableException e) {
            LOG.warn("heartbeat skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed: {}", e.toString());
        }
    }

    private void reconcile(String workerId, BeatReport report) {
        for (Map.Entry<String, BeatReport.Verdict> v : report.verdicts().entrySet()) {
            String taskId = v.getKey();
            switch (v.getValue()) {
                case OK -> {
                }
                case STOP -> slots.stop(taskId, "stopped");
                // why: in the task's own log context (task_id, worker_id, room_name), as every line about a session;
                // a slot freed since the snapshot (its session ended here meanwhile) has nothing left to stop
                case LOST -> slots.spec(taskId).ifPresent(spec -> {
                    try (LogContext.Scope ignored = LogContext.session(taskId, workerId, spec.roomName()).open()) {
                        LOG.warn("task {} is no longer this worker's claim in Redis (replayed after a heartbeat gap, or ended); "
                                + "stopping its session here", taskId);
                        slots.stop(taskId, "task recovered by the fleet after a heartbeat gap");
                    }
                });
                case MISSING -> slots.spec(taskId).ifPresent(spec -> {
                    // why: Redis lost its data; the session is healthy, so Redis is told again rather than the session stopped
                    try (LogContext.Scope ignored = LogContext.session(taskId, workerId, spec.roomName()).open()) {
                        if (store.reassert(spec, workerId)) {
                            LOG.warn("task {} was unknown to Redis (its data was lost?); recorded again as running on {}", taskId, workerId);
                        }
                    }
                });
            }
        }
        for (Map.Entry<String, Integer> u : report.unheld().entrySet()) {
            String taskId = u.getKey();
            // why: a claim made after the snapshot has its slot reserved before Redis recorded it; only a task with no
            // slot here is one this process does not run
            if (!slots.holds(taskId) && u.getValue() >= 1) {
                LOG.warn("task {} is recorded on worker {} but not run here (a lost claim reply, or a predecessor with this id); "
                        + "handing it back", taskId, workerId);
                try {
                    handover.handBack(taskId, Claim.of(workerId, u.getValue()));
                } catch (DependencyUnavailableException e) {
                    LOG.warn("handing back task {} postponed to the next beat: {}", taskId, e.getMessage());
                }
            }
        }
    }

    private void fenceIfCutOff() {
        long since = nanoTime.getAsLong() - lastBeatStarted;
        if (since < fenceAfterNanos) {
            return;
        }
        if (!fenced) {
            fenced = true;
            LOG.warn("worker cut off from Redis for {} ms: handing over its {} session(s) before the fleet replays them elsewhere",
                    Duration.ofNanos(since).toMillis(), slots.active());
            onFenced.run();
        }
        // why: every check while cut off, so a session whose claim landed just before the cut is handed over too
        slots.handOverAll("worker cut off from Redis: handed over");
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
