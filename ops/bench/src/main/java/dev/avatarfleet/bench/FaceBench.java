package dev.avatarfleet.bench;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.face.WeightFiles;
import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.RenderSettings;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.HaarFaceDetector;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.Downsampler;
import dev.avatarfleet.worker.render.model.LegacyFaceMotion;
import dev.avatarfleet.worker.render.model.ModelBatch;
import dev.avatarfleet.worker.render.model.ModelSignature;
import dev.avatarfleet.worker.render.model.NativeSynthesis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The landmark work's costs, beside what they replace (ops/bench/run prepare|motion). Modes:
 * <ul>
 *   <li>{@code prepare SIZE REPS}: preparing an avatar from the npm package's six demo photos (1920 px, 3-5 people):
 *       the Haar cascade alone (main's) against the face landmarker with the Haar fallback, cold (the detector or
 *       landmarker loaded, then the first photo) and warm (median of REPS preparations of each photo, a fresh cache each
 *       time); and the time to a new avatar's first frame (prepare, one model call, the native synthesis, composition).</li>
 *   <li>{@code motion SIZE N REPS}: the per-tick cost of N speaking sessions (one model call and the native synthesis of
 *       each row, as the render loop does) with the default model ({@code LandmarkFaceMotion}) and with the same
 *       synthesis around {@link LegacyFaceMotion}, two models in one process, interleaved.</li>
 * </ul>
 */
final class FaceBench {

    static final Path PHOTOS = Path.of("ops/face-models/node_modules/@vladmandic/face-api/demo");

    private FaceBench() {
    }

    static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[1]);
        int threads = Env.system().get(RenderSettings.TF_INTRA_OP_THREADS);
        switch (args[0]) {
            case "prepare" -> prepare(size, Integer.parseInt(args[2]), threads);
            case "motion" -> motion(size, Integer.parseInt(args[2]), Integer.parseInt(args[3]), threads);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void prepare(int size, int reps, int threads) throws Exception {
        List<byte[]> photos = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            photos.add(Files.readAllBytes(PHOTOS.resolve("sample" + i + ".jpg")));
        }
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);
        int p = PatchRegion.defaultSize(size, size);
        try (AvatarModel model = AvatarModel.open(Files.createTempDirectory("bench-model"), p, threads)) {
            System.out.printf(Locale.ROOT, "device %s, %dx%d, patch %d, %d cores, TF threads %d, load average %.2f%n",
                    model.device().description(), size, size, p, Runtime.getRuntime().availableProcessors(), threads, load());
            // today's: the Haar cascade alone
            long t0 = System.nanoTime();
            HaarFaceDetector haar = new HaarFaceDetector();
            long t1 = System.nanoTime();
            new FaceCropPreparer(decoder, null, haar, size, size, p, 1).prepare(photos.get(0));
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "haar cold: detector loaded in %.0f ms, first photo prepared in %.0f ms, load %.2f%n",
                    ms(t1 - t0), ms(t2 - t1), load());
            double[] haarWarm = warm(photos, reps, () -> new FaceCropPreparer(decoder, null, haar, size, size, p, 1));
            // the landmarker, with the Haar fallback, as the worker wires it (2 threads)
            long l0 = System.nanoTime();
            try (FaceLandmarker landmarker = FaceLandmarker.load(WeightFiles.classpath(), Math.min(2, threads == 0 ? 2 : threads))) {
                long l1 = System.nanoTime();
                new FaceCropPreparer(decoder, landmarker, haar, size, size, p, 1).prepare(photos.get(0));
                long l2 = System.nanoTime();
                System.out.printf(Locale.ROOT, "landmarks cold: models loaded in %.0f ms, first photo prepared in %.0f ms (TensorFlow optimises"
                        + " the graph on its first run; the worker pays this at warm-up), load %.2f%n", ms(l1 - l0), ms(l2 - l1), load());
                double[] lmWarm = warm(photos, reps, () -> new FaceCropPreparer(decoder, landmarker, haar, size, size, p, 1));
                for (int i = 0; i < photos.size(); i++) {
                    System.out.printf(Locale.ROOT, "sample%d.jpg warm median: haar %.0f ms, landmarks %.0f ms%n", i + 1, haarWarm[i], lmWarm[i]);
                }
                System.out.printf(Locale.ROOT, "RESULT prepare %dx%d warm, median over photos: haar %.0f ms (%.0f-%.0f), landmarks %.0f ms (%.0f-%.0f),"
                                + " load %.2f%n", size, size, median(haarWarm), min(haarWarm), max(haarWarm), median(lmWarm), min(lmWarm), max(lmWarm),
                        load());
                double[] haarFirst = firstFrame(photos, reps, model, () -> new FaceCropPreparer(decoder, null, haar, size, size, p, 1));
                double[] lmFirst = firstFrame(photos, reps, model, () -> new FaceCropPreparer(decoder, landmarker, haar, size, size, p, 1));
                System.out.printf(Locale.ROOT, "RESULT time to first frame %dx%d (image bytes to the first composed I420 frame), median over"
                        + " photos: haar %.0f ms, landmarks %.0f ms, load %.2f%n", size, size, median(haarFirst), median(lmFirst), load());
            }
        }
    }

    /** Per photo, the median of {@code reps} preparations (a fresh cache each time, the detectors warm). */
    private static double[] warm(List<byte[]> photos, int reps, java.util.function.Supplier<FaceCropPreparer> fresh) {
        double[] out = new double[photos.size()];
        for (int i = 0; i < photos.size(); i++) {
            double[] t = new double[reps];
            for (int r = 0; r < reps; r++) {
                FaceCropPreparer prep = fresh.get();
                long t0 = System.nanoTime();
                prep.prepare(photos.get(i));
                t[r] = ms(System.nanoTime() - t0);
            }
            out[i] = median(t);
        }
        return out;
    }

    private static double[] firstFrame(List<byte[]> photos, int reps, AvatarModel model, java.util.function.Supplier<FaceCropPreparer> fresh) {
        int p = model.patchSize();
        double[] out = new double[photos.size()];
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        short[] pcm = new short[1920];
        SyntheticSpeech.fill(3, pcm);
        Downsampler.to16k(pcm, a16, 0);
        byte[] patch = new byte[p * p * 3 / 2];
        try (ModelBatch batch = new ModelBatch(p, 1); NativeSynthesis synth = new NativeSynthesis(p)) {
            for (int i = 0; i < photos.size(); i++) {
                double[] t = new double[reps];
                for (int r = 0; r < reps; r++) {
                    FaceCropPreparer prep = fresh.get();
                    long t0 = System.nanoTime();
                    PreparedImage avatar = prep.prepare(photos.get(i));
                    batch.clear();
                    batch.add(avatar.patchRgb(), a16, 0, 0f, new float[ModelSignature.V2_STATE_SIZE], avatar.faceVector());
                    model.run(batch);
                    if (batch.hasMotion()) {
                        synth.render(batch, 0, patch, 0);
                    } else {
                        batch.i420(0, patch, 0);
                    }
                    byte[] frame = avatar.i420().clone();
                    PatchRegion at = avatar.patch();
                    for (int row = 0; row < p; row++) {
                        System.arraycopy(patch, row * p, frame, (at.y() + row) * avatar.width() + at.x(), p);
                    }
                    t[r] = ms(System.nanoTime() - t0);
                }
                out[i] = median(t);
            }
        }
        return out;
    }

    private static void motion(int size, int n, int reps, int threads) throws Exception {
        int p = PatchRegion.defaultSize(size, size);
        try (AvatarModel landmark = AvatarModel.open(Files.createTempDirectory("bench-landmark"), p, threads);
             AvatarModel legacy = AvatarModel.open(Files.createTempDirectory("bench-legacy"), p, threads, new LegacyFaceMotion());
             ModelBatch a = new ModelBatch(p, n);
             ModelBatch b = new ModelBatch(p, n);
             NativeSynthesis synth = new NativeSynthesis(p)) {
            PreparedImage avatar = new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), null, size, size, p, 1).prepare(null);
            System.out.printf(Locale.ROOT, "device %s, %dx%d, patch %d, %d sessions, %d cores, TF threads %d, load average %.2f%n",
                    landmark.device().description(), size, size, p, n, Runtime.getRuntime().availableProcessors(), threads, load());
            short[] pcm = new short[1920];
            float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
            byte[] out = new byte[p * p * 3 / 2];
            double[][] model = new double[2][reps];
            double[][] total = new double[2][reps];
            for (int r = -5; r < reps; r++) {
                for (int v = 0; v < 2; v++) {
                    // why: alternating which goes first, so neither always meets the other's cache state
                    int which = (r & 1) == 0 ? v : 1 - v;
                    AvatarModel m = which == 0 ? landmark : legacy;
                    ModelBatch batch = which == 0 ? a : b;
                    batch.clear();
                    for (int i = 0; i < n; i++) {
                        SyntheticSpeech.fill(Math.max(0, r) * 3L + i * 17L, pcm);
                        Downsampler.to16k(pcm, a16, 0);
                        batch.add(avatar.patchRgb(), a16, 0, Math.max(0, r) * 0.04f + i * 0.37f, new float[ModelSignature.V2_STATE_SIZE],
                                avatar.faceVector());
                    }
                    long t0 = System.nanoTime();
                    m.run(batch);
                    long t1 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        if (batch.hasMotion()) {
                            synth.render(batch, i, out, 0);
                        } else {
                            batch.i420(i, out, 0);
                        }
                    }
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        model[which][r] = ms(t1 - t0);
                        total[which][r] = ms(t2 - t0);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "RESULT motion %dx%d patch %d N=%d, per tick (model call + native synthesis), median of %d:"
                            + " landmark %.2f ms (model %.2f), legacy %.2f ms (model %.2f), landmark/legacy %.3f (model %.3f), load %.2f%n",
                    size, size, p, n, reps, median(total[0]), median(model[0]), median(total[1]), median(model[1]),
                    median(total[0]) / median(total[1]), median(model[0]) / median(model[1]), load());
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
