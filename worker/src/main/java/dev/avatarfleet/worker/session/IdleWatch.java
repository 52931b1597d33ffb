package dev.avatarfleet.worker.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Decides when a session has had no speech for {@code SESSION_IDLE_TIMEOUT}. Thread safe. */
public final class IdleWatch {

    private final Clock clock;
    private final Duration timeout;
    private volatile Instant lastActivity;

    public IdleWatch(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
        this.lastActivity = clock.instant();
    }

    /** Speech arrived or is still playing. */
    public void activity() {
        lastActivity = clock.instant();
    }

    /**
     * @param speaking whether speech is queued or playing right now (never idle then)
     */
    public boolean idle(boolean speaking) {
        if (speaking) {
            activity();
            return false;
        }
        return !clock.instant().isBefore(lastActivity.plus(timeout));
    }
}
