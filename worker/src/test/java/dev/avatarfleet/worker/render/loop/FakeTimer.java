package dev.avatarfleet.worker.render.loop;

import java.util.ArrayList;
import java.util.List;

/** A timer under the test's control: waiting jumps the clock to the deadline, and records it. */
final class FakeTimer implements TickTimer {

    long now = 1_000_000_000L;
    final List<Long> waitedFor = new ArrayList<>();

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void waitUntil(long deadline) {
        waitedFor.add(deadline);
        now = Math.max(now, deadline);
    }

    void advanceMillis(double ms) {
        now += (long) (ms * 1_000_000);
    }
}
