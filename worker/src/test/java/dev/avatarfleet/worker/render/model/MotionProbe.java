package dev.avatarfleet.worker.render.model;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A {@link FaceMotion} alone in a graph, for tests: one tick's warp grid, cavity and next state, per session. */
final class MotionProbe implements AutoCloseable {

    /** One call's results, per session: the warp grid (G x G x 2), the cavity (P x P), the next state. */
    record Output(float[][] warp, float[][] cavity, float[][] nextState) {
    }

    private final int p;
    private final Graph graph;
    private final Session session;
    private final Operand<TFloat32> audioIn;
    private final Operand<TFloat32> tIn;
    private final Operand<TFloat32> stateIn;
    private final Operand<TFloat32> faceIn;
    private final FaceMotion.Motion motion;

    MotionProbe(FaceMotion faceMotion, int patchSize) {
        this.p = patchSize;
        graph = new Graph();
        Ops tf = Ops.create(graph);
        audioIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, ModelSignature.AUDIO_SAMPLES)));
        tIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        stateIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, ModelSignature.V2_STATE_SIZE)));
        faceIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, FaceVector.SIZE)));
        motion = faceMotion.build(tf, faceIn, audioIn, tIn, stateIn, p);
        session = new Session(graph);
    }

    Output run(float[][] audio16k, float[] t, float[][] state, float[][] face) {
        int n = t.length;
        int s = ModelSignature.V2_STATE_SIZE;
        int g2 = FaceMotion.GRID * FaceMotion.GRID * 2;
        try (TFloat32 at = TFloat32.tensorOf(Shape.of(n, ModelSignature.AUDIO_SAMPLES));
             TFloat32 tt = TFloat32.tensorOf(Shape.of(n));
             TFloat32 st = TFloat32.tensorOf(Shape.of(n, s));
             TFloat32 ft = TFloat32.tensorOf(Shape.of(n, FaceVector.SIZE))) {
            for (int i = 0; i < n; i++) {
                at.asRawTensor().data().asFloats().offset((long) i * ModelSignature.AUDIO_SAMPLES).write(audio16k[i]);
                st.asRawTensor().data().asFloats().offset((long) i * s).write(state[i]);
                ft.asRawTensor().data().asFloats().offset((long) i * FaceVector.SIZE).write(face[i]);
            }
            tt.asRawTensor().data().asFloats().write(t);
            try (Result r = session.runner().feed(audioIn, at).feed(tIn, tt).feed(stateIn, st).feed(faceIn, ft)
                    .fetch(motion.warp()).fetch(motion.cavity()).fetch(motion.nextState()).run()) {
                float[][] warp = new float[n][g2];
                float[][] cavity = new float[n][p * p];
                float[][] next = new float[n][s];
                for (int i = 0; i < n; i++) {
                    r.get(0).asRawTensor().data().asFloats().offset((long) i * g2).read(warp[i]);
                    r.get(1).asRawTensor().data().asFloats().offset((long) i * p * p).read(cavity[i]);
                    r.get(2).asRawTensor().data().asFloats().offset((long) i * s).read(next[i]);
                }
                return new Output(warp, cavity, next);
            }
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

}
