package dev.avatarfleet.worker.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The share-group join on a clock the test moves. */
class ShareGroupJoinTest {

    private final AtomicLong now = new AtomicLong(10_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final AtomicBoolean metric = new AtomicBoolean();
    private final AtomicInteger told = new AtomicInteger();
    private final ShareGroupJoin join = new ShareGroupJoin(metric::get, clock, "w1");

    {
        join.onJoined(told::incrementAndGet);
    }

    private void poll(boolean delivered, long tookMillis) {
        join.polling();
        now.addAndGet(tookMillis);
        join.polled(delivered);
    }

    @Test
    void emptyPollsWithoutTheMetricWaitOutTheGraceCountedFromTheFirstPoll() {
        long grace = ShareGroupJoin.GRACE.toMillis();
        poll(false, 500);
        now.addAndGet(grace - 1_000); // between polls: the claimer waited for a slot
        poll(false, 500);
        assertFalse(join.joined(), "exactly the grace has passed, not more");
        poll(false, 1);
        assertTrue(join.joined(), "past the grace the worker reports ready anyway");
        assertEquals(1, told.get());
    }

    @Test
    void theConsumersMetricJoinsAtOnce() {
        poll(false, 500);
        assertFalse(join.joined());
        metric.set(true);
        poll(false, 500);
        assertTrue(join.joined());
        assertEquals(1, told.get());
    }

    @Test
    void aDeliveredRecordIsAJoin() {
        poll(true, 10);
        assertTrue(join.joined());
    }

    @Test
    void aMetricThatFailsCountsAsNotJoined() {
        ShareGroupJoin failing = new ShareGroupJoin(() -> {
            throw new IllegalStateException("no metric yet");
        }, clock, "w1");
        failing.polling();
        failing.polled(false);
        assertFalse(failing.joined());
    }

    @Test
    void theJoinIsToldOnce() {
        metric.set(true);
        poll(false, 10);
        poll(true, 10);
        now.addAndGet(ShareGroupJoin.GRACE.toMillis() * 2);
        poll(false, 10);
        assertEquals(1, told.get());
    }
}
