package dev.avatarfleet.common.store;

/** What a status change asked of {@link RedisTaskStore} did. */
public enum Transition {
    /** Done. */
    DONE,
    /** Done, but a stop was requested meanwhile: stop the session now. */
    DONE_STOP_REQUESTED,
    /** No such task. */
    NOT_FOUND,
    /** Another worker owns the task. */
    NOT_OWNER,
    /** Not a legal move from the task's current status (e.g. it already ended). */
    ILLEGAL
}
