package dev.avatarfleet.common.store;

import java.util.Locale;

import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;

/** The answer of {@link RedisTaskStore#admit}: a new pending task, the active one for the same room and avatar, or a refusal. */
public sealed interface Admission {

    /** A new task, pending; produce {@code launch} (kept with the task too) next. */
    record Admitted(TaskRecord task, LaunchSpec launch) implements Admission {
    }

    /** A task for the same room and avatar identity is already pending or running; reply with it. */
    record Existing(TaskRecord task) implements Admission {
    }

    /**
     * Refused; the API answers 503 with {@code reason.wire()} (429 for {@link Reason#QUOTA_EXCEEDED}).
     *
     * @param activeSessions pending and running tasks of the fleet (of the tenant, for a quota) when refused
     * @param maxSessions    the summed MAX_SESSIONS of live, ready workers (the tenant's quota)
     */
    record Refused(Reason reason, long activeSessions, long maxSessions) implements Admission {
    }

    /** Why a launch was refused. */
    enum Reason {
        /** No live worker has its model loaded. */
        NOT_READY,
        /** Every slot of the live, ready workers is taken by a pending or running task. */
        AT_CAPACITY,
        /** The tenant's pending and running tasks fill its concurrent-session quota. */
        QUOTA_EXCEEDED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
