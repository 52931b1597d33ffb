package dev.avatarfleet.worker.render.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/**
 * The one signature every avatar model must have, whether built by {@link DefaultAvatarGraph} or
 * brought in through {@code MODEL_DIR}. B is the batch (one row per session), H x W the video size.
 *
 * <pre>
 * signature "animate" (tag "serve")
 *   inputs
 *     image  uint8   [B,H,W,3]  the prepared avatars, RGB
 *     audio  float32 [B,640]    the tick's 40 ms of speech at 16 kHz, in [-1, 1]
 *     t      float32 [B]        each session's clock in seconds (tick x 0.04)
 *     state  float32 [B,4]      each session's state from its previous tick (zeros on the first)
 *     face   float32 [B,6]      face geometry, fractions of W and H:
 *                               mouth cx, mouth cy, mouth rx, mouth ry, eye line y, eye half-distance
 *   outputs
 *     frames     uint8   [B,H,W,3]      the rendered frames, RGB
 *     i420       uint8   [B,H*W*3/2]    the same frames as I420 (Y, U, V planes; BT.601 limited range)
 *     next_state float32 [B,4]          fed back as state on the session's next tick
 * </pre>
 */
public final class ModelSignature {

    /** The signature key. */
    public static final String KEY = "animate";
    /** The SavedModel tag. */
    public static final String TAG = "serve";
    /** Audio samples per tick the model takes (40 ms at 16 kHz). */
    public static final int AUDIO_SAMPLES = 640;
    /** Audio rate inside the model. */
    public static final int AUDIO_RATE = 16_000;
    /** Floats of per-session state. */
    public static final int STATE_SIZE = 4;
    /** Floats of face geometry. */
    public static final int FACE_SIZE = 6;

    /** The v2 signature key: the model renders the head region ("patch") only; {@link FaceMotion} decides the motion. */
    public static final String V2_KEY = "animate_v2";
    /** Floats of per-session state in v2 (mouth shape, blink, smoothing memory). */
    public static final int V2_STATE_SIZE = 8;
    /** Floats of face geometry in v2 ({@link FaceVector}). */
    public static final int V2_FACE_SIZE = FaceVector.SIZE;
    /** v2 input: uint8 [B,P,P,3], each session's head region, RGB. */
    public static final String PATCH = "patch";
    /** v2 output: uint8 [B,P*P*3/2], the rendered head region as I420 (Y, U, V planes, BT.601 limited range). */
    public static final String PATCH_I420 = "patch_i420";

    static final String IMAGE = "image";
    static final String AUDIO = "audio";
    static final String T = "t";
    static final String STATE = "state";
    static final String FACE = "face";
    static final String FRAMES = "frames";
    static final String I420 = "i420";
    static final String NEXT_STATE = "next_state";

    /** One expected tensor: dtype and rank, with the fixed sizes of the non-batch dimensions (-1 = any). */
    record Expected(String name, DataType type, long[] dims) {
    }

    static final List<Expected> INPUTS = List.of(
            new Expected(IMAGE, DataType.DT_UINT8, new long[] {-1, -1, -1, 3}),
            new Expected(AUDIO, DataType.DT_FLOAT, new long[] {-1, AUDIO_SAMPLES}),
            new Expected(T, DataType.DT_FLOAT, new long[] {-1}),
            new Expected(STATE, DataType.DT_FLOAT, new long[] {-1, STATE_SIZE}),
            new Expected(FACE, DataType.DT_FLOAT, new long[] {-1, FACE_SIZE}));

    static final List<Expected> OUTPUTS = List.of(
            new Expected(FRAMES, DataType.DT_UINT8, new long[] {-1, -1, -1, 3}),
            new Expected(I420, DataType.DT_UINT8, new long[] {-1, -1}),
            new Expected(NEXT_STATE, DataType.DT_FLOAT, new long[] {-1, STATE_SIZE}));

    private ModelSignature() {
    }

    /**
     * Checks a loaded bundle against the signature.
     *
     * @throws ModelSignatureException naming every difference found
     */
    static Signature check(SavedModelBundle bundle, String where) {
        Signature sig = bundle.signatures().stream().filter(s -> KEY.equals(s.key())).findFirst().orElse(null);
        if (sig == null) {
            throw new ModelSignatureException("the SavedModel in " + where + " has no signature '" + KEY
                    + "' (it has " + bundle.signatures().stream().map(Signature::key).toList() + ")");
        }
        List<String> problems = new ArrayList<>();
        compare("input", INPUTS, sig.getInputs(), problems);
        compare("output", OUTPUTS, sig.getOutputs(), problems);
        if (!problems.isEmpty()) {
            throw new ModelSignatureException("the SavedModel in " + where + " does not match signature '" + KEY + "': "
                    + String.join("; ", problems));
        }
        return sig;
    }

    private static void compare(String kind, List<Expected> expected, Map<String, Signature.TensorDescription> actual,
                                List<String> problems) {
        for (Expected e : expected) {
            Signature.TensorDescription d = actual.get(e.name());
            if (d == null) {
                problems.add("missing " + kind + " '" + e.name() + "'");
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
        for (String name : actual.keySet()) {
            if (expected.stream().noneMatch(e -> e.name().equals(name)) && kind.equals("input")) {
                problems.add("unexpected input '" + name + "' (the render loop cannot feed it)");
            }
        }
    }
}
