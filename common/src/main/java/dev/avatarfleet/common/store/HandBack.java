package dev.avatarfleet.common.store;

/** What {@link RedisTaskStore#handBack} did with a task its worker gave back. */
public sealed interface HandBack {

    /** Pending again, unclaimed: enqueue its launch as {@code nextAttempt}. */
    record Requeued(int nextAttempt) implements HandBack {
    }

    /** A stop had been asked: cancelled. */
    record Cancelled() implements HandBack {
    }

    /** The claim was no longer the task's (another attempt or worker has it, or it ended): nothing changed. */
    record NotOwner() implements HandBack {
    }
}
