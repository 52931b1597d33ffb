package dev.avatarfleet.bench;

import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.loop.BatchRenderLoop;
import dev.avatarfleet.worker.render.loop.StageTimes;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.ModelBatch;
import dev.avatarfleet.worker.render.model.ModelTimings;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a tick's time goes, end to end inside one process: the real render loop with N speaking sessions, each
 * publishing through the worker's own {@code AvatarTracks} to a local receiver (so the real encoder and packetiser
 * run), for 1..N sessions. Prints one table row per count: the loop thread's stages (audio, model split into
 * inputs / graph / outputs, frame, push) in ms per tick, then the CPU each kind of thread used per tick (render
 * thread, TensorFlow's pool, encoder, packetise/send, the bench's own decoders, JVM), and the frames the receivers
 * got. {@code profile} splits one model call by op (TensorFlow's trace).
 */
final class StageBench {

    private StageBench() {
    }

    static void run(AvatarModel model, PreparedImage avatar, int size, int[] counts, int seconds, String codec, Integer bitrate)
            throws Exception {
        System.out.printf(Locale.ROOT, "# stages %dx%d, codec preference %s%s, %d s per count; ms per 40 ms tick (loop thread wall),"
                        + " then CPU ms per tick by thread kind%n", size, size, codec, bitrate == null ? "" : ", max bitrate " + bitrate, seconds);
        System.out.println("| sessions | tick | audio | model in | model run | model out | frame | push | cpu: render thread | tf pool"
                + " | encoder | packetise/send | webrtc other | jvm | other | decoder (bench) | cpu total (cores) | fps min | skipped"
                + " | load | encoder used |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int n : counts) {
            row(model, avatar, size, n, seconds, codec, bitrate);
        }
    }

    private static void row(AvatarModel model, PreparedImage avatar, int size, int n, int seconds, String codec, Integer bitrate)
            throws Exception {
        try (LocalPeers peers = new LocalPeers(); BatchRenderLoop loop = BatchRenderLoop.start(model, size, size, n)) {
            List<LocalPeers.Pair> pairs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LocalPeers.Pair p = peers.add(size, size, codec, bitrate);
                pairs.add(p);
                loop.attach("stage-" + i, avatar, new SyntheticSpeech(), p.tracks);
            }
            // why: encoder start, bandwidth estimation ramp and the first calls of a batch shape are not the steady state
            Thread.sleep(3000);
            long[] st0 = loop.stageTimes().snapshot();
            ModelTimings.Snapshot m0 = model.timings().snapshot();
            long ticks0 = loop.stats().ticks();
            long skipped0 = loop.stats().skipped();
            long[] recv0 = pairs.stream().mapToLong(p -> p.received.get()).toArray();
            Map<String, Long> cpu0 = ThreadCpu.snapshot();
            long proc0 = processCpu();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long wall = System.nanoTime() - t0;
            long proc1 = processCpu();
            Map<String, Long> cpu = ThreadCpu.delta(cpu0, ThreadCpu.snapshot());
            long[] st1 = loop.stageTimes().snapshot();
            ModelTimings.Snapshot m = model.timings().snapshot().minus(m0);
            long ticks = loop.stats().ticks() - ticks0;
            long skipped = loop.stats().skipped() - skipped0;
            double minFps = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                minFps = Math.min(minFps, (pairs.get(i).received.get() - recv0[i]) / (wall / 1e9));
            }
            String encoder = pairs.get(0).encoder();
            double perTick = Math.max(1, ticks);
            double tickMs = 0;
            for (int i = 0; i < st1.length; i++) {
                tickMs += (st1[i] - st0[i]) / 1e6 / perTick;
            }
            double wallTicks = wall / 40e6;
            Map<String, Double> c = new TreeMap<>();
            cpu.forEach((k, v) -> c.put(k.startsWith("other") ? "other" : k, c.getOrDefault(k.startsWith("other") ? "other" : k, 0.0)
                    + v / 1e6 / wallTicks));
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.2f | %.2f | %.1f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f"
                            + " | %.1f | %.1f | %.2f | %.1f | %d | %.1f | %s |%n",
                    n, tickMs,
                    ms(st0, st1, StageTimes.Stage.AUDIO, perTick),
                    m.feedNanos() / 1e6 / Math.max(1, m.calls()), m.runNanos() / 1e6 / Math.max(1, m.calls()),
                    m.fetchNanos() / 1e6 / Math.max(1, m.calls()),
                    ms(st0, st1, StageTimes.Stage.FRAME, perTick), ms(st0, st1, StageTimes.Stage.PUSH, perTick),
                    c.getOrDefault("render thread", 0.0), c.getOrDefault("tensorflow pool", 0.0), c.getOrDefault("encoder", 0.0),
                    c.getOrDefault("packetise/send", 0.0), c.getOrDefault("webrtc other", 0.0), c.getOrDefault("jvm (gc, jit)", 0.0),
                    c.getOrDefault("other", 0.0), c.getOrDefault("decoder (bench receiver)", 0.0),
                    (proc1 - proc0) / (double) wall, minFps, skipped, loadAverage(), encoder);
            if (Boolean.getBoolean("bench.threads")) {
                System.out.println("# threads: " + ThreadCpu.names());
                System.out.println("# cpu by group (ms per tick): " + c);
            }
        }
    }

    private static double ms(long[] a, long[] b, StageTimes.Stage s, double ticks) {
        return (b[s.ordinal()] - a[s.ordinal()]) / 1e6 / ticks;
    }

    /** One traced model call of {@code n} sessions, op time summed by op type and by name scope, largest first. */
    static void profile(AvatarModel model, PreparedImage avatar, int n, int reps) {
        short[] pcm = new short[1920];
        float[] a16 = new float[640];
        Map<String, Long> byOp = new TreeMap<>();
        Map<String, Long> byScope = new TreeMap<>();
        long total = 0;
        for (boolean i420 : new boolean[] {false, true}) {
            byOp.clear();
            byScope.clear();
            total = 0;
            try (ModelBatch in = new ModelBatch(model.patchSize(), n)) {
                in.wantI420(i420);
                for (int i = 0; i < n; i++) {
                    SyntheticSpeech.fill(i * 3L + 7, pcm);
                    for (int k = 0; k < 640; k++) {
                        a16[k] = (pcm[3 * k] + pcm[3 * k + 1] + pcm[3 * k + 2]) / (3f * 32768f);
                    }
                    in.add(avatar.patchRgb(), a16, 0, i * 0.37f, new float[8], avatar.faceVector());
                }
                model.run(in);
                for (int r = 0; r < reps; r++) {
                    for (AvatarModel.OpTime op : model.profile(in)) {
                        byOp.merge(op.op(), op.micros(), Long::sum);
                        String scope = op.node().contains("/") ? op.node().substring(0, op.node().indexOf('/')) : "(top)";
                        byScope.merge(scope, op.micros(), Long::sum);
                        total += op.micros();
                    }
                }
            }
            System.out.printf(Locale.ROOT, "# op time of one call fetching %s, %d sessions of %dx%d (patch %d), mean of %d traced calls:"
                            + " %.2f ms summed over ops, load %.2f%n", i420 ? "patch_i420 (graph synthesis)" : "the motion (native synthesis)",
                    n, avatar.width(), avatar.height(), model.patchSize(), reps, total / 1e3 / reps, loadAverage());
            print("op", byOp, total, reps);
            print("scope", byScope, total, reps);
        }
    }

    private static void print(String what, Map<String, Long> m, long total, int reps) {
        System.out.println("| " + what + " | ms | share |");
        System.out.println("|---|---|---|");
        m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(16).forEach(e ->
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.0f %% |%n", e.getKey(), e.getValue() / 1e3 / reps, 100.0 * e.getValue() / total));
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
