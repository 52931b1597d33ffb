package dev.avatarfleet.worker.render.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sessions a worker offers come from what a speaking session costs it, between 1 and MAX_SESSIONS. */
class CostCapacityTest {

    private final CostMeter meter = new CostMeter();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong encoderCpuNanos = new AtomicLong();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    /** What the encoder threads spend per frame pushed in {@link #ticks}. */
    private double encodeMsPerFrame = 2.0;

    private CostCapacity capacity(int max, int cores, double priorLiveMs, double encodePriorMs) {
        return new CostCapacity(meter, frames::get, max, cores, priorLiveMs, encodePriorMs, encoderCpuNanos::get, clock::get);
    }

    /** One tick of `live` speaking sessions that took `ms` each on the render thread, pushes included. */
    private void ticks(int n, int live, double ms, double pushMs) {
        for (int i = 0; i < n; i++) {
            meter.record(live, (long) (live * ms * 1e6), 0, 0, live, (long) (live * pushMs * 1e6));
            frames.addAndGet(live);
            encoderCpuNanos.addAndGet((long) (live * encodeMsPerFrame * 1e6));
        }
    }

    private void nextSecond() {
        clock.addAndGet(1_000_000_000L);
    }

    @Test
    void theBudgetOverTheCostOfASpeakingSessionNeverAboveMaxSessions() {
        assertEquals(8, new SessionCost(2.0, 0.1, 0.5, 2.0).capacity(2, 8), "32 ms / (2 + 0.5 + 2/2) = 9, capped at 8");
        assertEquals(3, new SessionCost(8.0, 0.1, 0.5, 2.0).capacity(2, 8), "a slower host: 32 / 9.5");
        assertEquals(1, new SessionCost(60.0, 0.1, 0.5, 2.0).capacity(2, 8), "at least one, even when one does not fit");
        assertEquals(5, new SessionCost(5.0, 0.1, 0.5, 2.0).capacity(4, 8), "encoders spread over more cores: 32 / 6");
    }

    @Test
    void oneStalledPushDoesNotTakeTheWorkersSlotsAway() {
        CostCapacity c = capacity(10, 2, 2.0, 0.2);
        encodeMsPerFrame = 0.2;
        ticks(300, 4, 4.7, 1.2);
        nextSecond();
        assertEquals(5, c.getAsInt(), "32 / (4.7 + 1.2 + 0.1)");
        // why: a new session's first push created its encoder and track: one frame took 2 s on the render thread
        meter.record(4, (long) (4 * 4.7e6), 0, 0, 4, (long) (3 * 1.2e6 + 2_000e6));
        frames.addAndGet(4);
        nextSecond();
        assertEquals(5, c.getAsInt(), "a stall counts for at most one tick: 1.2 -> 1.6 ms of push, still 5 sessions");
        // a host that got slower for good still offers fewer
        ticks(600, 4, 4.7, 12.0);
        nextSecond();
        assertEquals(1, c.getAsInt(), "32 / (4.7 + ~12 + 0.1)");
    }

    @Test
    void thePriorsStandInUntilTheLoopHasMeasured() {
        CostCapacity c = capacity(8, 2, 6.0, 2.0);
        assertEquals(4, c.getAsInt(), "32 / (6 + 1)");
        ticks(200, 3, 1.5, 0.5);
        nextSecond();
        assertEquals(8, c.getAsInt(), "measured 1.5 + 0.5 + 2/2: 10 fit, MAX_SESSIONS 8");
    }

    @Test
    void aSlowerHostOffersFewerSessionsAndMoreAgainWhenItRecovers() {
        CostCapacity c = capacity(8, 2, 2.0, 2.0);
        ticks(300, 4, 2.0, 0.3);
        nextSecond();
        assertEquals(8, c.getAsInt());
        // why: other tenants take the CPU: every speaking session now costs the render thread 7 ms
        ticks(600, 4, 7.0, 0.3);
        nextSecond();
        assertEquals(3, c.getAsInt(), "32 / (7 + 0.3 + 1)");
        ticks(600, 4, 2.0, 0.3);
        nextSecond();
        assertEquals(8, c.getAsInt());
    }

    @Test
    void theEncodersCpuPerFrameIsMeasuredFromTheirThreads() {
        encodeMsPerFrame = 0;
        CostCapacity c = capacity(16, 2, 1.0, 0.5);
        ticks(300, 4, 1.0, 0.0);
        c.getAsInt();
        // 100 frames later the encoder threads have used 1.2 s: 12 ms per frame, far above the prior
        encoderCpuNanos.addAndGet(1_200_000_000L);
        ticks(25, 4, 1.0, 0.0);
        nextSecond();
        int offered = c.getAsInt();
        assertEquals(12.0, c.cost().encodeMs(), 1e-9);
        assertEquals(4, offered, "32 / (1 + 12/2)");
    }

    @Test
    void recomputedAtMostOnceASecond() {
        CostCapacity c = capacity(8, 2, 2.0, 2.0);
        assertEquals(8, c.getAsInt());
        ticks(600, 4, 9.0, 0.0);
        assertEquals(8, c.getAsInt(), "the same second: the last answer");
        nextSecond();
        assertEquals(3, c.getAsInt());
    }
}
