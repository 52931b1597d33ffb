package dev.avatarfleet.worker.render;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.image.ImageLimits;
import java.nio.file.Path;
import java.util.Map;

/**
 * The renderer's settings, read from the environment.
 *
 * @param modelDir       {@code MODEL_DIR}: the SavedModel folder; the default model is written there when it is empty
 *                       (default {@code ${java.io.tmpdir}/avatar-fleet-model})
 * @param width          {@code VIDEO_WIDTH}: frame width, even, 64..1920 (default 512)
 * @param height         {@code VIDEO_HEIGHT}: frame height, even, 64..1920 (default 512)
 * @param batchSize      {@code MAX_SESSIONS}: the batch the worker is configured for (default 8); /benchmark measures it
 * @param intraOpThreads {@code TF_INTRA_OP_THREADS}: TensorFlow's intra-op threads, 0 = all cores (default 0)
 * @param avatarCache    {@code AVATAR_CACHE_SIZE}: prepared avatars kept in memory (default 64)
 * @param faceDetection  {@code FACE_DETECTION}: use the OpenCV face detector (default true)
 * @param imageLimits    {@code IMAGE_MAX_BYTES}, {@code IMAGE_MAX_PIXELS}, {@code IMAGE_MAX_SIDE}
 */
public record RenderSettings(Path modelDir, int width, int height, int batchSize, int intraOpThreads, int avatarCache,
                             boolean faceDetection, ImageLimits imageLimits) {

    public RenderSettings {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("VIDEO_WIDTH and VIDEO_HEIGHT must be even (I420 halves them), got "
                    + width + "x" + height);
        }
    }

    /** The same settings rendering batches of {@code size} sessions. */
    public RenderSettings withBatchSize(int size) {
        return new RenderSettings(modelDir, width, height, size, intraOpThreads, avatarCache, faceDetection, imageLimits);
    }

    /** The defaults, with the model in {@code modelDir}. */
    public static RenderSettings defaults(Path modelDir) {
        return fromEnvironment(Map.of("MODEL_DIR", modelDir.toString()));
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming the setting and the allowed values
     */
    public static RenderSettings fromEnvironment(Map<String, String> vars) {
        Env env = new Env(vars);
        String dir = env.raw("MODEL_DIR");
        Path modelDir = dir == null ? Path.of(System.getProperty("java.io.tmpdir"), "avatar-fleet-model") : Path.of(dir);
        return new RenderSettings(modelDir,
                env.integer("VIDEO_WIDTH", 512, 64, 1920),
                env.integer("VIDEO_HEIGHT", 512, 64, 1920),
                env.integer("MAX_SESSIONS", 8, 1, 1024),
                env.integer("TF_INTRA_OP_THREADS", 0, 0, 256),
                env.integer("AVATAR_CACHE_SIZE", 64, 1, 10_000),
                env.bool("FACE_DETECTION", true),
                ImageLimits.fromEnvironment(vars));
    }
}
