package dev.avatarfleet.bench;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.RenderSettings;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.loop.BatchRenderLoop;
import dev.avatarfleet.worker.render.loop.RenderSlot;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.loop.TickTimer;
import dev.avatarfleet.worker.render.model.ModelBatch;
import dev.avatarfleet.worker.render.model.NativeSynthesis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.types.TUint8;

/**
 * The renderer benchmark (ops/bench/run). Modes:
 * <ul>
 *   <li>{@code sustain SIZE MAX SECONDS}: the real render loop on the system clock with 1, 2, ... MAX
 *       speaking sessions; a count is sustained when every session got at least 24.5 frames per second
 *       and the mean tick cost stayed under 36 ms (90 % of the budget). Prints skipped ticks, whether the
 *       loop reported saturated, and the frame-interval p50/p99/max.</li>
 *   <li>{@code ratio SIZE N REPS}: side by side in one run, one batched call of N sessions against N
 *       calls of one session, interleaved, same inputs; prints the per-tick times and their ratio.</li>
 *   <li>{@code soak SIZE N TICKS}: the loop stepped back to back for TICKS ticks; prints RSS before and after.</li>
 *   <li>{@code strip SIZE FRAMES 0 OUT.png}: what {@code GET /test-frame?strip=FRAMES} answers, written to a file.</li>
 *   <li>{@code prepare SIZE REPS}, {@code motion SIZE N REPS}: the landmark work's costs ({@link FaceBench}).</li>
 * </ul>
 */
public final class RenderBench {

    private RenderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && (args[0].equals("prepare") || args[0].equals("motion"))) {
            FaceBench.main(args);
            return;
        }
        if (args.length < 4) {
            System.err.println("usage: RenderBench sustain|ratio|soak SIZE N SECONDS|REPS|TICKS");
            System.exit(2);
        }
        int size = Integer.parseInt(args[1]);
        int[] counts = java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int n = counts[counts.length - 1];
        int amount = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory("bench-model");
        int threads = Env.system().get(RenderSettings.TF_INTRA_OP_THREADS);
        try (AvatarModel model = AvatarModel.open(dir, PatchRegion.defaultSize(size, size), threads)) {
            PreparedImage avatar = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), null, size, size, model.patchSize(), 2)
                    .prepare(null);
            System.out.printf(Locale.ROOT, "device %s, %dx%d, %d cores, load average %.2f%n", model.device().description(), size, size,
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            switch (args[0]) {
                case "sustain" -> sustain(model, avatar, size, n, amount);
                case "ratio" -> ratio(model, avatar, n, amount);
                case "soak" -> soak(model, avatar, size, n, amount);
                case "stages" -> StageBench.run(model, avatar, size, counts, amount, args.length > 4 ? args[4] : "default",
                        args.length > 5 ? Integer.valueOf(args[5]) : null);
                case "profile" -> StageBench.profile(model, avatar, n, amount);
                case "strip" -> strip(model, avatar, n, Path.of(args.length > 4 ? args[4] : "docs/test-frame-strip.png"));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    private static void sustain(AvatarModel model, PreparedImage avatar, int size, int max, int seconds) throws Exception {
        int best = 0;
        double[] bestIntervals = null;
        for (int n = 1; n <= max; n++) {
            Trial t = null;
            boolean ok = false;
            // why: the host is shared (load average 2-7 from other builds); a count that fails gets one more try,
            // so one burst of someone else's compile does not decide the figure
            for (int attempt = 1; attempt <= 2 && !ok; attempt++) {
                t = trial(model, avatar, size, n, seconds);
                // a count is sustained when every session still got >= 98 % of its frames and the batch's own cost
                // fits the budget with 10 % headroom
                ok = t.minFps >= 24.5 && t.meanTickMs < 36;
                System.out.printf(Locale.ROOT, "%dx%d sessions=%d try %d: tick mean %.1f ms (model %.1f ms), skipped %d, saturated %s, "
                                + "min fps %.2f, interval p50 %.1f ms p99 %.1f ms max %.1f ms, load %.2f -> %s%n",
                        size, size, n, attempt, t.meanTickMs, t.meanModelMs, t.skipped, t.saturated, t.minFps, t.p50, t.p99, t.max,
                        loadAverage(), ok ? "sustained" : "NOT sustained");
            }
            if (!ok) {
                break;
            }
            best = n;
            bestIntervals = new double[] {t.p50, t.p99, t.max};
        }
        System.out.printf(Locale.ROOT, "RESULT %dx%d: %d sessions sustained at 25 FPS; frame interval at that load p50 %.1f ms p99 %.1f ms%n",
                size, size, best, bestIntervals == null ? Double.NaN : bestIntervals[0], bestIntervals == null ? Double.NaN : bestIntervals[1]);
    }

    private record Trial(double meanTickMs, double meanModelMs, long skipped, boolean saturated, double minFps, double p50, double p99, double max) {
    }

    private static Trial trial(AvatarModel model, PreparedImage avatar, int size, int n, int seconds) throws Exception {
        try (BatchRenderLoop loop = BatchRenderLoop.start(model, size, size, n)) {
            List<long[]> stamps = new ArrayList<>();
            List<int[]> counts = new ArrayList<>();
            List<RenderSlot> slots = new ArrayList<>();
            int warmTicks = 50;
            int ticks = seconds * RenderClock.FPS;
            for (int i = 0; i < n; i++) {
                long[] st = new long[warmTicks + ticks + 50];
                int[] c = new int[1];
                stamps.add(st);
                counts.add(c);
                slots.add(loop.attach("bench-" + i, avatar, new SyntheticSpeech(), f -> {
                    if (c[0] < st.length) {
                        st[c[0]] = System.nanoTime();
                    }
                    c[0]++;
                }));
            }
            // why: the first call per batch shape is slow (100+ ms) and the load window needs 25 ticks to forget it
            Thread.sleep(1000L * (warmTicks / RenderClock.FPS));
            long skippedBefore = loop.stats().skipped();
            int[] startCounts = counts.stream().mapToInt(c -> c[0]).toArray();
            long t0 = System.nanoTime();
            boolean saturated = false;
            for (int s = 0; s < seconds * 10; s++) {
                Thread.sleep(100);
                saturated |= loop.saturated();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            BatchRenderLoop.RenderStats stats = loop.stats();
            slots.forEach(RenderSlot::close);
            double minFps = Double.MAX_VALUE;
            List<Double> intervals = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int from = startCounts[i];
                int to = Math.min(counts.get(i)[0], stamps.get(i).length);
                minFps = Math.min(minFps, (counts.get(i)[0] - from) / elapsed);
                for (int k = from + 1; k < to; k++) {
                    intervals.add((stamps.get(i)[k] - stamps.get(i)[k - 1]) / 1e6);
                }
            }
            double[] iv = intervals.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Trial(stats.meanTickMs(), stats.meanModelMs(), stats.skipped() - skippedBefore, saturated, minFps,
                    pct(iv, 0.50), pct(iv, 0.99), iv.length == 0 ? Double.NaN : iv[iv.length - 1]);
        }
    }

    private static void ratio(AvatarModel model, PreparedImage avatar, int n, int reps) {
        short[] pcm = new short[1920];
        float[] a16 = new float[640];
        int p = model.patchSize();
        long batched = 0;
        long separate = 0;
        byte[] out = new byte[p * p * 3 / 2];
        try (ModelBatch all = new ModelBatch(p, n); ModelBatch one = new ModelBatch(p, 1); NativeSynthesis synth = new NativeSynthesis(p)) {
            for (int i = 0; i < n; i++) {
                SyntheticSpeech.fill(i * 3L, pcm);
                for (int k = 0; k < 640; k++) {
                    a16[k] = (pcm[3 * k] + pcm[3 * k + 1] + pcm[3 * k + 2]) / (3f * 32768f);
                }
                all.add(avatar.patchRgb(), a16, 0, i * 0.37f, new float[8], avatar.faceVector());
            }
            for (int r = -3; r < reps; r++) {
                // why: interleaved, so both variants see the same background load from other tenants
                long t0 = System.nanoTime();
                model.run(all);
                for (int i = 0; i < n; i++) {
                    render(all, synth, i, out);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    one.clear();
                    one.add(avatar.patchRgb(), a16, 0, i * 0.37f, new float[8], avatar.faceVector());
                    model.run(one);
                    render(one, synth, 0, out);
                }
                long t2 = System.nanoTime();
                if (r >= 0) {
                    batched += t1 - t0;
                    separate += t2 - t1;
                }
            }
        }
        double b = batched / 1e6 / reps;
        double s = separate / 1e6 / reps;
        System.out.printf(Locale.ROOT, "RESULT %dx%d N=%d: one batched call %.1f ms per tick, %d single calls %.1f ms per tick, "
                + "batched/separate time ratio %.2f (speed-up x%.2f), load %.2f%n",
                avatar.width(), avatar.height(), n, b, n, s, b / s, s / b, loadAverage());
    }

    private static void render(ModelBatch batch, NativeSynthesis synth, int row, byte[] out) {
        if (batch.hasMotion()) {
            synth.render(batch, row, out, 0);
        } else {
            batch.i420(row, out, 0);
        }
    }

    private static void soak(AvatarModel model, PreparedImage avatar, int size, int n, int ticks) throws Exception {
        // why: stepped back to back (a timer that never waits): 10,000 ticks in minutes, not 400 s
        var loop = new BatchRenderLoop(model, size, size, TickTimer.immediate(), null, n);
        for (int i = 0; i < n; i++) {
            loop.attach("soak-" + i, avatar, new SyntheticSpeech(), f -> { });
        }
        for (int i = 0; i < 300; i++) {
            loop.step();
        }
        long before = rssKb();
        long t0 = System.nanoTime();
        // why: the loop runs on this thread here, so this thread's allocations are the loop's (Java heap garbage per tick)
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated0 = threads.getCurrentThreadAllocatedBytes();
        for (int i = 1; i <= ticks; i++) {
            loop.step();
            if (i % 2000 == 0) {
                System.out.printf(Locale.ROOT, "tick %d RSS %d MB%n", i, rssKb() >> 10);
            }
        }
        long perTick = (threads.getCurrentThreadAllocatedBytes() - allocated0) / ticks;
        long after = rssKb();
        loop.close();
        System.out.printf(Locale.ROOT, "RESULT soak %dx%d N=%d: %d ticks in %.0f s, RSS %d MB -> %d MB, Java heap allocated by the loop"
                + " %d bytes per tick (%d per frame)%n", size, size, n, ticks, (System.nanoTime() - t0) / 1e9, before >> 10, after >> 10,
                perTick, perTick / n);
    }

    private static void strip(AvatarModel model, PreparedImage avatar, int frames, Path out) throws java.io.IOException {
        var list = dev.avatarfleet.worker.render.http.TestFrames.talking(model, avatar, frames);
        javax.imageio.ImageIO.write(dev.avatarfleet.worker.render.http.FrameStrip.grid(list, avatar.width(), avatar.height(), 5,
                Math.min(256, avatar.width())), "png", out.toFile());
        System.out.println("RESULT strip of " + frames + " frames written to " + out);
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
