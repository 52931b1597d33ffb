package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** One default model per patch size per test JVM (building one costs seconds), plus helpers to run it. */
public final class ModelFixture {

    private static final Map<Integer, AvatarModel> MODELS = new HashMap<>();

    private ModelFixture() {
    }

    /** The default model for a video of this size (its default patch side). */
    public static AvatarModel model(int width, int height) {
        return modelForPatch(PatchRegion.defaultSize(width, height));
    }

    public static synchronized AvatarModel modelForPatch(int patchSize) {
        return MODELS.computeIfAbsent(patchSize, p -> {
            try {
                Path dir = Files.createTempDirectory("avatar-model");
                AvatarModel m = AvatarModel.open(dir, p, 2);
                Runtime.getRuntime().addShutdownHook(new Thread(m::close));
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static PreparedImage defaultAvatar(int w, int h) {
        return new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), null, w, h, 4).prepare(null);
    }

    /**
     * Renders one session tick by tick as the loop does (model, then the native synthesis, or the model's own I420
     * when {@code graph}); returns each tick's patch I420.
     */
    public static List<byte[]> patches(AvatarModel model, PreparedImage avatar, int ticks, LongFunction<short[]> audio, boolean graph) {
        List<byte[]> out = new ArrayList<>();
        int p = model.patchSize();
        float[] state = new float[ModelSignature.V2_STATE_SIZE];
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        try (ModelBatch batch = new ModelBatch(p, 1); NativeSynthesis synth = new NativeSynthesis(p)) {
            batch.wantI420(graph);
            for (int k = 0; k < ticks; k++) {
                batch.clear();
                Downsampler.to16k(audio.apply(k), a16, 0);
                batch.add(avatar.patchRgb(), a16, 0, RenderClock.seconds(k), state, avatar.faceVector());
                model.run(batch);
                batch.nextState(0, state);
                byte[] i420 = new byte[p * p * 3 / 2];
                if (batch.hasMotion()) {
                    synth.render(batch, 0, i420, 0);
                } else {
                    batch.i420(0, i420, 0);
                }
                out.add(i420);
            }
        }
        return out;
    }

    /** Mean of a plane (luma of a P x P patch, say) over a box given in fractions of its side. */
    public static double meanOf(byte[] plane, int side, double x0, double y0, double x1, double y1) {
        double sum = 0;
        int n = 0;
        for (int y = (int) (y0 * side); y < (int) Math.ceil(y1 * side); y++) {
            for (int x = (int) (x0 * side); x < (int) Math.ceil(x1 * side); x++) {
                sum += plane[y * side + x] & 0xFF;
                n++;
            }
        }
        return sum / n;
    }

    /** Mean and largest absolute difference of two byte arrays over their first {@code n} values. */
    public static double[] difference(byte[] a, byte[] b, int n) {
        long sum = 0;
        int max = 0;
        for (int i = 0; i < n; i++) {
            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
        }
        return new double[] {sum / (double) n, max};
    }
}
