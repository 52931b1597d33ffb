package dev.avatarfleet.common.store;

/** What {@link RedisTaskStore#claim} did with a launch record a worker acquired. */
public enum ClaimOutcome {
    /** This worker owns the task now: start the session. */
    CLAIMED,
    /** The task was already claimed for this attempt (a redelivered or duplicated record): skip. */
    DUPLICATE,
    /** A stop arrived before the session started: the task is cancelled, skip. */
    CANCELLED,
    /** The task is no longer pending (running elsewhere, or ended): skip. */
    NOT_PENDING,
    /** No such task (expired, or never admitted): skip. */
    UNKNOWN
}
