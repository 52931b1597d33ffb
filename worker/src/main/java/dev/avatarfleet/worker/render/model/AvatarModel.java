package dev.avatarfleet.worker.render.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The loaded avatar model: a SavedModel with the {@link ModelSignature}, run one batch per call.
 * {@link #open} writes the default model into an empty {@code MODEL_DIR} first, loads whatever is
 * there, and refuses a model whose signature differs (the worker does not start).
 *
 * <p>Every tensor created here is closed before {@link #run} returns, so native memory stays flat.
 */
public final class AvatarModel implements BatchModel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AvatarModel.class);

    private final SavedModelBundle bundle;
    private final Map<String, String> feeds;
    private final Map<String, String> fetches;
    private final ComputeDevice device;
    private final boolean builtIn;
    private final ModelTimings timings = new ModelTimings();

    private AvatarModel(SavedModelBundle bundle, Signature sig, ComputeDevice device, boolean builtIn) {
        this.bundle = bundle;
        this.device = device;
        this.builtIn = builtIn;
        this.feeds = names(sig.getInputs());
        this.fetches = names(sig.getOutputs());
    }

    /**
     * Opens the model in {@code dir}, writing the default model there first when the folder is absent or empty.
     *
     * @param intraOpThreads TensorFlow's intra-op threads (0 = TensorFlow's choice)
     * @throws ModelSignatureException when the folder holds something that is not a usable avatar model
     */
    public static AvatarModel open(Path dir, int intraOpThreads) {
        boolean builtIn = false;
        if (isEmpty(dir)) {
            long t0 = System.nanoTime();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("MODEL_DIR " + dir + " cannot be created", e);
            }
            DefaultAvatarGraph.export(dir);
            builtIn = true;
            LOG.atInfo().log(() -> "built the default avatar model into " + dir + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } else if (!Files.isRegularFile(dir.resolve("saved_model.pb")) && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
            throw new ModelSignatureException("MODEL_DIR " + dir + " is not empty but holds no saved_model.pb: "
                    + "point MODEL_DIR at a TensorFlow SavedModel or at an empty folder");
        }
        ComputeDevice device = ComputeDevice.detect();
        ConfigProto cfg = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(Math.min(2, Math.max(intraOpThreads, 1)))
                .setAllowSoftPlacement(true)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
                .build();
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(dir.toString()).withTags(ModelSignature.TAG).withConfigProto(cfg).load();
        } catch (RuntimeException e) {
            throw new ModelSignatureException("MODEL_DIR " + dir + " could not be loaded as a SavedModel with tag '"
                    + ModelSignature.TAG + "': " + e.getMessage(), e);
        }
        try {
            Signature sig = ModelSignature.check(bundle, "MODEL_DIR " + dir);
            AvatarModel model = new AvatarModel(bundle, sig, device, builtIn);
            LOG.atInfo().log(() -> "avatar model " + (model.builtIn ? "(built-in)" : "(from MODEL_DIR)") + " loaded from " + dir
                    + "; it runs on " + device.description());
            return model;
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
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

    /** True when this is the model the worker built itself (MODEL_DIR was empty). */
    public boolean builtIn() {
        return builtIn;
    }

    /**
     * Runs one batch.
     *
     * @param images  [B,H,W,3] uint8, owned by the caller (it may stay resident across calls)
     * @param input   the per-session rows
     * @param withRgb also fetch the RGB frames (for /test-frame and tests; the render loop needs I420 only)
     */
    @Override
    public BatchOutput run(TUint8 images, BatchInput input, boolean withRgb) {
        int b = input.size();
        long t0 = System.nanoTime();
        try (TFloat32 audio = TFloat32.tensorOf(Shape.of(b, ModelSignature.AUDIO_SAMPLES));
             TFloat32 t = TFloat32.tensorOf(Shape.of(b));
             TFloat32 state = TFloat32.tensorOf(Shape.of(b, ModelSignature.STATE_SIZE));
             TFloat32 face = TFloat32.tensorOf(Shape.of(b, ModelSignature.FACE_SIZE))) {
            audio.asRawTensor().data().asFloats().write(input.audio());
            t.asRawTensor().data().asFloats().write(input.clock());
            state.asRawTensor().data().asFloats().write(input.state());
            face.asRawTensor().data().asFloats().write(input.face());
            Session.Runner runner = bundle.session().runner()
                    .feed(feeds.get(ModelSignature.IMAGE), images)
                    .feed(feeds.get(ModelSignature.AUDIO), audio)
                    .feed(feeds.get(ModelSignature.T), t)
                    .feed(feeds.get(ModelSignature.STATE), state)
                    .feed(feeds.get(ModelSignature.FACE), face)
                    .fetch(fetches.get(ModelSignature.I420))
                    .fetch(fetches.get(ModelSignature.NEXT_STATE));
            if (withRgb) {
                runner.fetch(fetches.get(ModelSignature.FRAMES));
            }
            long t1 = System.nanoTime();
            try (Result r = runner.run()) {
                long t2 = System.nanoTime();
                BatchOutput out = BatchOutput.copyOf(r.get(0), r.get(1), withRgb ? r.get(2) : null, b);
                timings.add(b, t1 - t0, t2 - t1, System.nanoTime() - t2);
                return out;
            }
        }
    }

    /**
     * One op's time in a traced call.
     *
     * @param node   the node's name (its name scope says which part of the model it belongs to)
     * @param op     the op type, e.g. GatherV2
     * @param micros its wall time on its device
     */
    public record OpTime(String node, String op, long micros) {
    }

    /**
     * Runs one batch with TensorFlow's full trace and returns each op's time: where a call's time goes inside the
     * graph (for the benchmark; tracing itself slows the call, so time it elsewhere).
     */
    public List<OpTime> profile(TUint8 images, BatchInput input) {
        int b = input.size();
        try (TFloat32 audio = TFloat32.tensorOf(Shape.of(b, ModelSignature.AUDIO_SAMPLES));
             TFloat32 t = TFloat32.tensorOf(Shape.of(b));
             TFloat32 state = TFloat32.tensorOf(Shape.of(b, ModelSignature.STATE_SIZE));
             TFloat32 face = TFloat32.tensorOf(Shape.of(b, ModelSignature.FACE_SIZE))) {
            audio.asRawTensor().data().asFloats().write(input.audio());
            t.asRawTensor().data().asFloats().write(input.clock());
            state.asRawTensor().data().asFloats().write(input.state());
            face.asRawTensor().data().asFloats().write(input.face());
            Session.Runner runner = bundle.session().runner()
                    .feed(feeds.get(ModelSignature.IMAGE), images)
                    .feed(feeds.get(ModelSignature.AUDIO), audio)
                    .feed(feeds.get(ModelSignature.T), t)
                    .feed(feeds.get(ModelSignature.STATE), state)
                    .feed(feeds.get(ModelSignature.FACE), face)
                    .fetch(fetches.get(ModelSignature.I420))
                    .fetch(fetches.get(ModelSignature.NEXT_STATE))
                    .setOptions(org.tensorflow.proto.RunOptions.newBuilder()
                            .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build());
            try (Result r = runner.runAndFetchMetadata()) {
                List<OpTime> out = new java.util.ArrayList<>();
                r.getMetadata().ifPresent(md -> md.getStepStats().getDevStatsList().forEach(dev -> dev.getNodeStatsList().forEach(n ->
                        out.add(new OpTime(n.getNodeName(), n.getTimelineLabel().contains("= ")
                                ? n.getTimelineLabel().replaceAll("^.*= ([A-Za-z0-9_]+)\\(.*$", "$1") : n.getNodeName(),
                                n.getOpEndRelMicros() - n.getOpStartRelMicros())))));
                return out;
            }
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
