package dev.avatarfleet.worker.render.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Short names for the float32 graph arithmetic the motion sub-graph is written in (broadcasting as TensorFlow does). */
final class MotionOps {

    private final Ops tf;

    MotionOps(Ops tf) {
        this.tf = tf;
    }

    Ops tf() {
        return tf;
    }

    Operand<TFloat32> c(double v) {
        return tf.constant((float) v);
    }

    Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.add(a, b);
    }

    Operand<TFloat32> add(Operand<TFloat32> a, double b) {
        return tf.math.add(a, c(b));
    }

    Operand<TFloat32> sub(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.sub(a, b);
    }

    Operand<TFloat32> sub(double a, Operand<TFloat32> b) {
        return tf.math.sub(c(a), b);
    }

    Operand<TFloat32> mul(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.mul(a, b);
    }

    Operand<TFloat32> mul(Operand<TFloat32> a, double b) {
        return tf.math.mul(a, c(b));
    }

    Operand<TFloat32> div(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.div(a, b);
    }

    Operand<TFloat32> neg(Operand<TFloat32> a) {
        return tf.math.neg(a);
    }

    Operand<TFloat32> square(Operand<TFloat32> a) {
        return tf.math.square(a);
    }

    Operand<TFloat32> abs(Operand<TFloat32> a) {
        return tf.math.abs(a);
    }

    Operand<TFloat32> max(Operand<TFloat32> a, double b) {
        return tf.math.maximum(a, c(b));
    }

    Operand<TFloat32> max(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.maximum(a, b);
    }

    Operand<TFloat32> min(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.minimum(a, b);
    }

    Operand<TFloat32> clip01(Operand<TFloat32> a) {
        return tf.clipByValue(a, c(0), c(1));
    }

    Operand<TFloat32> sigmoid(Operand<TFloat32> a) {
        return tf.math.sigmoid(a);
    }

    /** sigmoid((a - centre) / width). */
    Operand<TFloat32> rise(Operand<TFloat32> a, double centre, double width) {
        return sigmoid(mul(add(a, -centre), 1 / width));
    }

    /**
     * 0 below {@code lo}, 1 above {@code hi}, linear between ({@code lo < hi}). Linear, not a smooth cubic: on the warp's
     * grid the synthesis interpolates linearly anyway, and at one session per call each op is a cost of its own.
     */
    Operand<TFloat32> rise(Operand<TFloat32> lo, Operand<TFloat32> hi, Operand<TFloat32> x) {
        return clip01(div(sub(x, lo), sub(hi, lo)));
    }

    /** 1 below {@code lo}, 0 above {@code hi}, linear between: 1 - rise, one op fewer. */
    Operand<TFloat32> fall(Operand<TFloat32> lo, Operand<TFloat32> hi, Operand<TFloat32> x) {
        return clip01(div(sub(hi, x), sub(hi, lo)));
    }

    /** exp(-(a / width)^2). */
    Operand<TFloat32> gauss(Operand<TFloat32> a, Operand<TFloat32> width) {
        return tf.math.exp(neg(square(div(a, width))));
    }

    /** Column {@code i} of a [B, N] tensor, as [B, 1]. */
    Operand<TFloat32> col(Operand<TFloat32> m, int i) {
        return tf.slice(m, tf.constant(new int[] {0, i}), tf.constant(new int[] {-1, 1}));
    }

    /** amplitude * sin(2 pi hz t + phase). */
    Operand<TFloat32> wave(Operand<TFloat32> t, double amplitude, double hz, double phase) {
        return mul(tf.math.sin(add(mul(t, 2 * Math.PI * hz), phase)), amplitude);
    }
}
