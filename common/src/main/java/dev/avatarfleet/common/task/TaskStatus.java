package dev.avatarfleet.common.task;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A task's status, as the seed API spells it: {@code pending → running → completed / failed / cancelled}.
 * A pending task may also end directly as failed or cancelled (stopped before it started, or its
 * session could not start). {@link #canMoveTo} covers these; the one exception is recovery of a
 * dead worker's task, which returns it to {@code pending} as a new attempt (see
 * {@code RedisTaskStore.recoverOrphan}).
 */
public enum TaskStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    /** The lower-case name used in JSON and in Redis. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public boolean isActive() {
        return !isTerminal();
    }

    /** Whether a task in this status may move to {@code next}. */
    public boolean canMoveTo(TaskStatus next) {
        return switch (this) {
            case PENDING -> next == RUNNING || next == FAILED || next == CANCELLED;
            case RUNNING -> next == COMPLETED || next == FAILED || next == CANCELLED;
            case COMPLETED, FAILED, CANCELLED -> false;
        };
    }

    /** Parses the wire name; empty for anything else. */
    public static Optional<TaskStatus> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (TaskStatus s : values()) {
            if (s.wire().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
