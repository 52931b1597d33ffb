package dev.avatarfleet.worker.session;

import java.time.Clock;
import java.time.Duration;

/**
 * What every live session of a worker shares.
 *
 * @param width       video width in pixels (even)
 * @param height      video height in pixels (even)
 * @param idleTimeout no speech for this long ends a session as {@code completed / idle_timeout}
 *                    ({@link dev.avatarfleet.common.config.WorkerSettings#SESSION_IDLE_TIMEOUT})
 * @param clock       the time source of the idle timeout
 */
public record LiveSessionSettings(int width, int height, Duration idleTimeout, Clock clock) {

    public LiveSessionSettings {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("video size must be even and at least 16x16, was " + width + "x" + height);
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("SESSION_IDLE_TIMEOUT must be positive");
        }
        if (clock == null) {
            clock = Clock.systemUTC();
        }
    }
}
