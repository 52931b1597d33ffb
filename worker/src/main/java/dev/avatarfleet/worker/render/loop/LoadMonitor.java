package dev.avatarfleet.worker.render.loop;

/**
 * Decides whether the render loop is saturated from its last {@link #WINDOW} ticks: saturated when
 * the mean tick cost reaches 90 % of the 40 ms budget or two ticks in the window were missed; it
 * clears again only under 75 % with no misses (hysteresis, so admission does not flap).
 */
final class LoadMonitor {

    static final int WINDOW = 25;
    private static final double ENTER = 0.90;
    private static final double LEAVE = 0.75;

    private final long budget;
    private final long[] costs = new long[WINDOW];
    private final boolean[] missed = new boolean[WINDOW];
    private int count;
    private int pos;
    private volatile boolean saturated;
    private volatile double meanMs;

    LoadMonitor(long budgetNanos) {
        this.budget = budgetNanos;
    }

    void record(long costNanos, boolean missedTicks) {
        costs[pos] = costNanos;
        missed[pos] = missedTicks;
        pos = (pos + 1) % WINDOW;
        count = Math.min(WINDOW, count + 1);
        long sum = 0;
        int misses = 0;
        for (int i = 0; i < count; i++) {
            sum += costs[i];
            misses += missed[i] ? 1 : 0;
        }
        double mean = sum / (double) count;
        meanMs = mean / 1e6;
        if (saturated) {
            saturated = !(mean < LEAVE * budget && misses == 0 && count == WINDOW);
        } else {
            saturated = mean >= ENTER * budget || misses >= 2;
        }
    }

    /** Forgets the history (when the batch becomes empty). */
    void reset() {
        count = 0;
        pos = 0;
        saturated = false;
        meanMs = 0;
    }

    boolean saturated() {
        return saturated;
    }

    double meanMs() {
        return meanMs;
    }
}
