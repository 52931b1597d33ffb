package dev.avatarfleet.common.store;

/** What {@link RedisTaskStore#takeStale} did with a pending task nobody claimed. */
public sealed interface Reenqueue {

    /** Taken for a re-enqueue (the {@code count}-th) as {@code nextAttempt}. */
    record Take(int nextAttempt, int count) implements Reenqueue {
    }

    /** Re-enqueued too often already: failed as undeliverable. */
    record Failed() implements Reenqueue {
    }

    /** It moved on meanwhile (claimed, ended, enqueued again): left alone. */
    record Skipped() implements Reenqueue {
    }
}
