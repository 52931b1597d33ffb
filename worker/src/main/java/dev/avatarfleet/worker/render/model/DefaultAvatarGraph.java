package dev.avatarfleet.worker.render.model;

import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Builds avatar-fleet's default avatar model from TensorFlow ops and exports it as a SavedModel with the
 * {@link ModelSignature} ({@value ModelSignature#V2_KEY}): a {@link FaceMotion} (what moves: the warp grid, the
 * cavity, the next state) and the {@link Synthesis} (moving it: the patch warped, shaded, as I420). No training: the
 * motion's "weights" are hand-set constants, the places a trained model would put its own. The motion is also
 * exported ({@code motion_warp}, {@code motion_cavity}) so the worker can run the synthesis natively.
 */
final class DefaultAvatarGraph {

    private DefaultAvatarGraph() {
    }

    /** Builds the graph for patches of side {@code patchSize} and writes it as a SavedModel into {@code dir}. */
    static void export(Path dir, int patchSize, FaceMotion motion) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var patch = tf.withName(ModelSignature.PATCH).placeholder(TUint8.class,
                    Placeholder.shape(Shape.of(-1, patchSize, patchSize, 3)));
            var audio = tf.withName(ModelSignature.AUDIO).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, ModelSignature.AUDIO_SAMPLES)));
            var t = tf.withName(ModelSignature.T).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var state = tf.withName(ModelSignature.STATE).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, ModelSignature.V2_STATE_SIZE)));
            var face = tf.withName(ModelSignature.FACE).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, ModelSignature.V2_FACE_SIZE)));
            // why: name scopes, so a traced call says which part took the time (ops/bench/run profile)
            FaceMotion.Motion m = motion.build(tf.withSubScope("motion"), face, audio, t, state, patchSize);
            Operand<TUint8> i420 = Synthesis.patchI420(tf.withSubScope("synthesis"), patch, m.warp(), m.cavity(), patchSize);
            Signature sig = Signature.builder(ModelSignature.V2_KEY)
                    .input(ModelSignature.PATCH, patch).input(ModelSignature.AUDIO, audio).input(ModelSignature.T, t)
                    .input(ModelSignature.STATE, state).input(ModelSignature.FACE, face)
                    .output(ModelSignature.PATCH_I420, tf.withName("patch_i420_out").identity(i420))
                    .output(ModelSignature.NEXT_STATE, tf.withName("next_state_out").identity(m.nextState()))
                    .output(ModelSignature.MOTION_WARP, tf.withName("motion_warp_out").identity(m.warp()))
                    .output(ModelSignature.MOTION_CAVITY, tf.withName("motion_cavity_out").identity(m.cavity()))
                    .build();
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("the default avatar model could not be written to " + dir, e);
            }
        }
    }
}
