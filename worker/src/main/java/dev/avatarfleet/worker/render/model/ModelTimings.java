package dev.avatarfleet.worker.render.model;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a model's calls spend their time, summed: writing the inputs into tensors ({@code feed}), TensorFlow
 * running the graph ({@code run}), reading the outputs back ({@code fetch}); and how many calls and session rows.
 */
public final class ModelTimings {

    private static final int CALLS = 0;
    private static final int ROWS = 1;
    private static final int FEED = 2;
    private static final int RUN = 3;
    private static final int FETCH = 4;

    private final AtomicLongArray v = new AtomicLongArray(5);

    void add(int rows, long feedNanos, long runNanos, long fetchNanos) {
        v.incrementAndGet(CALLS);
        v.addAndGet(ROWS, rows);
        v.addAndGet(FEED, feedNanos);
        v.addAndGet(RUN, runNanos);
        v.addAndGet(FETCH, fetchNanos);
    }

    /** The totals so far. */
    public Snapshot snapshot() {
        return new Snapshot(v.get(CALLS), v.get(ROWS), v.get(FEED), v.get(RUN), v.get(FETCH));
    }

    /**
     * Totals at one moment; subtract two to get a window.
     *
     * @param calls      model calls
     * @param rows       session rows over all calls
     * @param feedNanos  writing inputs
     * @param runNanos   the graph
     * @param fetchNanos reading outputs
     */
    public record Snapshot(long calls, long rows, long feedNanos, long runNanos, long fetchNanos) {
        public Snapshot minus(Snapshot o) {
            return new Snapshot(calls - o.calls, rows - o.rows, feedNanos - o.feedNanos, runNanos - o.runNanos,
                    fetchNanos - o.fetchNanos);
        }
    }
}
