package dev.avatarfleet.worker.render.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.RunOptions;

/**
 * The loaded avatar model: a SavedModel with the {@link ModelSignature} ({@value ModelSignature#V2_KEY}), run one
 * batch per call. {@link #open} writes the default model into an empty {@code MODEL_DIR} first (and rebuilds one it
 * wrote itself for another patch size or an older signature), loads whatever is there, and refuses a model whose
 * signature differs (the worker does not start).
 *
 * <p>Inputs come from a {@link ModelBatch} whose tensors are reused across calls; every output tensor is closed before
 * {@link #run} returns, so native memory stays flat.
 */
public final class AvatarModel implements BatchModel, AutoCloseable {

    /** The file the worker writes beside a model it built, so a later start knows it may rebuild it. */
    static final String MARKER = "avatar-fleet-default-model.properties";

    /** The motion the default model is built with: the face's own landmarks ({@link LandmarkFaceMotion}). */
    public static final FaceMotion DEFAULT_MOTION = new LandmarkFaceMotion();

    private static final Logger LOG = LoggerFactory.getLogger(AvatarModel.class);

    private final SavedModelBundle bundle;
    private final Map<String, String> feeds;
    private final Map<String, String> fetches;
    private final ComputeDevice device;
    private final boolean builtIn;
    private final int patchSize;
    private final boolean exportsMotion;
    private final ModelTimings timings = new ModelTimings();

    private AvatarModel(SavedModelBundle bundle, ModelSignature.Checked sig, int patchSize, ComputeDevice device, boolean builtIn) {
        this.bundle = bundle;
        this.device = device;
        this.builtIn = builtIn;
        this.patchSize = patchSize;
        this.exportsMotion = sig.exportsMotion();
        this.feeds = names(sig.signature().getInputs());
        this.fetches = names(sig.signature().getOutputs());
    }

    /**
     * Opens the model in {@code dir}, writing the default model there first when the folder is absent or empty.
     *
     * @param patchSize      P for the default model, and for a loaded model that leaves its patch side open
     * @param intraOpThreads TensorFlow's intra-op threads (0 = TensorFlow's choice)
     * @throws ModelSignatureException when the folder holds something that is not a usable avatar model
     */
    public static AvatarModel open(Path dir, int patchSize, int intraOpThreads) {
        return open(dir, patchSize, intraOpThreads, DEFAULT_MOTION);
    }

    /**
     * {@link #open(Path, int, int)} with the default model built around {@code motion} (benchmarks compare motions;
     * the worker uses {@link #DEFAULT_MOTION}).
     */
    public static AvatarModel open(Path dir, int patchSize, int intraOpThreads, FaceMotion motion) {
        boolean builtIn = false;
        if (isEmpty(dir) || rebuildable(dir, patchSize, motion)) {
            build(dir, patchSize, motion);
            builtIn = true;
        } else if (!Files.isRegularFile(dir.resolve("saved_model.pb")) && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
            throw new ModelSignatureException("MODEL_DIR " + dir + " is not empty but holds no saved_model.pb: "
                    + "point MODEL_DIR at a TensorFlow SavedModel or at an empty folder");
        }
        ComputeDevice device = ComputeDevice.detect();
        SavedModelBundle bundle = load(dir, intraOpThreads);
        try {
            ModelSignature.Checked sig;
            try {
                sig = ModelSignature.check(bundle, "MODEL_DIR " + dir);
            } catch (ModelSignatureException e) {
                if (builtIn || !isFirstDefault(bundle)) {
                    throw e;
                }
                // why: the default model an earlier worker built here (first signature, no marker): ours to replace
                bundle.close();
                LOG.info("MODEL_DIR {} holds the default model of an earlier worker (signature '{}'); rebuilding it as '{}'",
                        dir, ModelSignature.V1_KEY, ModelSignature.V2_KEY);
                build(dir, patchSize, motion);
                builtIn = true;
                bundle = load(dir, intraOpThreads);
                sig = ModelSignature.check(bundle, "MODEL_DIR " + dir);
            }
            int p = sig.patchSize() > 0 ? sig.patchSize() : patchSize;
            AvatarModel model = new AvatarModel(bundle, sig, p, device, builtIn);
            LOG.atInfo().log(() -> "avatar model " + (model.builtIn ? "(built-in)" : "(from MODEL_DIR)") + " loaded from " + dir
                    + ": patch " + p + "x" + p + (model.exportsMotion ? ", motion exported (native synthesis)" : ", I420 from the model")
                    + "; it runs on " + device.description());
            return model;
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private static void build(Path dir, int patchSize, FaceMotion motion) {
        long t0 = System.nanoTime();
        try {
            if (Files.exists(dir)) {
                deleteModelFiles(dir);
            }
            Files.createDirectories(dir);
            DefaultAvatarGraph.export(dir, patchSize, motion);
            Properties marker = new Properties();
            marker.setProperty("signature", ModelSignature.V2_KEY);
            marker.setProperty("patch_size", Integer.toString(patchSize));
            marker.setProperty("motion", motion.getClass().getSimpleName());
            try (var out = Files.newBufferedWriter(dir.resolve(MARKER), StandardCharsets.UTF_8)) {
                marker.store(out, "written by the avatar-fleet worker beside the default model it built; delete the folder's"
                        + " content to have it rebuilt");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("MODEL_DIR " + dir + " cannot be written", e);
        }
        LOG.atInfo().log(() -> "built the default avatar model (patch " + patchSize + ", " + motion.getClass().getSimpleName() + ") into "
                + dir + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** A model this worker built for another patch size, signature or motion: rebuilt, never a foreign one. */
    private static boolean rebuildable(Path dir, int patchSize, FaceMotion motion) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            return false;
        }
        boolean same = ModelSignature.V2_KEY.equals(p.getProperty("signature"))
                && Integer.toString(patchSize).equals(p.getProperty("patch_size"))
                && motion.getClass().getSimpleName().equals(p.getProperty("motion"));
        if (!same) {
            LOG.info("MODEL_DIR {} holds a default model built for {}; rebuilding it for patch {}", dir, p, patchSize);
        }
        return !same;
    }

    /** The first default model: signature 'animate' only, and the output names its builder gave it. */
    private static boolean isFirstDefault(SavedModelBundle bundle) {
        List<String> keys = bundle.signatures().stream().map(Signature::key).toList();
        return keys.equals(List.of(ModelSignature.V1_KEY)) && bundle.graph().operation("frames_out") != null
                && bundle.graph().operation("i420_out") != null && bundle.graph().operation("next_state_out") != null;
    }

    /** Only what a SavedModel export and this worker write; anything else in the folder stays. */
    private static void deleteModelFiles(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("saved_model.pb"));
        Files.deleteIfExists(dir.resolve(MARKER));
        Path vars = dir.resolve("variables");
        if (Files.isDirectory(vars)) {
            try (Stream<Path> s = Files.list(vars)) {
                for (Path f : s.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(vars);
        }
    }

    private static SavedModelBundle load(Path dir, int intraOpThreads) {
        ConfigProto cfg = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(Math.min(2, Math.max(intraOpThreads, 1)))
                .setAllowSoftPlacement(true)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
                .build();
        try {
            return SavedModelBundle.loader(dir.toString()).withTags(ModelSignature.TAG).withConfigProto(cfg).load();
        } catch (RuntimeException e) {
            throw new ModelSignatureException("MODEL_DIR " + dir + " could not be loaded as a SavedModel with tag '"
                    + ModelSignature.TAG + "': " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("MODEL_DIR " + dir + " cannot be read", e);
        }
    }

    private static Map<String, String> names(Map<String, Signature.TensorDescription> d) {
        var m = new java.util.HashMap<String, String>();
        d.forEach((k, v) -> m.put(k, v.name));
        return Map.copyOf(m);
    }

    /** Where the model runs. */
    public ComputeDevice device() {
        return device;
    }

    /** True when this is the model the worker built itself (MODEL_DIR was empty, or held one it had built). */
    public boolean builtIn() {
        return builtIn;
    }

    /** P: the side of the square head region the model renders. */
    public int patchSize() {
        return patchSize;
    }

    /** Whether the model exports its motion, so the worker synthesises the patch natively ({@link NativeSynthesis}). */
    public boolean exportsMotion() {
        return exportsMotion;
    }

    /**
     * Runs the batch's rows: writes their next state and either their motion (when the model exports it and the batch
     * does not ask for I420) or their patch I420 into the batch.
     *
     * @throws IllegalStateException when a foreign model's output does not have the promised size
     */
    @Override
    public void run(ModelBatch batch) {
        int b = batch.size();
        if (b == 0) {
            return;
        }
        if (batch.patchSize() != patchSize) {
            throw new IllegalArgumentException("batch of patches " + batch.patchSize() + ", the model renders " + patchSize);
        }
        long t0 = System.nanoTime();
        ModelBatch.Feeds in = batch.feeds(b);
        boolean motion = exportsMotion && !batch.wantsI420();
        Session.Runner runner = runner(in, motion);
        long t1 = System.nanoTime();
        try (Result r = runner.run()) {
            long t2 = System.nanoTime();
            read(r.get(0), batch.nextState, b * ModelSignature.V2_STATE_SIZE, ModelSignature.NEXT_STATE);
            if (motion) {
                read(r.get(1), batch.warp, b * FaceMotion.GRID * FaceMotion.GRID * 2, ModelSignature.MOTION_WARP);
                read(r.get(2), batch.cavity, b * patchSize * patchSize, ModelSignature.MOTION_CAVITY);
            } else {
                Tensor t = r.get(1);
                long want = (long) b * batch.i420Bytes();
                if (t.asRawTensor().data().size() != want) {
                    throw new IllegalStateException("output '" + ModelSignature.PATCH_I420 + "' holds " + t.asRawTensor().data().size()
                            + " bytes for " + b + " rows, expected " + want);
                }
                t.asRawTensor().data().read(batch.i420, 0, (int) want);
            }
            batch.motionFetched = motion;
            timings.add(b, t1 - t0, t2 - t1, System.nanoTime() - t2);
        }
    }

    private Session.Runner runner(ModelBatch.Feeds in, boolean motion) {
        Session.Runner runner = bundle.session().runner()
                .feed(feeds.get(ModelSignature.PATCH), in.patch)
                .feed(feeds.get(ModelSignature.AUDIO), in.audio)
                .feed(feeds.get(ModelSignature.T), in.t)
                .feed(feeds.get(ModelSignature.STATE), in.state)
                .feed(feeds.get(ModelSignature.FACE), in.face)
                .fetch(fetches.get(ModelSignature.NEXT_STATE));
        if (motion) {
            runner.fetch(fetches.get(ModelSignature.MOTION_WARP)).fetch(fetches.get(ModelSignature.MOTION_CAVITY));
        } else {
            runner.fetch(fetches.get(ModelSignature.PATCH_I420));
        }
        return runner;
    }

    private static void read(Tensor t, float[] dst, int count, String name) {
        var data = t.asRawTensor().data().asFloats();
        if (data.size() != count) {
            throw new IllegalStateException("output '" + name + "' holds " + data.size() + " values, expected " + count);
        }
        data.read(dst, 0, count);
    }

    /**
     * One op's time in a traced call.
     *
     * @param node   the node's name (its name scope says which part of the model it belongs to: motion, synthesis)
     * @param op     the op type, e.g. GatherV2
     * @param micros its wall time on its device
     */
    public record OpTime(String node, String op, long micros) {
    }

    /**
     * Runs the batch once with TensorFlow's full trace and returns each op's time: where a call's time goes inside
     * the graph (for the benchmark; tracing itself slows the call, so time it elsewhere). Fetches what {@link #run}
     * would.
     */
    public List<OpTime> profile(ModelBatch batch) {
        ModelBatch.Feeds in = batch.feeds(batch.size());
        Session.Runner runner = runner(in, exportsMotion && !batch.wantsI420())
                .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
        try (Result r = runner.runAndFetchMetadata()) {
            List<OpTime> out = new ArrayList<>();
            r.getMetadata().ifPresent(md -> md.getStepStats().getDevStatsList().forEach(dev -> dev.getNodeStatsList().forEach(n ->
                    out.add(new OpTime(n.getNodeName(), n.getTimelineLabel().contains("= ")
                            ? n.getTimelineLabel().replaceAll("^.*= ([A-Za-z0-9_]+)\\(.*$", "$1") : n.getNodeName(),
                            n.getOpEndRelMicros() - n.getOpStartRelMicros())))));
            return out;
        }
    }

    /** Where this model's calls spent their time so far (inputs written, graph run, outputs read). */
    public ModelTimings timings() {
        return timings;
    }

    @Override
    public void close() {
        bundle.close();
    }

    /** Tensor names, for tests and the benchmark. */
    List<String> signatureInputs() {
        return List.copyOf(feeds.keySet());
    }
}
