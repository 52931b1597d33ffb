package dev.avatarfleet.common.store;

import java.util.List;

/**
 * The fleet as {@code /health} and {@code /ready} report it: live workers only.
 *
 * @param liveWorkers    workers whose heartbeat is within the dead-worker timeout
 * @param activeSessions pending plus running tasks of the fleet
 * @param maxSessions    summed {@code MAX_SESSIONS} of live, ready, non-draining workers
 * @param modelReady     at least one live worker has its model loaded and is not draining
 */
public record FleetTotals(List<WorkerState> liveWorkers, long activeSessions, long maxSessions, boolean modelReady) {

    public FleetTotals {
        liveWorkers = List.copyOf(liveWorkers);
    }

    /** Free slots (never negative). */
    public long availableSessions() {
        return Math.max(0, maxSessions - activeSessions);
    }

    /** {@code ready}, {@code not_ready} (no model loaded anywhere) or {@code at_capacity}, as {@code /ready} says. */
    public String readiness() {
        if (!modelReady) {
            return "not_ready";
        }
        return availableSessions() > 0 ? "ready" : "at_capacity";
    }
}
