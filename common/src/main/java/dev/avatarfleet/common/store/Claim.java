package dev.avatarfleet.common.store;

import java.util.Objects;

/**
 * A worker's claim on a task: which worker, which attempt. Every write a worker makes about a task carries it, and
 * Redis refuses the write once the task has moved on to another attempt or worker (fencing).
 *
 * @param workerId the claiming worker's {@code WORKER_ID}
 * @param attempt  the attempt it claimed (1 for the first run)
 */
public record Claim(String workerId, int attempt) {

    public Claim {
        Objects.requireNonNull(workerId, "workerId");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
    }

    public static Claim of(String workerId, int attempt) {
        return new Claim(workerId, attempt);
    }
}
