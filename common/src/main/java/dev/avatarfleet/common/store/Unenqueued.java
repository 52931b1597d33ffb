package dev.avatarfleet.common.store;

/** What {@link RedisTaskStore#failUnenqueued} did with a task whose launch record could not be produced. */
public enum Unenqueued {
    /** It was pending and unclaimed: failed with the reason. */
    FAILED,
    /** A worker claimed it already (the record was written although the produce failed): left alone. */
    CLAIMED,
    /** No such task. */
    NOT_FOUND
}
