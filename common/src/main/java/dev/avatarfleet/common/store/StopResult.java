package dev.avatarfleet.common.store;

import dev.avatarfleet.common.task.TaskRecord;

/** The answer of {@link RedisTaskStore#requestStop}. */
public sealed interface StopResult {

    /** No such task (404). */
    record NotFound(String taskId) implements StopResult {
    }

    /** It was pending and unclaimed: now cancelled, and it will never start. */
    record Cancelled(TaskRecord task) implements StopResult {
    }

    /** Its worker was told to stop it (it ends as cancelled within a second). */
    record Signalled(TaskRecord task, String workerId) implements StopResult {
    }

    /** It had already ended; nothing changed. */
    record AlreadyEnded(TaskRecord task) implements StopResult {
    }
}
