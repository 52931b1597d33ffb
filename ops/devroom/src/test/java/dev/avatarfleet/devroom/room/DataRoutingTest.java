package dev.avatarfleet.devroom.room;

import dev.avatarfleet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataRoutingTest {
    private final List<String> room = List.of("agent", "avatar", "user");

    @Test
    void broadcastReachesEveryoneButTheSender() {
        assertEquals(List.of("avatar", "user"), DataRouting.recipients("agent", room, List.of()));
    }

    @Test
    void destinationsAreHonouredAndAbsentOnesSkipped() {
        assertEquals(List.of("avatar"), DataRouting.recipients("agent", room, List.of("avatar", "gone")));
        assertEquals(List.of(), DataRouting.recipients("agent", room, List.of("agent")));
    }

    @Test
    void joinRateWindowSlidesWithTheClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        JoinRateLimiter limiter = new JoinRateLimiter(2, clock);
        assertTrue(limiter.tryAcquire());
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
        clock.advance(Duration.ofMillis(1001));
        assertTrue(limiter.tryAcquire());
    }
}
