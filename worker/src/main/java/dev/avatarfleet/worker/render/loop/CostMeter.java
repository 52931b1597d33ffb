package dev.avatarfleet.worker.render.loop;

/**
 * The render loop's own cost per session, smoothed over the last few seconds of ticks (exponential averages, one
 * per kind of work), written by the loop thread after each tick and read by anyone.
 */
final class CostMeter {

    /** Weight of one tick: about the last 100 ticks (4 s) count. */
    private static final double ALPHA = 0.01;
    /**
     * The most one session's work in one tick may count for: a tick's length. why: one stall (a new session's
     * encoder and track created on its first push, a GC pause) is not the steady cost, and an average moved by it
     * took a worker from offering 10 sessions to 1 in the middle of a failover (one push of ~2 s: 21 ms of push per
     * frame for seconds), so a killed worker's sessions waited 4-5 s for a slot (ops/chaos full run on 9248ec6).
     */
    static final double SAMPLE_CAP_MS = 40.0;

    private volatile double liveMs = Double.NaN;
    private volatile double idleMs = Double.NaN;
    private volatile double pushMs = Double.NaN;

    /**
     * One tick's measurements.
     *
     * @param liveRows     sessions rendered by the model this tick
     * @param liveNanos    the model call plus those sessions' synthesis and composition
     * @param idleRows     sessions shown from their idle loop
     * @param idleNanos    those sessions' copies and composition
     * @param pushed       frames handed to sinks
     * @param pushNanos    the sinks' time
     */
    void record(int liveRows, long liveNanos, int idleRows, long idleNanos, int pushed, long pushNanos) {
        if (liveRows > 0) {
            liveMs = mix(liveMs, liveNanos / 1e6 / liveRows);
        }
        if (idleRows > 0) {
            idleMs = mix(idleMs, idleNanos / 1e6 / idleRows);
        }
        if (pushed > 0) {
            pushMs = mix(pushMs, pushNanos / 1e6 / pushed);
        }
    }

    private static double mix(double old, double sample) {
        double capped = Math.min(sample, SAMPLE_CAP_MS);
        return Double.isNaN(old) ? capped : old + ALPHA * (capped - old);
    }

    /** The averages (NaN where nothing was measured yet). */
    double liveMs() {
        return liveMs;
    }

    double idleMs() {
        return idleMs;
    }

    double pushMs() {
        return pushMs;
    }
}
