package dev.avatarfleet.worker.render.model;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;

/**
 * One model call's results copied out of native memory (so the Result can be closed at once).
 *
 * @param i420      per session, the I420 planes of its frame
 * @param nextState B x 4, row-major
 * @param rgb       per session, the RGB frame (H x W x 3), or null when not fetched
 */
public record BatchOutput(byte[][] i420, float[] nextState, byte[][] rgb) {

    static BatchOutput copyOf(Tensor i420, Tensor nextState, Tensor rgb, int b) {
        float[] state = new float[b * ModelSignature.STATE_SIZE];
        nextState.asRawTensor().data().asFloats().read(state);
        return new BatchOutput(rows(i420, b), state, rgb == null ? null : rows(rgb, b));
    }

    private static byte[][] rows(Tensor t, int b) {
        ByteDataBuffer data = t.asRawTensor().data();
        long per = data.size() / b;
        byte[][] out = new byte[b][];
        for (int i = 0; i < b; i++) {
            out[i] = new byte[(int) per];
            data.slice(i * per, per).read(out[i]);
        }
        return out;
    }

    /** Session i's next state. */
    public float[] stateOf(int i) {
        float[] s = new float[ModelSignature.STATE_SIZE];
        System.arraycopy(nextState, i * ModelSignature.STATE_SIZE, s, 0, s.length);
        return s;
    }
}
