package dev.avatarfleet.devroom.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** A sliding one-second window over accepted joins; refuses a join once the window is full. */
public final class JoinRateLimiter {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private final int perSecond;
    private final Clock clock;
    private final Deque<Instant> accepted = new ArrayDeque<>();

    /** @param perSecond joins allowed per second @param clock time source */
    public JoinRateLimiter(int perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** @return whether one more join may proceed now (and counts it if so) */
    public synchronized boolean tryAcquire() {
        Instant now = clock.instant();
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(now.minus(WINDOW))) {
            accepted.pollFirst();
        }
        if (accepted.size() >= perSecond) {
            return false;
        }
        accepted.addLast(now);
        return true;
    }
}
