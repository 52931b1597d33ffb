package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the model on a full batch of speaking sessions: what {@code POST /benchmark} reports. Each iteration is one
 * model call for {@code batch} sessions and each session's patch made ready (natively synthesised when the model
 * exports its motion, as the render loop does): the render cost of one tick, before composition and encoding.
 */
public final class ModelBenchmark {

    /**
     * The seed's benchmark fields plus the device and frame size.
     *
     * @param iterations        model calls timed
     * @param framesPerGenerate frames each call produces (the batch size)
     * @param avgMs             mean wall time of one call with its patches
     * @param fps               frames per second one worker produces at that rate
     * @param vramGb            GPU memory held by this process (0 on the CPU)
     * @param gpu               the GPU's name, or "cpu"
     * @param device            where the model ran, e.g. "CPU" or "GPU:0 (NVIDIA H100 80GB HBM3)"
     * @param width             frame width
     * @param height            frame height
     */
    public record Result(int iterations, int framesPerGenerate, double avgMs, double fps, double vramGb, String gpu,
                         String device, int width, int height) {
    }

    private ModelBenchmark() {
    }

    /** Warms up (2 calls), then times {@code iterations} calls of {@code batch} sessions of the avatar. */
    public static Result run(AvatarModel model, PreparedImage avatar, int batch, int iterations) {
        short[] pcm = new short[AudioFeed.SAMPLES_PER_TICK];
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        float[] state = new float[ModelSignature.V2_STATE_SIZE];
        int p = model.patchSize();
        byte[] patch = new byte[p * p * 3 / 2];
        long total = 0;
        List<NativeSynthesis> synths = new ArrayList<>();
        try (ModelBatch rows = new ModelBatch(p, batch)) {
            for (int i = 0; i < batch && model.exportsMotion(); i++) {
                synths.add(new NativeSynthesis(p));
            }
            for (int k = -2; k < iterations; k++) {
                rows.clear();
                for (int i = 0; i < batch; i++) {
                    SyntheticSpeech.fill(Math.max(0, k) * 7L + i, pcm);
                    Downsampler.to16k(pcm, a16, 0);
                    rows.add(avatar.patchRgb(), a16, 0, RenderClock.seconds(Math.max(0, k) + 25L * i), state, avatar.faceVector());
                }
                long t0 = System.nanoTime();
                model.run(rows);
                for (int i = 0; i < batch; i++) {
                    if (rows.hasMotion()) {
                        synths.get(i).render(rows, i, patch, 0);
                    } else {
                        rows.i420(i, patch, 0);
                    }
                }
                if (k >= 0) {
                    total += System.nanoTime() - t0;
                }
            }
        } finally {
            synths.forEach(NativeSynthesis::close);
        }
        double avg = total / 1e6 / iterations;
        ComputeDevice d = model.device();
        return new Result(iterations, batch, round(avg), round(batch * 1000.0 / avg), round(d.vramGb()), d.name(),
                d.description(), avatar.width(), avatar.height());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
