package dev.avatarfleet.common.store;

import dev.avatarfleet.common.task.TaskRecord;

/** The answer of {@link RedisTaskStore#replay}: an ended task made pending again for its next attempt, or why not. */
public sealed interface Replay {

    /** Pending again; enqueue its launch as {@code nextAttempt}. */
    record Replayed(TaskRecord task, int nextAttempt) implements Replay {
    }

    /** It is pending or running: nothing to replay. */
    record Active(String status) implements Replay {
    }

    /** Another active task has its room and avatar identity. */
    record RoomBusy(String otherTaskId) implements Replay {
    }

    /** No such task. */
    record NotFound() implements Replay {
    }
}
