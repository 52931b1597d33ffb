package dev.avatarfleet.worker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avatarfleet.worker.livekit.LiveKitException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The reconnect window on a clock the test moves: each failed try takes one pause of it (the real pause between
 * tries is a millisecond), so the count of tries in the window is exact.
 */
class ReconnectorTest {

    private static final Duration PAUSE = Duration.ofSeconds(1);

    private final AtomicLong now = new AtomicLong(5_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final List<Long> triedAt = new ArrayList<>();
    private final Reconnector reconnector = new Reconnector(clock, Reconnector.WINDOW, Duration.ofMillis(1), "s1");

    private Reconnector.Rejoin failingWith(String reason) {
        return () -> {
            triedAt.add(now.get());
            now.addAndGet(PAUSE.toMillis());
            throw new LiveKitException(reason);
        };
    }

    @Test
    void triesOnceAPauseApartUntilTheWindowHasPassedAndSaysTheLastReason() throws Exception {
        Optional<String> failure = reconnector.reconnect("signal link closed", failingWith("cannot connect"), () -> false);
        assertEquals(Optional.of("livekit: cannot connect"), failure);
        long windowTries = Reconnector.WINDOW.dividedBy(PAUSE);
        assertEquals(windowTries, triedAt.size(), "a try at 0 s, 1 s, ... 14 s of a 15 s window: " + triedAt);
        assertEquals(5_000 + Reconnector.WINDOW.minus(PAUSE).toMillis(), triedAt.getLast());
    }

    @Test
    void aTryThatSucceedsEndsTheReconnect() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        Optional<String> failure = reconnector.reconnect("lost", () -> {
            if (tries.incrementAndGet() < 3) {
                now.addAndGet(PAUSE.toMillis());
                throw new LiveKitException("not yet");
            }
        }, () -> false);
        assertEquals(Optional.empty(), failure);
        assertEquals(3, tries.get());
        assertEquals(5_000 + 2 * PAUSE.toMillis(), now.get(), "two failed tries, then the join that worked");
    }

    @Test
    void aSessionThatEndsStopsTheTries() throws Exception {
        Optional<String> failure = reconnector.reconnect("lost", failingWith("refused"),
                () -> now.get() >= 5_000 + Duration.ofSeconds(3).toMillis());
        assertEquals(3, triedAt.size());
        assertEquals(Optional.of("livekit: refused"), failure);
    }

    @Test
    void aSessionAlreadyEndedTriesNothingAndKeepsTheLossReason() throws Exception {
        assertEquals(Optional.of("signal link closed"), reconnector.reconnect("signal link closed", failingWith("x"), () -> true));
        assertEquals(List.of(), triedAt);
    }
}
