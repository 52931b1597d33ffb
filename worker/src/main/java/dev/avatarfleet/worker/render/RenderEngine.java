package dev.avatarfleet.worker.render;

import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.face.WeightFiles;
import dev.avatarfleet.worker.render.avatar.AvatarPreparer;
import dev.avatarfleet.worker.render.avatar.FaceCropPreparer;
import dev.avatarfleet.worker.render.avatar.FaceDetector;
import dev.avatarfleet.worker.render.avatar.HaarFaceDetector;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.http.RenderHttpService;
import dev.avatarfleet.worker.render.loop.BatchRenderLoop;
import dev.avatarfleet.worker.render.loop.CostCapacity;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.ModelBenchmark;
import dev.avatarfleet.worker.render.model.ModelSignatureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a worker renders with, started in order: the model (built into an empty
 * {@code MODEL_DIR}, loaded, checked, warmed at the configured batch size), the avatar preparer
 * (with the face landmarker and, as its fallback, the OpenCV face detector), the one render loop, and the HTTP service for /benchmark and
 * /test-frame. WorkerMain starts one and closes it at shutdown.
 *
 * <p>Example: {@code try (RenderEngine e = RenderEngine.start(RenderSettings.fromEnvironment(env, worker.maxSessions()))) {...}}
 */
public final class RenderEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RenderEngine.class);
    /** TensorFlow threads of the face landmarker: on a loaded host one or two are as fast as all cores. */
    private static final int LANDMARK_THREADS = 2;

    private final RenderSettings settings;
    private final AvatarModel model;
    private final FaceLandmarker landmarker;
    private final FaceCropPreparer preparer;
    private final BatchRenderLoop loop;
    private final CostCapacity capacity;

    private RenderEngine(RenderSettings settings, AvatarModel model, FaceLandmarker landmarker, FaceCropPreparer preparer,
                         BatchRenderLoop loop, CostCapacity capacity) {
        this.settings = settings;
        this.model = model;
        this.landmarker = landmarker;
        this.preparer = preparer;
        this.loop = loop;
        this.capacity = capacity;
    }

    /**
     * Loads and warms the model and starts the render loop.
     *
     * @throws ModelSignatureException when MODEL_DIR holds an unusable model (the worker must not start)
     */
    public static RenderEngine start(RenderSettings settings) {
        AvatarModel model = AvatarModel.open(settings.modelDir(), settings.patchSize(), settings.intraOpThreads());
        FaceLandmarker landmarker = null;
        try {
            landmarker = settings.faceDetection() ? loadLandmarker(settings) : null;
            boolean landmarks = landmarker != null;
            FaceDetector detector = null;
            if (settings.faceDetection()) {
                try {
                    detector = new HaarFaceDetector();
                } catch (RuntimeException | LinkageError e) {
                    // why: without the detector avatars still render (centred crop + warning); say so once, loudly
                    LOG.warn("the OpenCV face detector is unavailable; avatars the landmarker misses get a centred crop", e);
                }
            }
            // why: the patch side is the model's (a foreign model may fix its own)
            FaceCropPreparer preparer = new FaceCropPreparer(new ImageDecoder(settings.imageLimits()), landmarker, detector,
                    settings.width(), settings.height(), model.patchSize(), settings.avatarCache());
            // why: the first call per input shape costs up to ~200 ms; pay it for every batch size the loop can
            // see (1..MAX_SESSIONS) before a session joins, or each join would cost a late tick
            PreparedImage avatar = preparer.prepare(null);
            // why: an uploaded image takes the decoder and landmarker path the default avatar skips; the landmarker's
            // first run (TensorFlow optimising its graph, ~1-3 s) is paid here, not by the first session
            long prep0 = System.nanoTime();
            preparer.warmUp();
            LOG.atInfo().log(() -> "avatar preparer warm (" + (landmarks ? "landmarker" : "no landmarker") + ") in "
                    + (System.nanoTime() - prep0) / 1_000_000 + " ms");
            for (int b = 1; b < settings.batchSize(); b++) {
                ModelBenchmark.run(model, avatar, b, 1);
            }
            ModelBenchmark.Result warm = ModelBenchmark.run(model, avatar, settings.batchSize(), 3);
            LOG.atInfo().log(() -> "avatar model warm on " + warm.device() + ": " + warm.framesPerGenerate() + " frames of "
                    + settings.width() + "x" + settings.height() + " per call in " + warm.avgMs() + " ms");
            BatchRenderLoop loop = BatchRenderLoop.start(model, settings.width(), settings.height(), settings.batchSize());
            // why: until the loop has measured a speaking session, the warm-up's cost per session stands in
            CostCapacity capacity = new CostCapacity(loop, settings.batchSize(), settings.width(), settings.height(),
                    warm.avgMs() / warm.framesPerGenerate());
            return new RenderEngine(settings, model, landmarker, preparer, loop, capacity);
        } catch (RuntimeException | Error e) {
            if (landmarker != null) {
                landmarker.close();
            }
            model.close();
            throw e;
        }
    }

    /**
     * The face landmarker, on at most 2 TensorFlow threads (it runs beside the render loop, once per new image), or
     * null when its models cannot be loaded (avatars then fall back to the Haar cascade, with a warning).
     */
    private static FaceLandmarker loadLandmarker(RenderSettings settings) {
        int threads = settings.intraOpThreads() == 0 ? LANDMARK_THREADS : Math.min(LANDMARK_THREADS, settings.intraOpThreads());
        try {
            long t0 = System.nanoTime();
            FaceLandmarker l = FaceLandmarker.load(WeightFiles.classpath(), threads);
            LOG.atInfo().log(() -> "face landmarker loaded (" + l.weightBytes() / 1024 + " KiB of weights, " + threads + " threads) in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return l;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("the face landmarker is unavailable; avatars are placed by the Haar cascade", e);
            return null;
        }
    }

    public RenderSettings settings() {
        return settings;
    }

    public AvatarModel model() {
        return model;
    }

    public AvatarPreparer preparer() {
        return preparer;
    }

    public BatchRenderLoop renderer() {
        return loop;
    }

    /** The sessions this engine can carry at 25 FPS, from what a session costs it (never above the batch size). */
    public CostCapacity capacity() {
        return capacity;
    }

    /** The /benchmark and /test-frame routes. */
    public RenderHttpService httpService() {
        return new RenderHttpService(model, preparer, settings.batchSize(), settings.imageLimits().maxBytes());
    }

    @Override
    public void close() {
        loop.close();
        if (loop.stopped()) {
            model.close();
            if (landmarker != null) {
                landmarker.close();
            }
        } else {
            // why: closing the native session under a running call would crash the JVM; leaking it at shutdown does not
            LOG.error("render loop still running; the model is left open");
        }
    }
}
