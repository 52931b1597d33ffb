package dev.avatarfleet.worker.face;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The convolution layers face-api's networks are made of, as TensorFlow ops with a model's weights as constants. */
final class NetLayers {

    private final Ops tf;
    private final TfjsWeights weights;

    NetLayers(Ops tf, TfjsWeights weights) {
        this.tf = tf;
        this.weights = weights;
    }

    Ops tf() {
        return tf;
    }

    TfjsWeights weights() {
        return weights;
    }

    /** A weight as a constant, after checking its shape. */
    Operand<TFloat32> weight(String name, long... shape) {
        return constant(weights.floats(name, shape), shape);
    }

    Operand<TFloat32> constant(float[] values, long... shape) {
        return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    /** A k x k convolution (NHWC, SAME padding) plus bias, weights {@code prefix/filters|weights} and {@code prefix/bias|biases}. */
    Operand<TFloat32> conv(Operand<TFloat32> x, Operand<TFloat32> filter, Operand<TFloat32> bias, int stride) {
        return tf.nn.biasAdd(tf.nn.conv2d(x, filter, strides(stride), "SAME"), bias);
    }

    /** A depthwise k x k convolution (one filter per channel, SAME padding). */
    Operand<TFloat32> depthwise(Operand<TFloat32> x, Operand<TFloat32> filter, int stride) {
        return tf.nn.depthwiseConv2dNative(x, filter, strides(stride), "SAME");
    }

    /**
     * A depthwise-separable convolution with bias, as face-api's landmark net has them: {@code prefix/depthwise_filter}
     * [3,3,in,1], {@code prefix/pointwise_filter} [1,1,in,out], {@code prefix/bias} [out].
     */
    Operand<TFloat32> separable(Operand<TFloat32> x, String prefix, int in, int out, int stride) {
        Operand<TFloat32> dw = depthwise(x, weight(prefix + "/depthwise_filter", 3, 3, in, 1), stride);
        return conv(dw, weight(prefix + "/pointwise_filter", 1, 1, in, out), weight(prefix + "/bias", out), 1);
    }

    private static List<Long> strides(int s) {
        return List.of(1L, (long) s, (long) s, 1L);
    }
}
