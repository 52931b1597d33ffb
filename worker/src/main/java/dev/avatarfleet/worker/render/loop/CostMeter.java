package dev.avatarfleet.worker.render.loop;

/**
 * The render loop's own cost per session, smoothed over the last few seconds of ticks (exponential averages, one
 * per kind of work), written by the loop thread after each tick and read by anyone.
 */
final class CostMeter {

    /** Weight of one tick: about the last 100 ticks (4 s) count. */
    private static final double ALPHA = 0.01;

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
        return Double.isNaN(old) ? sample : old + ALPHA * (sample - old);
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
