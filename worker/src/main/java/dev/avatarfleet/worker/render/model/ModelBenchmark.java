package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import org.tensorflow.types.TUint8;

/**
 * Times the model on a full batch of speaking sessions: what {@code POST /benchmark} reports.
 * Each iteration is one model call producing {@code batch} frames (I420, as the render loop fetches).
 */
public final class ModelBenchmark {

    /**
     * The seed's benchmark fields plus the device and frame size.
     *
     * @param iterations        model calls timed
     * @param framesPerGenerate frames each call produces (the batch size)
     * @param avgMs             mean wall time of one call
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
        float[] state = new float[ModelSignature.STATE_SIZE];
        float[] face = avatar.face().toArray();
        long total = 0;
        try (TUint8 images = ImageBatch.of(avatar.width(), avatar.height(), java.util.Collections.nCopies(batch, avatar.rgb()))) {
            for (int k = -2; k < iterations; k++) {
                BatchInput in = BatchInput.allocate(batch);
                for (int i = 0; i < batch; i++) {
                    SyntheticSpeech.fill(Math.max(0, k) * 7L + i, pcm);
                    Downsampler.to16k(pcm, a16, 0);
                    in.set(i, a16, Math.max(0, k) * 0.04f + i, state, face);
                }
                long t0 = System.nanoTime();
                model.run(images, in, false);
                if (k >= 0) {
                    total += System.nanoTime() - t0;
                }
            }
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
