package dev.avatarfleet.worker.face;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.image.NonMaxSuppression;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * face-api's face detector, SSD with a MobileNet v1 backbone ({@code ssd_mobilenetv1_model}), as TensorFlow ops:
 * a 512 x 512 RGB input scaled to [-1, 1]; 14 MobileNet layers (a 3 x 3 convolution, then 13 depthwise 3 x 3 +
 * pointwise 1 x 1 pairs, ReLU6, the depthwise layers' batch norm folded into their filters here); 8 extra
 * feature layers; six box predictors (feature maps 32, 16, 8, 4, 2, 1 cells; 3 anchors on the first, 6 on the
 * others: 5118 anchors, shipped as the weight {@code Output/extra_dim}); box decoding against the anchors
 * (centre offsets / 10, log sizes / 5); sigmoid face scores; and non-maximum suppression
 * ({@code NonMaxSuppressionV5}, IoU 0.5).
 */
final class SsdMobilenetV1Graph {

    static final String MODEL = "ssd_mobilenetv1_model";
    static final int INPUT = 512;
    static final int ANCHORS = 5118;
    private static final float BN_EPSILON = 0.0010000000474974513f;
    /** Output channels of MobileNet layers 1..13 (layer 0 has 32). */
    private static final int[] CHANNELS = {32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    /** Extra feature layers: {in, out, kernel, stride}. */
    private static final int[][] EXTRA = {
        {1024, 256, 1, 1}, {256, 512, 3, 2}, {512, 128, 1, 1}, {128, 256, 3, 2},
        {256, 128, 1, 1}, {128, 256, 3, 2}, {256, 64, 1, 1}, {64, 128, 3, 2},
    };

    /**
     * @param boxes  [N, 4] ymin, xmin, ymax, xmax as fractions of the input
     * @param scores [N] face scores, highest first
     */
    record Outputs(Operand<TFloat32> boxes, Operand<TFloat32> scores) {
    }

    private final NetLayers net;
    private final Ops tf;

    private SsdMobilenetV1Graph(NetLayers net) {
        this.net = net;
        this.tf = net.tf();
    }

    /**
     * @param image    uint8 [1, 512, 512, 3] RGB
     * @param maxFaces most boxes kept after suppression
     * @param minScore least score kept
     */
    static Outputs build(Ops tf, TfjsWeights weights, Operand<TUint8> image, int maxFaces, float minScore) {
        return new SsdMobilenetV1Graph(new NetLayers(tf, weights)).build(image, maxFaces, minScore);
    }

    private Outputs build(Operand<TUint8> image, int maxFaces, float minScore) {
        Operand<TFloat32> x = tf.math.sub(tf.math.div(tf.dtypes.cast(image, TFloat32.class), c(127.5f)), c(1f));

        // ---- MobileNet v1
        String p0 = "MobilenetV1/Conv2d_0_pointwise";
        x = relu6(net.conv(x, net.weight(p0 + "/weights", 3, 3, 3, 32), net.weight(p0 + "/convolution_bn_offset", 32), 2));
        Operand<TFloat32> conv11 = null;
        for (int i = 1; i <= 13; i++) {
            int in = CHANNELS[i - 1];
            int out = CHANNELS[i];
            int stride = i == 2 || i == 4 || i == 6 || i == 12 ? 2 : 1;
            x = relu6(depthwiseBatchNorm(x, "MobilenetV1/Conv2d_" + i + "_depthwise", in, stride));
            String pw = "MobilenetV1/Conv2d_" + i + "_pointwise";
            x = relu6(net.conv(x, net.weight(pw + "/weights", 1, 1, in, out), net.weight(pw + "/convolution_bn_offset", out), 1));
            if (i == 11) {
                conv11 = x;
            }
        }

        // ---- extra feature layers and the six box predictors
        List<Operand<TFloat32>> features = new ArrayList<>(List.of(conv11, x));
        List<Integer> featureChannels = new ArrayList<>(List.of(512, 1024));
        Operand<TFloat32> f = x;
        for (int i = 0; i < EXTRA.length; i++) {
            int[] e = EXTRA[i];
            String p = "Prediction/Conv2d_" + i + "_pointwise";
            f = relu6(net.conv(f, net.weight(p + "/weights", e[2], e[2], e[0], e[1]), net.weight(p + "/convolution_bn_offset", e[1]), e[3]));
            if (i % 2 == 1) {
                features.add(f);
                featureChannels.add(e[1]);
            }
        }
        List<Operand<TFloat32>> encodings = new ArrayList<>();
        List<Operand<TFloat32>> classes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int anchors = i == 0 ? 3 : 6;
            int in = featureChannels.get(i);
            String p = "Prediction/BoxPredictor_" + i;
            Operand<TFloat32> enc = net.conv(features.get(i), net.weight(p + "/BoxEncodingPredictor/weights", 1, 1, in, 4L * anchors),
                    net.weight(p + "/BoxEncodingPredictor/biases", 4L * anchors), 1);
            Operand<TFloat32> cls = net.conv(features.get(i), net.weight(p + "/ClassPredictor/weights", 1, 1, in, 3L * anchors),
                    net.weight(p + "/ClassPredictor/biases", 3L * anchors), 1);
            encodings.add(tf.reshape(enc, tf.constant(new int[] {-1, 4})));
            classes.add(tf.reshape(cls, tf.constant(new int[] {-1, 3})));
        }
        Operand<TFloat32> encoding = tf.concat(encodings, tf.constant(0));
        Operand<TFloat32> cls = tf.concat(classes, tf.constant(0));

        // ---- decode against the anchors, score, suppress
        Operand<TFloat32> anchors = tf.reshape(net.weight("Output/extra_dim", 1, ANCHORS, 4), tf.constant(new int[] {ANCHORS, 4}));
        Operand<TFloat32> boxes = decode(anchors, encoding);
        Operand<TFloat32> scores = tf.math.sigmoid(tf.reshape(
                tf.slice(cls, tf.constant(new int[] {0, 1}), tf.constant(new int[] {-1, 1})), tf.constant(new int[] {-1})));
        NonMaxSuppression<TFloat32> nms = tf.image.nonMaxSuppression(boxes, scores, tf.constant(maxFaces), c(0.5f), c(minScore), c(0f));
        Operand<TInt32> keep = nms.selectedIndices();
        return new Outputs(tf.withName("face_boxes").gather(boxes, keep, tf.constant(0)),
                tf.withName("face_scores").identity(nms.selectedScores()));
    }

    /** A depthwise 3 x 3 convolution with its batch norm folded in: filter x gamma / sqrt(var + eps), plus beta - mean x that. */
    private Operand<TFloat32> depthwiseBatchNorm(Operand<TFloat32> x, String p, int channels, int stride) {
        TfjsWeights w = net.weights();
        float[] filter = w.floats(p + "/depthwise_weights", 3, 3, channels, 1);
        float[] gamma = w.floats(p + "/BatchNorm/gamma", channels);
        float[] beta = w.floats(p + "/BatchNorm/beta", channels);
        float[] mean = w.floats(p + "/BatchNorm/moving_mean", channels);
        float[] var = w.floats(p + "/BatchNorm/moving_variance", channels);
        float[] bias = new float[channels];
        float[] scale = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            scale[ch] = (float) (gamma[ch] / Math.sqrt(var[ch] + BN_EPSILON));
            bias[ch] = beta[ch] - mean[ch] * scale[ch];
        }
        for (int i = 0; i < filter.length; i++) {
            filter[i] *= scale[i % channels];
        }
        return tf.nn.biasAdd(net.depthwise(x, net.constant(filter, 3, 3, channels, 1), stride), net.constant(bias, channels));
    }

    /** SSD box decoding: anchors and boxes are ymin, xmin, ymax, xmax; encodings ty, tx, th, tw. */
    private Operand<TFloat32> decode(Operand<TFloat32> anchors, Operand<TFloat32> encoding) {
        List<Operand<TFloat32>> a = cols(anchors);
        List<Operand<TFloat32>> e = cols(encoding);
        Operand<TFloat32> ah = tf.math.sub(a.get(2), a.get(0));
        Operand<TFloat32> aw = tf.math.sub(a.get(3), a.get(1));
        Operand<TFloat32> acy = tf.math.add(a.get(0), tf.math.mul(ah, c(0.5f)));
        Operand<TFloat32> acx = tf.math.add(a.get(1), tf.math.mul(aw, c(0.5f)));
        Operand<TFloat32> cy = tf.math.add(tf.math.mul(tf.math.div(e.get(0), c(10f)), ah), acy);
        Operand<TFloat32> cx = tf.math.add(tf.math.mul(tf.math.div(e.get(1), c(10f)), aw), acx);
        Operand<TFloat32> hh = tf.math.mul(tf.math.exp(tf.math.div(e.get(2), c(5f))), tf.math.mul(ah, c(0.5f)));
        Operand<TFloat32> hw = tf.math.mul(tf.math.exp(tf.math.div(e.get(3), c(5f))), tf.math.mul(aw, c(0.5f)));
        return tf.stack(List.of(tf.math.sub(cy, hh), tf.math.sub(cx, hw), tf.math.add(cy, hh), tf.math.add(cx, hw)), Stack.axis(1L));
    }

    private List<Operand<TFloat32>> cols(Operand<TFloat32> m) {
        List<Operand<TFloat32>> out = new ArrayList<>();
        tf.unstack(m, 4L, Unstack.axis(1L)).forEach(out::add);
        return out;
    }

    private Operand<TFloat32> relu6(Operand<TFloat32> x) {
        return tf.nn.relu6(x);
    }

    private Operand<TFloat32> c(float v) {
        return tf.constant(v);
    }
}
