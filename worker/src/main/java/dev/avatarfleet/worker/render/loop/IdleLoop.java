package dev.avatarfleet.worker.render.loop;

import dev.avatarfleet.worker.render.model.IdleMotion;
import dev.avatarfleet.worker.render.model.ModelSignature;

/**
 * One avatar's idle motion rendered once: {@link IdleMotion#PERIOD_TICKS} patches (I420) of a silent session at rest,
 * tick k of the loop being what the model renders for clock k x 40 ms, so a silent session at rest shows frame
 * {@code tick mod PERIOD_TICKS} for the price of a copy. Filled in the background ({@link IdleLoops}); usable once
 * {@link #ready()}.
 *
 * <p>Memory: PERIOD_TICKS x P x P x 1.5 bytes: 24.6 MB at P = 320 (512 x 512 video), 6.1 MB at P = 160 (256 x 256).
 */
final class IdleLoop {

    final String key;
    private final int frameBytes;
    private volatile byte[] frames;
    private volatile float[] rest;
    private volatile boolean unusable;
    int users;

    IdleLoop(String key, int patchSize) {
        this.key = key;
        this.frameBytes = patchSize * patchSize * 3 / 2;
    }

    /** Whether the frames are rendered and the model's idle motion proved periodic. */
    boolean ready() {
        return frames != null;
    }

    /** Whether rendering found the model unfit for a loop (not periodic, or its silent state never settles). */
    boolean unusable() {
        return unusable;
    }

    void fill(byte[] allFrames, float[] restState) {
        this.rest = restState.clone();
        this.frames = allFrames;
    }

    void refuse() {
        unusable = true;
    }

    /**
     * Whether a session with this state shows exactly the loop's frame: its state is the settled silent state.
     */
    boolean atRest(float[] state) {
        float[] r = rest;
        if (r == null) {
            return false;
        }
        for (int i = 0; i < ModelSignature.V2_STATE_SIZE; i++) {
            if (Math.abs(state[i] - r[i]) > 1e-6f) {
                return false;
            }
        }
        return true;
    }

    /** Copies the loop's patch for the session tick {@code tick} into {@code dst}. */
    void frame(long tick, byte[] dst) {
        int k = (int) Math.floorMod(tick, (long) IdleMotion.PERIOD_TICKS);
        System.arraycopy(frames, k * frameBytes, dst, 0, frameBytes);
    }

    /** The settled silent state the loop was rendered with. */
    float[] restState() {
        return rest.clone();
    }

    long bytes() {
        byte[] f = frames;
        return f == null ? 0 : f.length;
    }
}
