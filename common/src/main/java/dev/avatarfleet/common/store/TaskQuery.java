package dev.avatarfleet.common.store;

import dev.avatarfleet.common.task.TaskStatus;

/**
 * Filters and paging for {@code GET /tasks}; null filters match everything.
 *
 * @param offset how many matching tasks (newest first) to skip, 0 or more
 * @param limit  at most this many, 1..{@value #MAX_LIMIT}
 */
public record TaskQuery(TaskStatus status, String roomName, String workerId, int offset, int limit) {

    public static final int MAX_LIMIT = 10_000;

    public TaskQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Every task, newest first. */
    public static TaskQuery all() {
        return new TaskQuery(null, null, null, 0, MAX_LIMIT);
    }
}
