package dev.avatarfleet.worker.render.loop;

import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.BatchModel;
import dev.avatarfleet.worker.render.model.IdleMotion;
import dev.avatarfleet.worker.render.model.ModelBatch;
import dev.avatarfleet.worker.render.model.ModelSignature;
import dev.avatarfleet.worker.render.model.NativeSynthesis;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle loops of the avatars sessions use now: one per avatar, rendered once in the background when its first
 * session attaches, dropped when its last session detaches (so memory is bounded by the avatars in use, see
 * {@link IdleLoop} for the size). Rendering a loop: the silent state the model settles to (silence from zeros until
 * the state stops changing), then {@link IdleMotion#PERIOD_TICKS} + 1 frames of silence at rest; the last (clock =
 * one period) must equal the first, or the model's idle motion is not periodic and the loop is not used.
 */
public final class IdleLoops implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleLoops.class);
    /** Ticks of silence the state gets to settle in. */
    private static final int SETTLE_TICKS = 100;
    /** Frames rendered per model call while filling a loop. */
    private static final int CHUNK = 8;
    /** The largest mean and largest single difference (levels) allowed between the frames at 0 and one period. */
    static final double SEAM_MEAN = 0.25;
    static final int SEAM_MAX = 6;

    private final BatchModel model;
    private final int patchSize;
    private final Map<String, IdleLoop> loops = new HashMap<>();
    private final ExecutorService renderer;
    private volatile boolean warnedUnusable;

    public IdleLoops(BatchModel model) {
        this.model = model;
        this.patchSize = model.patchSize();
        // why: low priority, one at a time: a loop is a few hundred ms of work that must not delay the live ticks
        this.renderer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "idle-loop-render");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** The avatar's loop (rendering it in the background if nobody uses it yet); release it when the session ends. */
    IdleLoop acquire(PreparedImage avatar) {
        String key = avatar.imageHash() + "@" + avatar.patch();
        synchronized (loops) {
            IdleLoop loop = loops.get(key);
            if (loop == null) {
                loop = new IdleLoop(key, patchSize);
                loops.put(key, loop);
                IdleLoop l = loop;
                renderer.execute(() -> render(l, avatar));
            }
            loop.users++;
            return loop;
        }
    }

    void release(IdleLoop loop) {
        synchronized (loops) {
            if (--loop.users <= 0) {
                loops.remove(loop.key);
            }
        }
    }

    /** Loops held now, and their bytes. */
    public long[] held() {
        synchronized (loops) {
            return new long[] {loops.size(), loops.values().stream().mapToLong(IdleLoop::bytes).sum()};
        }
    }

    private void render(IdleLoop loop, PreparedImage avatar) {
        synchronized (loops) {
            if (loop.users <= 0) {
                return;
            }
        }
        long t0 = System.nanoTime();
        try (ModelBatch batch = new ModelBatch(patchSize, CHUNK);
             NativeSynthesis synth = model.exportsMotion() ? new NativeSynthesis(patchSize) : null) {
            float[] silence = new float[ModelSignature.AUDIO_SAMPLES];
            float[] state = new float[ModelSignature.V2_STATE_SIZE];
            float[] next = new float[ModelSignature.V2_STATE_SIZE];
            boolean settled = false;
            for (int k = 0; k < SETTLE_TICKS && !settled; k++) {
                batch.clear();
                batch.add(avatar.patchRgb(), silence, 0, RenderClock.seconds(k), state, avatar.faceVector());
                model.run(batch);
                batch.nextState(0, next);
                settled = same(next, state);
                System.arraycopy(next, 0, state, 0, next.length);
            }
            if (!settled) {
                refuse(loop, "its state does not settle under silence");
                return;
            }
            int frameBytes = patchSize * patchSize * 3 / 2;
            int n = IdleMotion.PERIOD_TICKS;
            byte[] frames = new byte[(n + 1) * frameBytes];
            for (int k0 = 0; k0 <= n; k0 += CHUNK) {
                batch.clear();
                for (int k = k0; k < Math.min(n + 1, k0 + CHUNK); k++) {
                    batch.add(avatar.patchRgb(), silence, 0, RenderClock.seconds(k), state, avatar.faceVector());
                }
                model.run(batch);
                for (int r = 0; r < batch.size(); r++) {
                    if (batch.hasMotion()) {
                        synth.render(batch, r, frames, (k0 + r) * frameBytes);
                    } else {
                        batch.i420(r, frames, (k0 + r) * frameBytes);
                    }
                }
            }
            double[] seam = difference(frames, 0, n * frameBytes, patchSize * patchSize);
            if (seam[0] > SEAM_MEAN || seam[1] > SEAM_MAX) {
                refuse(loop, String.format("its idle motion is not periodic with %.1f s (frames 0 and %d differ by %.2f on average, %d at most)",
                        IdleMotion.PERIOD_SECONDS, n, seam[0], (int) seam[1]));
                return;
            }
            loop.fill(frames, state);
            LOG.atDebug().log(() -> "idle loop of avatar " + avatar.imageHash().substring(0, 12) + " rendered in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms (" + (n * (long) frameBytes >> 10) + " KiB)");
        } catch (RuntimeException e) {
            LOG.warn("idle loop of avatar " + avatar.imageHash().substring(0, 12) + " not rendered; its silent sessions render live", e);
            loop.refuse();
        }
    }

    private void refuse(IdleLoop loop, String why) {
        loop.refuse();
        if (!warnedUnusable) {
            warnedUnusable = true;
            LOG.warn("the model gets no idle loops: " + why + "; silent sessions render live (docs/renderer.md, idle loop)");
        }
    }

    private static boolean same(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-6f) {
                return false;
            }
        }
        return true;
    }

    /** Mean and largest absolute difference of the luma of two patches in one array. */
    static double[] difference(byte[] a, int offA, int offB, int lumaBytes) {
        long sum = 0;
        int max = 0;
        for (int i = 0; i < lumaBytes; i++) {
            int d = Math.abs((a[offA + i] & 0xFF) - (a[offB + i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
        }
        return new double[] {sum / (double) lumaBytes, max};
    }

    @Override
    public void close() {
        renderer.shutdownNow();
        try {
            renderer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (loops) {
            loops.clear();
        }
    }
}
