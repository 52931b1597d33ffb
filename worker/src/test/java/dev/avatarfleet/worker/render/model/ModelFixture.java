package dev.avatarfleet.worker.render.model;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.types.TUint8;

/** One default model per test JVM (building it costs seconds), plus helpers to run it. */
public final class ModelFixture {

    private static AvatarModel model;

    private ModelFixture() {
    }

    public static synchronized AvatarModel model() {
        if (model == null) {
            try {
                Path dir = Files.createTempDirectory("avatar-model");
                model = AvatarModel.open(dir, 2);
                Runtime.getRuntime().addShutdownHook(new Thread(model::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    public static PreparedImage defaultAvatar(int w, int h) {
        return new FaceCropPreparer(new ImageDecoder(ImageLimits.DEFAULTS), null, w, h, 4).prepare(null);
    }

    public static TUint8 images(PreparedImage... avatars) {
        return ImageBatch.of(avatars[0].width(), avatars[0].height(), java.util.Arrays.stream(avatars).map(PreparedImage::rgb).toList());
    }

    /** Mean luma of an RGB frame over a box given in fractions of the frame. */
    public static double meanLuma(byte[] rgb, int w, int h, double x0, double y0, double x1, double y1) {
        double sum = 0;
        int n = 0;
        for (int y = (int) (y0 * h); y < (int) Math.ceil(y1 * h); y++) {
            for (int x = (int) (x0 * w); x < (int) Math.ceil(x1 * w); x++) {
                int i = 3 * (y * w + x);
                sum += 0.299 * (rgb[i] & 0xFF) + 0.587 * (rgb[i + 1] & 0xFF) + 0.114 * (rgb[i + 2] & 0xFF);
                n++;
            }
        }
        return sum / n;
    }
}
