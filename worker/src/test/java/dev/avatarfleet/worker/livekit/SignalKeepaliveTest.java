package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import livekit.LivekitRtc.SignalRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pings and the ping-timeout watchdog on a clock the test moves; the timers are looked at, never waited for. */
class SignalKeepaliveTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final AtomicLong lastReceived = new AtomicLong(now.get());
    private final List<SignalRequest> sent = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final SignalKeepalive keepalive = new SignalKeepalive(timers, clock, sent::add, lastReceived::get, lost::add);

    {
        // why: a cancelled timer leaves the queue at once, so the queue shows what is still scheduled
        timers.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void theLinkIsLostOnlyAfterTheServersTimeoutOfSilence() {
        keepalive.start(5, 15);
        now.addAndGet(15_000);
        keepalive.check();
        assertEquals(List.of(), lost, "15 s of silence is the timeout itself, not past it");
        now.addAndGet(1);
        keepalive.check();
        assertEquals(List.of("no signalling message for 15 s"), lost);
    }

    @Test
    void anythingReceivedRestartsTheTimeout() {
        keepalive.start(5, 15);
        now.addAndGet(14_000);
        lastReceived.set(now.get());
        now.addAndGet(14_000);
        keepalive.check();
        assertEquals(List.of(), lost);
    }

    @Test
    void withoutServerValuesTheDefaultsApply() {
        keepalive.start(0, 0);
        now.addAndGet(SignalKeepalive.DEFAULT_TIMEOUT.toMillis() + 1);
        keepalive.check();
        assertEquals(List.of("no signalling message for " + SignalKeepalive.DEFAULT_TIMEOUT.toSeconds() + " s"), lost);
    }

    @Test
    void aPingCarriesTheClocksTimeInBothForms() {
        keepalive.start(5, 15);
        keepalive.ping();
        assertEquals(2, sent.size());
        assertEquals(now.get(), sent.get(0).getPingReq().getTimestamp());
        assertEquals(now.get(), sent.get(1).getPing());
    }

    @Test
    void startSchedulesThePingerAndTheWatchdogAndStopCancelsBoth() {
        keepalive.start(5, 15);
        assertEquals(2, timers.getQueue().size());
        keepalive.stop();
        assertEquals(0, timers.getQueue().size());
    }

    @Test
    void aStartAfterStopSchedulesNothing() {
        // why: the JoinResponse can be handled on the signalling thread while close() runs on another; close stops
        // the keepalive first, so the join's start comes after the stop and must not leave timers behind
        keepalive.stop();
        keepalive.start(5, 15);
        assertEquals(0, timers.getQueue().size(), "no timer outlives a closed connection");
        now.addAndGet(60_000);
        keepalive.check();
        keepalive.ping();
        assertTrue(lost.isEmpty() && sent.isEmpty(), "a stopped keepalive neither pings nor reports: " + lost + sent);
    }
}
