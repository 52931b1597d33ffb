package dev.avatarfleet.common.store;

/** What {@link RedisTaskStore#recoverOrphan} did with a dead worker's task. */
public sealed interface OrphanOutcome {

    /** Back to pending; enqueue its launch record again as {@code nextAttempt}. */
    record Requeued(int nextAttempt) implements OrphanOutcome {
    }

    /** Its attempts were spent: failed, with an error naming the dead worker. */
    record Failed() implements OrphanOutcome {
    }

    /** A stop had been asked: cancelled. */
    record Cancelled() implements OrphanOutcome {
    }

    /** Its worker heartbeats again (on Redis's clock): left alone. */
    record Alive() implements OrphanOutcome {
    }

    /** It had moved on (ended, or another worker has it): left alone. */
    record Skipped() implements OrphanOutcome {
    }
}
