package dev.avatarfleet.worker.claim;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.fault.Retries;
import dev.avatarfleet.common.store.Claim;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.Transition;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.worker.session.SessionEnd;
import dev.avatarfleet.worker.session.SessionEvents;
import io.github.resilience4j.retry.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one session's progress to its task record under its claim (worker and attempt, so a write of an attempt
 * the fleet has replayed elsewhere is refused): running, warnings, and the end, which also frees the slot. A
 * session stopped to hand its task over ends as a hand-back (the task continues on another worker). The end is
 * retried until Redis records it, however long Redis is away, and the slot is held meanwhile: a lost end would
 * leave the task running forever (the worker keeps heartbeating, so no reaper would ever recover it) and its fleet
 * capacity taken.
 */
final class TaskEvents implements SessionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);

    private final String taskId;
    private final Claim claim;
    private final RedisTaskStore store;
    private final SlotTable slots;
    private final Handover handover;
    private final Retry untilRecorded;
    private final Retry bounded;
    private final AtomicBoolean ended = new AtomicBoolean();

    TaskEvents(LaunchSpec spec, String workerId, RedisTaskStore store, SlotTable slots, Handover handover, FleetSettings.Backoff backoff) {
        this.taskId = spec.taskId();
        this.claim = Claim.of(workerId, spec.attempt());
        this.store = store;
        this.slots = slots;
        this.handover = handover;
        this.untilRecorded = Retries.untilDone("ending task " + taskId, backoff);
        this.bounded = Retries.bounded("marking task " + taskId + " running", backoff);
    }

    @Override
    public void running() {
        if (ended.get()) {
            return;
        }
        Transition t = Retries.run(bounded, () -> store.markRunning(taskId, claim));
        if (t == Transition.DONE_STOP_REQUESTED) {
            slots.stop(taskId, "stopped");
        } else if (t != Transition.DONE) {
            LOG.warn("task {} could not be marked running: {}", taskId, t);
        }
    }

    @Override
    public void warnings(List<String> warnings) {
        try {
            store.addWarnings(taskId, claim, warnings);
        } catch (DependencyUnavailableException e) {
            LOG.warn("warnings of task {} lost: {}", taskId, e.getMessage());
        }
    }

    @Override
    public void ended(SessionEnd end) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            if (slots.handingOver(taskId)) {
                Retries.run(untilRecorded, () -> handover.handBack(taskId, claim));
                return;
            }
            TaskStatus status = switch (end.outcome()) {
                case COMPLETED -> TaskStatus.COMPLETED;
                case CANCELLED -> TaskStatus.CANCELLED;
                case FAILED -> TaskStatus.FAILED;
            };
            String error = status == TaskStatus.FAILED ? end.reason() : null;
            Transition t = Retries.run(untilRecorded, () -> store.finish(taskId, status, error, end.reason(), claim));
            if (t == Transition.ILLEGAL && status == TaskStatus.COMPLETED) {
                // why: a session can end before it ever reported running; pending cannot complete, so it failed to start
                Retries.run(untilRecorded, () -> store.finish(taskId, TaskStatus.FAILED,
                        "session ended before it was running: " + (end.reason() == null ? "no reason given" : end.reason()), end.reason(), claim));
            } else if (t == Transition.NOT_OWNER) {
                LOG.info("task {}: attempt {} ended here, but the fleet gave the task to another attempt meanwhile", taskId, claim.attempt());
            } else if (t != Transition.DONE) {
                LOG.warn("task {} could not be ended as {}: {}", taskId, status, t);
            }
        } catch (RuntimeException e) {
            LOG.error("task " + taskId + " could not be ended", e);
        } finally {
            slots.release(taskId);
        }
    }
}
