package dev.avatarfleet.worker.render.loop;

import java.util.concurrent.locks.LockSupport;

/**
 * The render loop's time source: a monotonic clock and a way to wait for a deadline on it.
 * Injected so tests drive ticks without sleeping.
 */
public interface TickTimer {

    /** Monotonic now in nanoseconds. */
    long nanoTime();

    /** Waits until {@link #nanoTime()} reaches {@code deadline} (returns at once when it has). */
    void waitUntil(long deadline) throws InterruptedException;

    /** A clock of its own that jumps to each deadline at once: a loop stepped back to back (test frames, benchmarks). */
    static TickTimer immediate() {
        return new TickTimer() {
            private long now;

            @Override
            public long nanoTime() {
                return now;
            }

            @Override
            public void waitUntil(long deadline) {
                now = Math.max(now, deadline) + 1;
            }
        };
    }

    /** The system's monotonic clock, parking the thread until the deadline. */
    TickTimer SYSTEM = new TickTimer() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void waitUntil(long deadline) throws InterruptedException {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };
}
