package dev.avatarfleet.worker.render.loop;

/**
 * What one session costs per tick, measured, in milliseconds: the worst case is a speaking session (a model row and
 * its synthesis), since any silent one may start speaking.
 *
 * @param liveMs    the render thread's time for a speaking session: its share of the model call, its synthesis and
 *                  composition
 * @param idleMs    the render thread's time for a silent session at rest (its idle-loop frame copied)
 * @param pushMs    the render thread's time to hand a frame to the encoder
 * @param encodeMs  the encoder's CPU time per frame (on the encoder threads)
 */
public record SessionCost(double liveMs, double idleMs, double pushMs, double encodeMs) {

    /** Of each 40 ms tick, what sessions may use: the rest is headroom for GC, signalling and other tenants. */
    public static final double BUDGET_MS = 32.0;

    /**
     * How many speaking sessions fit: the render thread's work must fit the tick's budget, and the encoders run
     * beside it on the other cores, so their CPU counts spread over the cores.
     *
     * @param cores the CPUs this process may use
     * @param max   the worker's {@code MAX_SESSIONS}: never more
     * @return between 1 and {@code max}
     */
    public int capacity(int cores, int max) {
        double perSession = liveMs + pushMs + encodeMs / Math.max(1, cores);
        if (!(perSession > 0) || Double.isInfinite(perSession)) {
            return max;
        }
        return (int) Math.max(1, Math.min(max, Math.floor(BUDGET_MS / perSession)));
    }
}
