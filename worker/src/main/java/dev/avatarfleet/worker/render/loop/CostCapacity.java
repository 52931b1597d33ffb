package dev.avatarfleet.worker.render.loop;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this worker offers, from what a session costs it ({@link SessionCost#capacity}), never more than
 * {@code MAX_SESSIONS}: a slower or busier host offers fewer sessions instead of dropping frames for all of them.
 * Until the loop has measured a speaking session, the warm-up's model timing and an encoder prior stand in.
 * Recomputed at most once a second (the heartbeat's pace); the encoder's cost is its threads' CPU over the frames
 * pushed meanwhile.
 */
public final class CostCapacity implements IntSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(CostCapacity.class);
    /** Encoder CPU per frame before one is measured: H.264 at 512 x 512 measured 2-2.5 ms (ops/bench/README.md). */
    static final double ENCODE_PRIOR_MS_512 = 2.5;

    private final CostMeter meter;
    private final LongSupplier framesPushed;
    private final int max;
    private final int cores;
    private final double priorLiveMs;
    private final double encodePriorMs;
    private final LongSupplier encoderCpu;
    private final LongSupplier clockNanos;
    private long lastAt = Long.MIN_VALUE;
    private long lastCpu = -1;
    private long lastFrames;
    private double encodeMs = Double.NaN;
    private int offered;

    /**
     * @param priorLiveMs the warm-up's model time per session, until the loop measures its own
     */
    public CostCapacity(BatchRenderLoop loop, int max, int width, int height, double priorLiveMs) {
        this(loop.costs(), () -> loop.stats().frames(), max, Runtime.getRuntime().availableProcessors(), priorLiveMs,
                ENCODE_PRIOR_MS_512 * width * height / (512.0 * 512.0), EncoderLoad::cpuNanos, System::nanoTime);
    }

    CostCapacity(CostMeter meter, LongSupplier framesPushed, int max, int cores, double priorLiveMs, double encodePriorMs,
                 LongSupplier encoderCpu, LongSupplier clockNanos) {
        this.meter = meter;
        this.framesPushed = framesPushed;
        this.max = max;
        this.cores = cores;
        this.priorLiveMs = priorLiveMs;
        this.encodePriorMs = encodePriorMs;
        this.encoderCpu = encoderCpu;
        this.clockNanos = clockNanos;
        this.offered = max;
    }

    @Override
    public synchronized int getAsInt() {
        long now = clockNanos.getAsLong();
        if (lastAt != Long.MIN_VALUE && now - lastAt < 1_000_000_000L) {
            return offered;
        }
        lastAt = now;
        measureEncoder();
        SessionCost cost = cost();
        int next = cost.capacity(cores, max);
        if (next != offered) {
            int before = offered;
            LOG.atInfo().log(() -> String.format("offering %d of MAX_SESSIONS=%d sessions (was %d): a speaking session costs %.1f ms of"
                    + " render, %.1f ms of push and %.1f ms of encoder CPU per tick on %d cores", next, max, before, cost.liveMs(),
                    cost.pushMs(), cost.encodeMs(), cores));
            offered = next;
        }
        return offered;
    }

    /** The cost used now: measured where measured, the priors elsewhere. */
    public synchronized SessionCost cost() {
        CostMeter m = meter;
        return new SessionCost(orElse(m.liveMs(), priorLiveMs), orElse(m.idleMs(), 0), orElse(m.pushMs(), 0),
                orElse(encodeMs, encodePriorMs));
    }

    private void measureEncoder() {
        long cpu = encoderCpu.getAsLong();
        long frames = framesPushed.getAsLong();
        if (cpu >= 0 && lastCpu >= 0 && frames - lastFrames >= 25) {
            double sample = (cpu - lastCpu) / 1e6 / (frames - lastFrames);
            encodeMs = Double.isNaN(encodeMs) ? sample : encodeMs + 0.3 * (sample - encodeMs);
        }
        if (cpu >= 0) {
            lastCpu = cpu;
            lastFrames = frames;
        }
    }

    private static double orElse(double v, double fallback) {
        return Double.isNaN(v) ? fallback : v;
    }
}
