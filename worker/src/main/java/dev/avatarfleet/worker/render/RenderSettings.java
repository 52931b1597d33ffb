package dev.avatarfleet.worker.render;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import java.nio.file.Path;
import java.util.List;

/**
 * The renderer's settings, read from the environment; each is declared once, below, as a {@link Setting}.
 *
 * @param modelDir       {@link #MODEL_DIR}
 * @param width          {@link #VIDEO_WIDTH}
 * @param height         {@link #VIDEO_HEIGHT}
 * @param batchSize      the worker's {@link WorkerSettings#MAX_SESSIONS}: the batch of every model call; /benchmark measures it
 * @param intraOpThreads {@link #TF_INTRA_OP_THREADS}
 * @param avatarCache    {@link #AVATAR_CACHE_SIZE}
 * @param faceDetection  {@link #FACE_DETECTION}
 * @param imageLimits    {@link ImageLimits#SETTINGS}
 * @param capacityFromCost {@link #CAPACITY_FROM_COST}
 */
public record RenderSettings(Path modelDir, int width, int height, int batchSize, int intraOpThreads, int avatarCache,
                             boolean faceDetection, ImageLimits imageLimits, boolean capacityFromCost) {

    public static final Setting<Path> MODEL_DIR = Setting.path("MODEL_DIR")
            .readBy(Node.WORKER).documentedDefault("`${java.io.tmpdir}/avatar-fleet-model`")
            .means("the avatar SavedModel: built there when empty, used when it holds one with the same signature, refused at"
                    + " start otherwise ([docs/renderer.md](docs/renderer.md))");
    public static final Setting<Integer> VIDEO_WIDTH = Setting.integer("VIDEO_WIDTH", 512, 64, 1920)
            .readBy(Node.WORKER).documentedAllowed("even, 64..1920").means("the avatar video width");
    public static final Setting<Integer> VIDEO_HEIGHT = Setting.integer("VIDEO_HEIGHT", 512, 64, 1920)
            .readBy(Node.WORKER).documentedAllowed("even, 64..1920").means("the avatar video height");
    public static final Setting<Integer> TF_INTRA_OP_THREADS = Setting.integer("TF_INTRA_OP_THREADS", 0, 0, 256)
            .readBy(Node.WORKER).documentedDefault("`0` (all cores)").means("TensorFlow's intra-op threads");
    public static final Setting<Integer> AVATAR_CACHE_SIZE = Setting.integer("AVATAR_CACHE_SIZE", 64, 1, 10_000)
            .readBy(Node.WORKER).means("prepared avatars kept in memory, by image hash");
    public static final Setting<Boolean> FACE_DETECTION = Setting.bool("FACE_DETECTION", true)
            .readBy(Node.WORKER)
            .means("find the main face and its landmarks (face-api's detector and 68-point net, [docs/landmarks.md](docs/landmarks.md)),"
                    + " OpenCV's Haar cascade as the fallback; `false`: a centred crop. A fallback puts a `warnings` entry on the task");
    public static final Setting<String> CUDA_VISIBLE_DEVICES = Setting.external("CUDA_VISIBLE_DEVICES", "CUDA")
            .readBy(Node.WORKER).documentedDefault("all GPUs")
            .means("with the `-Pgpu` build: the GPUs TensorFlow may use (read by CUDA itself); TensorFlow grows its GPU memory"
                    + " as needed (`allow_growth`), so `PYTORCH_CUDA_ALLOC_CONF` of the seed has no counterpart");

    public static final Setting<Boolean> CAPACITY_FROM_COST = Setting.bool("CAPACITY_FROM_COST", true)
            .readBy(Node.WORKER)
            .means("offer only the sessions this worker can carry at 25 FPS, from what a speaking session measurably costs it"
                    + " (render, push and encoder time per tick; never more than `MAX_SESSIONS`, at least 1): `/ready`, the"
                    + " heartbeat and the claims use it. `false`: always offer `MAX_SESSIONS`");

    /** Every setting of this record, in the README's order (the image limits are {@link ImageLimits#SETTINGS}). */
    public static final List<Setting<?>> SETTINGS = List.of(MODEL_DIR, VIDEO_WIDTH, VIDEO_HEIGHT, TF_INTRA_OP_THREADS,
            AVATAR_CACHE_SIZE, CUDA_VISIBLE_DEVICES, FACE_DETECTION, CAPACITY_FROM_COST);

    public RenderSettings {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("VIDEO_WIDTH and VIDEO_HEIGHT must be even (I420 halves them), got "
                    + width + "x" + height);
        }
    }

    /** P for the default model: the side of the head region it renders ({@link PatchRegion#defaultSize}). */
    public int patchSize() {
        return PatchRegion.defaultSize(width, height);
    }

    /** The same settings rendering batches of {@code size} sessions. */
    public RenderSettings withBatchSize(int size) {
        return new RenderSettings(modelDir, width, height, size, intraOpThreads, avatarCache, faceDetection, imageLimits,
                capacityFromCost);
    }

    /**
     * Reads the settings.
     *
     * @param batchSize the worker's {@code MAX_SESSIONS} ({@link WorkerSettings#maxSessions()}), read once, there
     * @throws IllegalArgumentException naming the setting and the allowed values
     */
    public static RenderSettings fromEnvironment(Env env, int batchSize) {
        return new RenderSettings(env.get(MODEL_DIR, Path.of(System.getProperty("java.io.tmpdir"), "avatar-fleet-model").toString()),
                env.get(VIDEO_WIDTH),
                env.get(VIDEO_HEIGHT),
                batchSize,
                env.get(TF_INTRA_OP_THREADS),
                env.get(AVATAR_CACHE_SIZE),
                env.get(FACE_DETECTION),
                ImageLimits.fromEnvironment(env),
                env.get(CAPACITY_FROM_COST));
    }
}
