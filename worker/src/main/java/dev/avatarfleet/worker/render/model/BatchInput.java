package dev.avatarfleet.worker.render.model;

/**
 * One model call's per-session rows, flattened row-major (row i belongs to the i-th session of the batch).
 *
 * @param size  B, the number of sessions
 * @param audio B x 640 samples at 16 kHz in [-1, 1]
 * @param clock B session clocks in seconds
 * @param state B x 4 state from each session's previous tick
 * @param face  B x 6 face geometry
 */
public record BatchInput(int size, float[] audio, float[] clock, float[] state, float[] face) {

    public BatchInput {
        if (audio.length != size * ModelSignature.AUDIO_SAMPLES || clock.length != size
                || state.length != size * ModelSignature.STATE_SIZE || face.length != size * ModelSignature.FACE_SIZE) {
            throw new IllegalArgumentException("batch rows do not match a batch of " + size);
        }
    }

    /** An empty batch of {@code size} rows to fill. */
    public static BatchInput allocate(int size) {
        return new BatchInput(size, new float[size * ModelSignature.AUDIO_SAMPLES], new float[size],
                new float[size * ModelSignature.STATE_SIZE], new float[size * ModelSignature.FACE_SIZE]);
    }

    /** Writes one session's row. */
    public void set(int row, float[] audio16k, float clockSeconds, float[] sessionState, float[] faceGeometry) {
        System.arraycopy(audio16k, 0, audio, row * ModelSignature.AUDIO_SAMPLES, ModelSignature.AUDIO_SAMPLES);
        clock[row] = clockSeconds;
        System.arraycopy(sessionState, 0, state, row * ModelSignature.STATE_SIZE, ModelSignature.STATE_SIZE);
        System.arraycopy(faceGeometry, 0, face, row * ModelSignature.FACE_SIZE, ModelSignature.FACE_SIZE);
    }
}
