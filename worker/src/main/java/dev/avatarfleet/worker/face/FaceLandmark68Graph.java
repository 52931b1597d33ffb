package dev.avatarfleet.worker.face;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * face-api's 68-point landmark net ({@code face_landmark_68_model}) as TensorFlow ops: a 112 x 112 RGB face crop
 * less the mean colour, over 255; four dense blocks (32, 64, 128, 256 channels; each a stride-2 convolution, a
 * regular 3 x 3 one in the first block and a depthwise-separable one after, then three depthwise-separable
 * convolutions each fed the ReLU of the sum of all before it); a 7 x 7 average pool; a fully connected layer to
 * 136 values: x and y of each point, as fractions of the crop.
 */
final class FaceLandmark68Graph {

    static final String MODEL = "face_landmark_68_model";
    static final int INPUT = 112;
    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    private static final int[] CHANNELS = {32, 64, 128, 256};

    private final NetLayers net;
    private final Ops tf;

    private FaceLandmark68Graph(NetLayers net) {
        this.net = net;
        this.tf = net.tf();
    }

    /**
     * @param crops uint8 [N, 112, 112, 3] RGB face crops
     * @return float [N, 136]: x0, y0, x1, y1, ... as fractions of the crop's side
     */
    static Operand<TFloat32> build(Ops tf, TfjsWeights weights, Operand<TUint8> crops) {
        return new FaceLandmark68Graph(new NetLayers(tf, weights)).build(crops);
    }

    private Operand<TFloat32> build(Operand<TUint8> crops) {
        Operand<TFloat32> x = tf.math.div(tf.math.sub(tf.dtypes.cast(crops, TFloat32.class),
                net.constant(MEAN_RGB, 1, 1, 1, 3)), tf.constant(255f));
        int in = 3;
        for (int b = 0; b < CHANNELS.length; b++) {
            x = denseBlock(x, "dense" + b, in, CHANNELS[b], b == 0);
            in = CHANNELS[b];
        }
        x = tf.nn.avgPool(x, List.of(1L, 7L, 7L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
        x = tf.reshape(x, tf.constant(new int[] {-1, 256}));
        Operand<TFloat32> out = tf.math.add(tf.linalg.matMul(x, net.weight("fc/weights", 256, 136)), net.weight("fc/bias", 136));
        return tf.withName("face_landmarks").identity(out);
    }

    private Operand<TFloat32> denseBlock(Operand<TFloat32> x, String p, int in, int out, boolean first) {
        Operand<TFloat32> out1 = tf.nn.relu(first
                ? net.conv(x, net.weight(p + "/conv0/filters", 3, 3, in, out), net.weight(p + "/conv0/bias", out), 2)
                : net.separable(x, p + "/conv0", in, out, 2));
        Operand<TFloat32> out2 = net.separable(out1, p + "/conv1", out, out, 1);
        // why: each sum as one AddN of the branches (not a chain of Adds reused by the next sum), so Grappler's
        // remapper can fuse the convolutions without cutting a shared Add out from under its second reader
        Operand<TFloat32> out3 = net.separable(tf.nn.relu(tf.math.addN(List.of(out1, out2))), p + "/conv2", out, out, 1);
        Operand<TFloat32> out4 = net.separable(tf.nn.relu(tf.math.addN(List.of(out1, out2, out3))), p + "/conv3", out, out, 1);
        return tf.nn.relu(tf.math.addN(List.of(out1, out2, out3, out4)));
    }
}
