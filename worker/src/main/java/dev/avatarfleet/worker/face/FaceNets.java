package dev.avatarfleet.worker.face;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The face detector and the landmark net in one TensorFlow graph and session, built from the models' tfjs
 * weights. Thread-safe: each call runs the session on its own tensors.
 */
final class FaceNets implements AutoCloseable {

    /** Most faces the detector keeps per image. */
    static final int MAX_FACES = 20;
    /** Least detector score kept (face-api's default). */
    static final float MIN_SCORE = 0.5f;

    /** A detector box: fractions of the detector's input, and its score. */
    record Box(float ymin, float xmin, float ymax, float xmax, float score) {
    }

    private final Graph graph;
    private final Session session;
    private final Operand<TUint8> detectorInput;
    private final SsdMobilenetV1Graph.Outputs detector;
    private final Operand<TUint8> landmarkInput;
    private final Operand<TFloat32> landmarks;
    private final long weightBytes;

    private FaceNets(Graph graph, Session session, Operand<TUint8> detectorInput, SsdMobilenetV1Graph.Outputs detector,
                     Operand<TUint8> landmarkInput, Operand<TFloat32> landmarks, long weightBytes) {
        this.graph = graph;
        this.session = session;
        this.detectorInput = detectorInput;
        this.detector = detector;
        this.landmarkInput = landmarkInput;
        this.landmarks = landmarks;
        this.weightBytes = weightBytes;
    }

    /**
     * Reads both models' weights and builds the graph.
     *
     * @param threads TensorFlow intra-op threads, 0 for TensorFlow's choice
     * @throws FaceModelException when a model's files are missing, truncated or not the network's weights
     */
    static FaceNets load(WeightFiles files, int threads) {
        TfjsWeights ssd = TfjsWeights.read(files, SsdMobilenetV1Graph.MODEL);
        TfjsWeights marks = TfjsWeights.read(files, FaceLandmark68Graph.MODEL);
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            int n = SsdMobilenetV1Graph.INPUT;
            var image = tf.withName("detector_image").placeholder(TUint8.class, Placeholder.shape(Shape.of(1, n, n, 3)));
            var det = SsdMobilenetV1Graph.build(tf, ssd, image, MAX_FACES, MIN_SCORE);
            int m = FaceLandmark68Graph.INPUT;
            var crops = tf.withName("landmark_crops").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, m, m, 3)));
            var points = FaceLandmark68Graph.build(tf, marks, crops);
            ConfigProto cfg = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(1).build();
            Session s = new Session(g, cfg);
            return new FaceNets(g, s, image, det, crops, points, ssd.bytes() + marks.bytes());
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** The bytes of weights both models read. */
    long weightBytes() {
        return weightBytes;
    }

    /** Runs the detector on one 512 x 512 RGB input; boxes after suppression, highest score first. */
    List<Box> detect(byte[] rgb) {
        int n = SsdMobilenetV1Graph.INPUT;
        if (rgb.length != n * n * 3) {
            throw new IllegalArgumentException("the detector takes " + n + "x" + n + " RGB");
        }
        try (TUint8 in = TUint8.tensorOf(Shape.of(1, n, n, 3))) {
            in.asRawTensor().data().write(rgb);
            try (Result r = session.runner().feed(detectorInput, in).fetch(detector.boxes()).fetch(detector.scores()).run()) {
                float[] boxes = floats(r.get(0));
                float[] scores = floats(r.get(1));
                List<Box> out = new ArrayList<>(scores.length);
                for (int i = 0; i < scores.length; i++) {
                    out.add(new Box(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], scores[i]));
                }
                return out;
            }
        }
    }

    /** Runs the landmark net on {@code count} 112 x 112 RGB crops laid end to end; 136 values per crop. */
    float[][] landmarks(byte[] crops, int count) {
        int m = FaceLandmark68Graph.INPUT;
        if (count <= 0 || crops.length != count * m * m * 3) {
            throw new IllegalArgumentException("the landmark net takes " + m + "x" + m + " RGB crops");
        }
        try (TUint8 in = TUint8.tensorOf(Shape.of(count, m, m, 3))) {
            in.asRawTensor().data().write(crops);
            try (Result r = session.runner().feed(landmarkInput, in).fetch(landmarks).run()) {
                float[] all = floats(r.get(0));
                float[][] out = new float[count][];
                for (int i = 0; i < count; i++) {
                    out[i] = java.util.Arrays.copyOfRange(all, i * 136, (i + 1) * 136);
                }
                return out;
            }
        }
    }

    private static float[] floats(Tensor t) {
        float[] v = new float[(int) t.shape().size()];
        t.asRawTensor().data().asFloats().read(v);
        return v;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
