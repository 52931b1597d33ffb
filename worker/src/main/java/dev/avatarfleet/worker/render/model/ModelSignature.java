package dev.avatarfleet.worker.render.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/**
 * The one signature every avatar model must have, whether built by {@link DefaultAvatarGraph} or brought in through
 * {@code MODEL_DIR}. B is the batch (one row per session); P the side of the square head region ("patch") the model
 * renders; the rest of the frame is prepared once per avatar and composed by the worker (docs/renderer.md).
 *
 * <pre>
 * signature "animate_v2" (tag "serve")
 *   inputs
 *     patch  uint8   [B,P,P,3]  each session's avatar head region, RGB
 *     audio  float32 [B,640]    the tick's 40 ms of speech at 16 kHz, in [-1, 1]
 *     t      float32 [B]        each session's clock in seconds (tick x 0.04)
 *     state  float32 [B,8]      each session's state from its previous tick (zeros on the first)
 *     face   float32 [B,24]     the main face's geometry in the patch ({@link FaceVector})
 *   outputs
 *     patch_i420    uint8   [B,P*P*3/2]  the rendered head region as I420 (Y, U, V planes; BT.601 limited range)
 *     next_state    float32 [B,8]        fed back as state on the session's next tick
 *   optional outputs (the model's motion, as {@link FaceMotion} builds it; with both, the worker fetches them instead
 *   of patch_i420 and applies them natively, the same synthesis at a fraction of the cost)
 *     motion_warp   float32 [B,33,33,2]  backward map on the grid, patch pixels
 *     motion_cavity float32 [B,P,P,1]    mouth-interior shade weight, 0..1
 * </pre>
 * P is fixed by the model (the {@code patch} input's dimensions 1 and 2); the worker prepares avatars to it.
 */
public final class ModelSignature {

    /** The signature key of the model the worker runs. */
    public static final String V2_KEY = "animate_v2";
    /** The key of the first signature (full frames), which this worker no longer runs. */
    public static final String V1_KEY = "animate";
    /** The SavedModel tag. */
    public static final String TAG = "serve";
    /** Audio samples per tick the model takes (40 ms at 16 kHz). */
    public static final int AUDIO_SAMPLES = 640;
    /** Audio rate inside the model. */
    public static final int AUDIO_RATE = 16_000;
    /** Floats of per-session state in v2 (mouth shape, blink, smoothing memory). */
    public static final int V2_STATE_SIZE = 8;
    /** Floats of face geometry in v2 ({@link FaceVector}). */
    public static final int V2_FACE_SIZE = FaceVector.SIZE;
    /** v2 input: uint8 [B,P,P,3], each session's head region, RGB. */
    public static final String PATCH = "patch";
    /** v2 output: uint8 [B,P*P*3/2], the rendered head region as I420 (Y, U, V planes, BT.601 limited range). */
    public static final String PATCH_I420 = "patch_i420";

    static final String AUDIO = "audio";
    static final String T = "t";
    static final String STATE = "state";
    static final String FACE = "face";
    static final String NEXT_STATE = "next_state";
    /** Optional output: the motion's warp grid. */
    static final String MOTION_WARP = "motion_warp";
    /** Optional output: the motion's cavity. */
    static final String MOTION_CAVITY = "motion_cavity";

    /** One expected tensor: dtype and rank, with the fixed sizes of the non-batch dimensions (-1 = any, checked elsewhere). */
    record Expected(String name, DataType type, long[] dims) {
    }

    static final List<Expected> INPUTS = List.of(
            new Expected(PATCH, DataType.DT_UINT8, new long[] {-1, -1, -1, 3}),
            new Expected(AUDIO, DataType.DT_FLOAT, new long[] {-1, AUDIO_SAMPLES}),
            new Expected(T, DataType.DT_FLOAT, new long[] {-1}),
            new Expected(STATE, DataType.DT_FLOAT, new long[] {-1, V2_STATE_SIZE}),
            new Expected(FACE, DataType.DT_FLOAT, new long[] {-1, V2_FACE_SIZE}));

    static final List<Expected> OUTPUTS = List.of(
            new Expected(PATCH_I420, DataType.DT_UINT8, new long[] {-1, -1}),
            new Expected(NEXT_STATE, DataType.DT_FLOAT, new long[] {-1, V2_STATE_SIZE}));

    static final List<Expected> OPTIONAL_OUTPUTS = List.of(
            new Expected(MOTION_WARP, DataType.DT_FLOAT, new long[] {-1, FaceMotion.GRID, FaceMotion.GRID, 2}),
            new Expected(MOTION_CAVITY, DataType.DT_FLOAT, new long[] {-1, -1, -1, 1}));

    /**
     * What the check found: the signature, the patch side P, and whether the model exports its motion.
     *
     * @param signature     the {@value #V2_KEY} signature
     * @param patchSize     P (0 when the model leaves it open: then any even P works)
     * @param exportsMotion both optional motion outputs are there
     */
    record Checked(Signature signature, int patchSize, boolean exportsMotion) {
    }

    private ModelSignature() {
    }

    /**
     * Checks a loaded bundle against the signature.
     *
     * @throws ModelSignatureException naming every difference found; for a first-signature ({@value #V1_KEY}) model
     *                                 it says how to get a v2 one
     */
    static Checked check(SavedModelBundle bundle, String where) {
        Signature sig = bundle.signatures().stream().filter(s -> V2_KEY.equals(s.key())).findFirst().orElse(null);
        if (sig == null) {
            List<String> keys = bundle.signatures().stream().map(Signature::key).toList();
            if (keys.contains(V1_KEY)) {
                throw new ModelSignatureException("the SavedModel in " + where + " has the first avatar signature '" + V1_KEY
                        + "' (full frames), which this worker no longer runs: it renders the head region only, through '"
                        + V2_KEY + "'. Empty the folder (the worker then builds its default model there) or export your model"
                        + " with the '" + V2_KEY + "' signature (docs/renderer.md, \"Bring your own model\")");
            }
            throw new ModelSignatureException("the SavedModel in " + where + " has no signature '" + V2_KEY + "' (it has " + keys + ")");
        }
        List<String> problems = new ArrayList<>();
        compare("input", INPUTS, sig.getInputs(), problems, true);
        compare("output", OUTPUTS, sig.getOutputs(), problems, true);
        compare("output", OPTIONAL_OUTPUTS, sig.getOutputs(), problems, false);
        int p = patchSide(sig.getInputs().get(PATCH), problems);
        if (!problems.isEmpty()) {
            throw new ModelSignatureException("the SavedModel in " + where + " does not match signature '" + V2_KEY + "': "
                    + String.join("; ", problems));
        }
        boolean motion = OPTIONAL_OUTPUTS.stream().allMatch(e -> sig.getOutputs().containsKey(e.name()));
        return new Checked(sig, p, motion);
    }

    private static int patchSide(Signature.TensorDescription d, List<String> problems) {
        if (d == null || d.shape == null || d.shape.isUnknown() || d.shape.numDimensions() != 4) {
            return 0;
        }
        long h = d.shape.size(1);
        long w = d.shape.size(2);
        if (h != w) {
            problems.add("input 'patch' is " + h + " x " + w + ", expected a square");
            return 0;
        }
        if (h > 0 && h % 2 != 0) {
            problems.add("input 'patch' side " + h + " is odd (I420 halves it)");
        }
        return (int) Math.max(0, h);
    }

    private static void compare(String kind, List<Expected> expected, Map<String, Signature.TensorDescription> actual,
                                List<String> problems, boolean required) {
        for (Expected e : expected) {
            Signature.TensorDescription d = actual.get(e.name());
            if (d == null) {
                if (required) {
                    problems.add("missing " + kind + " '" + e.name() + "'");
                }
                continue;
            }
            if (d.dataType != e.type()) {
                problems.add(kind + " '" + e.name() + "' is " + d.dataType + ", expected " + e.type());
            }
            if (d.shape != null && !d.shape.isUnknown()) {
                if (d.shape.numDimensions() != e.dims().length) {
                    problems.add(kind + " '" + e.name() + "' has shape " + d.shape + ", expected rank " + e.dims().length);
                } else {
                    for (int i = 1; i < e.dims().length; i++) {
                        long want = e.dims()[i];
                        long got = d.shape.size(i);
                        if (want >= 0 && got >= 0 && want != got) {
                            problems.add(kind + " '" + e.name() + "' dimension " + i + " is " + got + ", expected " + want);
                        }
                    }
                }
            }
        }
        if (kind.equals("input") && required) {
            for (String name : actual.keySet()) {
                if (expected.stream().noneMatch(e -> e.name().equals(name))) {
                    problems.add("unexpected input '" + name + "' (the render loop cannot feed it)");
                }
            }
        }
    }
}
