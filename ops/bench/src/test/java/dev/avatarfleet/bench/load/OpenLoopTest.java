package dev.avatarfleet.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    @Test
    void offersRateTimesLengthCallsAndCountsEachOutcome() throws Exception {
        OpenLoop.Result r = OpenLoop.run(200, Duration.ofMillis(100), Duration.ofSeconds(10), "200",
                i -> i % 2 == 0 ? "200" : "503 at_capacity");
        assertEquals(20, r.sent());
        assertEquals(Map.of("200", 10, "503 at_capacity", 10), r.outcomes());
        assertEquals(10, r.ok().count());
        assertEquals(20, r.all().count());
        assertEquals(0, r.unfinished());
    }

    @Test
    void startsEveryCallOnScheduleWhileEarlierCallsAreStillWaiting() throws Exception {
        // why: open loop: the first call returns only once every call has started; a loop that waited for replies
        // before sending the next would never get there (and the drain would end with calls unfinished)
        int n = 10;
        CountDownLatch started = new CountDownLatch(n);
        OpenLoop.Result r = OpenLoop.run(100, Duration.ofMillis(100), Duration.ofSeconds(30), "ok", i -> {
            started.countDown();
            try {
                return i == 0 && !started.await(30, TimeUnit.SECONDS) ? "never all started" : "ok";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        assertEquals(Map.of("ok", n), r.outcomes());
    }

    @Test
    void countsCallsStillRunningAfterTheDrainAsUnfinished() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        OpenLoop.Result r = OpenLoop.run(100, Duration.ofMillis(50), Duration.ofMillis(200), "ok", i -> {
            try {
                never.await();
                return "ok";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        });
        assertEquals(5, r.sent());
        assertTrue(r.unfinished() + r.count("IllegalStateException") == 5, () -> "every call blocked: " + r);
        assertEquals(0, r.ok().count());
    }
}
