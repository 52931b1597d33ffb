package dev.avatarfleet.worker.render.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The motion of one tick for every session of a batch, as graph ops (built once into the v2 model): the part of
 * the {@code animate_v2} model that decides what moves, apart from the synthesis that moves it (warping the patch,
 * shading the mouth interior, I420). The contract between issue 15 (synthesis) and issue 11 (motion):
 * /work/briefs/render-contract.md, "The motion interface".
 *
 * <p>Inputs are the signature's own: {@code face} [B,{@value FaceVector#SIZE}] (see {@link FaceVector}),
 * {@code audio} [B,{@value ModelSignature#AUDIO_SAMPLES}] at 16 kHz in [-1, 1], {@code t} [B] seconds,
 * {@code state} [B,{@value ModelSignature#V2_STATE_SIZE}] (zeros on a session's first tick).
 */
public interface FaceMotion {

    /**
     * One tick's motion.
     *
     * @param warp      [B,G,G,2] float32: BACKWARD map on a G x G grid spanning the patch corners: for each output
     *                  point, the (dx, dy) in patch pixels to add to its position to find its source pixel; zero on
     *                  the grid's border ring (no seam); the synthesis upsamples it bilinearly to P x P
     * @param cavity    [B,P,P,1] float32 in 0..1, in OUTPUT (warped) coordinates: how much of the mouth-interior shade
     *                  replaces the warped pixel (0 outside the inner lip contour, smooth edge)
     * @param nextState [B,8] float32
     */
    record Motion(Operand<TFloat32> warp, Operand<TFloat32> cavity, Operand<TFloat32> nextState) { }

    /** Control points per side of the warp grid (G). */
    int GRID = 33;

    /**
     * Builds the motion ops into {@code tf}'s graph.
     *
     * @param patchSize P, the side of the square patch in pixels (even)
     */
    Motion build(Ops tf, Operand<TFloat32> face, Operand<TFloat32> audio, Operand<TFloat32> t,
                 Operand<TFloat32> state, int patchSize);
}
