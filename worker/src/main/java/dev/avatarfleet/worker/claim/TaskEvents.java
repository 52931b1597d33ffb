package dev.avatarfleet.worker.claim;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.Transition;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.worker.session.SessionEnd;
import dev.avatarfleet.worker.session.SessionEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one session's progress to its task record: running, warnings, and the end (which also
 * frees the slot). The end is retried until Redis records it, however long Redis is away, and the
 * slot is held meanwhile: a lost end would leave the task running forever (the worker keeps
 * heartbeating, so no reaper would ever recover it) and its fleet capacity taken.
 */
final class TaskEvents implements SessionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);
    private static final int END_TRIES = 10;

    private final String taskId;
    private final String workerId;
    private final RedisTaskStore store;
    private final SlotTable slots;
    private final AtomicBoolean ended = new AtomicBoolean();

    TaskEvents(String taskId, String workerId, RedisTaskStore store, SlotTable slots) {
        this.taskId = taskId;
        this.workerId = workerId;
        this.store = store;
        this.slots = slots;
    }

    @Override
    public void running() {
        if (ended.get()) {
            return;
        }
        Transition t = withRetry("marking running", () -> store.markRunning(taskId, workerId));
        if (t == Transition.DONE_STOP_REQUESTED) {
            slots.stop(taskId, "stopped");
        } else if (t != Transition.DONE) {
            LOG.warn("task " + taskId + " could not be marked running: " + t);
        }
    }

    @Override
    public void warnings(List<String> warnings) {
        try {
            store.addWarnings(taskId, warnings);
        } catch (DependencyUnavailableException e) {
            LOG.warn("warnings of task " + taskId + " lost: " + e.getMessage());
        }
    }

    @Override
    public void ended(SessionEnd end) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            TaskStatus status = switch (end.outcome()) {
                case COMPLETED -> TaskStatus.COMPLETED;
                case CANCELLED -> TaskStatus.CANCELLED;
                case FAILED -> TaskStatus.FAILED;
            };
            String error = status == TaskStatus.FAILED ? end.reason() : null;
            Transition t = untilRecorded(() -> store.finish(taskId, status, error, end.reason(), workerId));
            if (t == Transition.ILLEGAL && status == TaskStatus.COMPLETED) {
                // why: a session can end before it ever reported running; pending cannot complete, so it failed to start
                untilRecorded(() -> store.finish(taskId, TaskStatus.FAILED,
                        "session ended before it was running: " + (end.reason() == null ? "no reason given" : end.reason()), end.reason(), workerId));
            } else if (t != Transition.DONE) {
                LOG.warn("task " + taskId + " could not be ended as " + status + ": " + t);
            }
        } catch (RuntimeException e) {
            LOG.error("task " + taskId + " could not be ended", e);
        } finally {
            slots.release(taskId);
        }
    }

    /** Runs the end's write until Redis answers; gives up only when the thread is interrupted. */
    private <T> T untilRecorded(Supplier<T> op) {
        for (int i = 0; ; i++) {
            try {
                return op.get();
            } catch (DependencyUnavailableException e) {
                if (i % 10 == 0) {
                    LOG.warn("ending task " + taskId + ": " + e.getMessage() + " (retrying until recorded)");
                }
                try {
                    Thread.sleep(Math.min(2000, 100L << Math.min(i, 5)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private <T> T withRetry(String what, Supplier<T> op) {
        DependencyUnavailableException last = null;
        for (int i = 0; i < END_TRIES; i++) {
            try {
                return op.get();
            } catch (DependencyUnavailableException e) {
                last = e;
                LOG.warn(what + " task " + taskId + ": " + e.getMessage() + " (retrying)");
                try {
                    Thread.sleep(Math.min(2000, 100L << i));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }
}
