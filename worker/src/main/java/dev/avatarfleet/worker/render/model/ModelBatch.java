package dev.avatarfleet.worker.render.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * One caller's batch for {@link AvatarModel#run}: the rows of a model call and where its results land, reused from
 * call to call. Its Java arrays are allocated once for {@code capacity} rows; its TensorFlow input tensors once per
 * batch size (the few sizes in use are kept, the patch rows rewritten only when a row's avatar changes), so a tick
 * allocates no buffer. Confined to one thread; close it to free the tensors.
 *
 * <p>Example: {@code batch.clear(); batch.add(patch, audio, t, state, face); model.run(batch); batch.nextState(0, s);}
 */
public final class ModelBatch implements AutoCloseable {

    /** Batch sizes whose input tensors are kept (the loop's size changes as sessions join, leave, speak, fall silent). */
    private static final int KEPT_SIZES = 4;

    private final int patchSize;
    private final int capacity;
    private final int patchBytes;
    private final int i420Bytes;
    private final byte[][] patches;
    final float[] audio;
    final float[] clock;
    final float[] state;
    final float[] face;
    final float[] nextState;
    final float[] warp;
    final float[] cavity;
    final byte[] i420;
    private int size;
    private boolean wantI420;
    boolean motionFetched;
    private final LinkedHashMap<Integer, Feeds> feeds = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Feeds> eldest) {
            if (size() > KEPT_SIZES) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    /**
     * @param patchSize P, the model's patch side
     * @param capacity  the most rows a call will have
     */
    public ModelBatch(int patchSize, int capacity) {
        if (patchSize < 2 || patchSize % 2 != 0 || capacity < 1) {
            throw new IllegalArgumentException("patch side must be even and the capacity positive: " + patchSize + ", " + capacity);
        }
        this.patchSize = patchSize;
        this.capacity = capacity;
        this.patchBytes = patchSize * patchSize * 3;
        this.i420Bytes = patchSize * patchSize * 3 / 2;
        this.patches = new byte[capacity][];
        this.audio = new float[capacity * ModelSignature.AUDIO_SAMPLES];
        this.clock = new float[capacity];
        this.state = new float[capacity * ModelSignature.V2_STATE_SIZE];
        this.face = new float[capacity * ModelSignature.V2_FACE_SIZE];
        this.nextState = new float[capacity * ModelSignature.V2_STATE_SIZE];
        this.warp = new float[capacity * FaceMotion.GRID * FaceMotion.GRID * 2];
        this.cavity = new float[capacity * patchSize * patchSize];
        this.i420 = new byte[capacity * i420Bytes];
    }

    public int patchSize() {
        return patchSize;
    }

    public int capacity() {
        return capacity;
    }

    /** Rows of the next call. */
    public int size() {
        return size;
    }

    /** Empties the batch for the next call (the arrays and tensors stay). */
    public void clear() {
        size = 0;
    }

    /**
     * Adds a row.
     *
     * @param patchRgb  the avatar's patch, P x P x 3 RGB; kept by reference (and copied into the tensor only when the row's
     *                  patch changes), so it must not be modified
     * @param audio16k  {@value ModelSignature#AUDIO_SAMPLES} samples at 16 kHz, from {@code offset}
     * @param clockSeconds the session's clock
     * @param sessionState {@value ModelSignature#V2_STATE_SIZE} floats
     * @param faceVector   {@value ModelSignature#V2_FACE_SIZE} floats ({@link FaceVector})
     * @return the row's index
     */
    public int add(byte[] patchRgb, float[] audio16k, int offset, float clockSeconds, float[] sessionState, float[] faceVector) {
        if (size == capacity) {
            throw new IllegalStateException("batch full (" + capacity + " rows)");
        }
        if (patchRgb.length != patchBytes) {
            throw new IllegalArgumentException("patch holds " + patchRgb.length + " bytes, not " + patchSize + "x" + patchSize + "x3");
        }
        int row = size++;
        patches[row] = patchRgb;
        System.arraycopy(audio16k, offset, audio, row * ModelSignature.AUDIO_SAMPLES, ModelSignature.AUDIO_SAMPLES);
        clock[row] = clockSeconds;
        System.arraycopy(sessionState, 0, state, row * ModelSignature.V2_STATE_SIZE, ModelSignature.V2_STATE_SIZE);
        System.arraycopy(faceVector, 0, face, row * ModelSignature.V2_FACE_SIZE, ModelSignature.V2_FACE_SIZE);
        return row;
    }

    /** Fetch {@code patch_i420} even from a model that exports its motion (tests compare both syntheses). */
    public void wantI420(boolean want) {
        this.wantI420 = want;
    }

    boolean wantsI420() {
        return wantI420;
    }

    /** Whether the last call returned the motion ({@link #warp}, {@link #cavity}) rather than {@link #i420}. */
    public boolean hasMotion() {
        return motionFetched;
    }

    /** Copies row {@code row}'s next state into {@code dst}. */
    public void nextState(int row, float[] dst) {
        System.arraycopy(nextState, row * ModelSignature.V2_STATE_SIZE, dst, 0, ModelSignature.V2_STATE_SIZE);
    }

    /** Copies row {@code row}'s patch I420 (when the last call fetched it) into {@code dst} at {@code offset}. */
    public void i420(int row, byte[] dst, int offset) {
        System.arraycopy(i420, row * i420Bytes, dst, offset, i420Bytes);
    }

    byte[] patchOf(int row) {
        return patches[row];
    }

    int i420Bytes() {
        return i420Bytes;
    }

    /** The input tensors for a call of {@code b} rows, with the patch rows brought up to date. */
    Feeds feeds(int b) {
        Feeds f = feeds.get(b);
        if (f == null) {
            f = new Feeds(b);
            feeds.put(b, f);
        }
        f.update(this);
        return f;
    }

    @Override
    public void close() {
        feeds.values().forEach(Feeds::close);
        feeds.clear();
    }

    /** The TensorFlow inputs of one batch size, reused across calls. */
    final class Feeds implements AutoCloseable {
        final TUint8 patch;
        final TFloat32 audio;
        final TFloat32 t;
        final TFloat32 state;
        final TFloat32 face;
        private final byte[][] members;
        private final int rows;

        Feeds(int b) {
            rows = b;
            patch = TUint8.tensorOf(Shape.of(b, patchSize, patchSize, 3));
            audio = TFloat32.tensorOf(Shape.of(b, ModelSignature.AUDIO_SAMPLES));
            t = TFloat32.tensorOf(Shape.of(b));
            state = TFloat32.tensorOf(Shape.of(b, ModelSignature.V2_STATE_SIZE));
            face = TFloat32.tensorOf(Shape.of(b, ModelSignature.V2_FACE_SIZE));
            members = new byte[b][];
        }

        void update(ModelBatch batch) {
            for (int i = 0; i < rows; i++) {
                if (members[i] != batch.patches[i]) {
                    // why: a row's patch is copied into native memory only when the row's avatar changes
                    patch.asRawTensor().data().offset((long) i * patchBytes).write(batch.patches[i], 0, patchBytes);
                    members[i] = batch.patches[i];
                }
            }
            audio.asRawTensor().data().asFloats().write(batch.audio, 0, rows * ModelSignature.AUDIO_SAMPLES);
            t.asRawTensor().data().asFloats().write(batch.clock, 0, rows);
            state.asRawTensor().data().asFloats().write(batch.state, 0, rows * ModelSignature.V2_STATE_SIZE);
            face.asRawTensor().data().asFloats().write(batch.face, 0, rows * ModelSignature.V2_FACE_SIZE);
        }

        @Override
        public void close() {
            Arrays.fill(members, null);
            patch.close();
            audio.close();
            t.close();
            state.close();
            face.close();
        }
    }
}
