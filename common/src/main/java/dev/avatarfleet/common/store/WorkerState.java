package dev.avatarfleet.common.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker as it last reported itself in its heartbeat.
 *
 * @param id             {@code WORKER_ID}
 * @param url            where API nodes reach its HTTP server
 * @param maxSessions    its {@code MAX_SESSIONS}
 * @param activeSessions sessions it holds now (claimed, starting or running)
 * @param modelReady     its model is loaded and warmed
 * @param saturated      it has no free slot, or its render loop cannot keep 25 FPS with what it holds
 * @param draining       it is shutting down and takes no new task
 * @param heartbeatAt    when this state was written (null before it is written)
 */
public record WorkerState(String id, String url, int maxSessions, int activeSessions, boolean modelReady,
                          boolean saturated, boolean draining, Instant heartbeatAt) {

    public WorkerState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
    }

    /** Whether it can take a new task now. */
    public boolean accepting() {
        return modelReady && !draining && !saturated && activeSessions < maxSessions;
    }
}
