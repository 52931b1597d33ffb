package dev.avatarfleet.worker.session;

import java.util.Objects;

/**
 * How a session ended, as it goes on the task record.
 *
 * @param outcome the terminal status
 * @param reason  why, e.g. {@code agent_left}, {@code idle_timeout}, {@code livekit: 401 token expired}
 */
public record SessionEnd(Outcome outcome, String reason) {

    /** The terminal task statuses a session can end in. */
    public enum Outcome { COMPLETED, CANCELLED, FAILED }

    public SessionEnd {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.FAILED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a failed session needs a reason");
        }
    }

    public static SessionEnd completed(String reason) {
        return new SessionEnd(Outcome.COMPLETED, reason);
    }

    public static SessionEnd cancelled(String reason) {
        return new SessionEnd(Outcome.CANCELLED, reason);
    }

    public static SessionEnd failed(String reason) {
        return new SessionEnd(Outcome.FAILED, reason);
    }
}
