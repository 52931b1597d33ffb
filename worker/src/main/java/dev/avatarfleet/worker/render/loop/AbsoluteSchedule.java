package dev.avatarfleet.worker.render.loop;

/**
 * Tick k is due at {@code start + k x 40 ms}, whatever happened before: a late tick delays no later
 * one, and when the loop falls more than a tick behind it skips the missed ticks instead of
 * bunching them (frames dropped, clock intact).
 */
final class AbsoluteSchedule {

    private final long start;
    private final long period;
    private long next;

    AbsoluteSchedule(long start, long period) {
        this.start = start;
        this.period = period;
    }

    /** When the next tick is due. */
    long due() {
        return start + next * period;
    }

    /** The index of the next tick. */
    long index() {
        return next;
    }

    /**
     * Marks the due tick done at {@code now}.
     *
     * @return how many ticks had to be skipped to get back on schedule
     */
    long advance(long now) {
        next++;
        long behind = (now - start) / period - next + 1;
        if (behind > 0) {
            next += behind;
            return behind;
        }
        return 0;
    }
}
