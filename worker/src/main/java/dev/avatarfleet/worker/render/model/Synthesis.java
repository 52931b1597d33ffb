package dev.avatarfleet.worker.render.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The v2 frame synthesis as graph ops: a {@link FaceMotion.Motion} applied to the patch. The warp grid is upsampled
 * bilinearly (corners aligned) to P x P, each output pixel samples the patch bilinearly at its position plus the warp
 * (clamped to the patch), the mouth interior darkens it ({@code out = warped * (1 - c) + shade * c}, shade = the
 * warped pixel times {@code 1 - CAVITY_DARKENING}), and the result becomes I420 (BT.601 limited range, chroma from
 * each 2 x 2 block's mean). {@link NativeSynthesis} computes the same outside TensorFlow.
 */
final class Synthesis {

    /** How much a full cavity darkens a pixel: shade = warped x (1 - 0.82). */
    static final float CAVITY_DARKENING = 0.82f;
    /** BT.601 limited range, from RGB: Y row, then U and V columns. */
    static final float[] Y_RGB = {0.2568f, 0.5041f, 0.0979f};
    static final float[][] UV_RGB = {{-0.1482f, 0.4392f}, {-0.2910f, -0.3678f}, {0.4392f, -0.0714f}};

    private Synthesis() {
    }

    /** [B,P*P*3/2] uint8 from patch [B,P,P,3] uint8, warp [B,G,G,2], cavity [B,P,P,1]. */
    static Operand<TUint8> patchI420(Ops tf, Operand<TUint8> patch, Operand<TFloat32> warp, Operand<TFloat32> cavity, int p) {
        int g = FaceMotion.GRID;
        // why: identity + warp on the grid, clamped there: bilinear upsampling of clamped values stays clamped, so no
        // full-size clip is needed
        float[][][][] identity = new float[1][g][g][2];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                identity[0][i][j][0] = j * (p - 1f) / (g - 1);
                identity[0][i][j][1] = i * (p - 1f) / (g - 1);
            }
        }
        Operand<TFloat32> src = tf.clipByValue(tf.math.add(warp, tf.constant(identity)), tf.constant(0f), tf.constant(p - 1.001f));
        Operand<TFloat32> up = tf.image.resizeBilinear(src, tf.constant(new int[] {p, p}), ResizeBilinear.alignCorners(true));
        Operand<TFloat32> x = tf.gather(up, tf.constant(new int[] {0}), tf.constant(3));
        Operand<TFloat32> y = tf.gather(up, tf.constant(new int[] {1}), tf.constant(3));
        Operand<TFloat32> x0 = tf.math.floor(x);
        Operand<TFloat32> y0 = tf.math.floor(y);
        Operand<TFloat32> fx = tf.math.sub(x, x0);
        Operand<TFloat32> fy = tf.math.sub(y, y0);
        Operand<TInt32> b = tf.gather(tf.shape(patch), tf.constant(0), tf.constant(0));
        Operand<TFloat32> base = tf.reshape(tf.dtypes.cast(tf.math.mul(tf.range(tf.constant(0), b, tf.constant(1)), tf.constant(p * p)),
                TFloat32.class), tf.constant(new int[] {-1, 1, 1, 1}));
        Operand<TInt32> idx = tf.squeeze(tf.dtypes.cast(tf.math.add(tf.math.add(tf.math.mul(y0, tf.constant((float) p)), x0), base),
                TInt32.class), Squeeze.axis(List.of(3L)));
        Operand<TFloat32> flat = tf.reshape(tf.dtypes.cast(patch, TFloat32.class), tf.constant(new int[] {-1, 3}));
        Operand<TFloat32> p00 = tf.gather(flat, idx, tf.constant(0));
        Operand<TFloat32> p01 = tf.gather(flat, tf.math.add(idx, tf.constant(1)), tf.constant(0));
        Operand<TFloat32> p10 = tf.gather(flat, tf.math.add(idx, tf.constant(p)), tf.constant(0));
        Operand<TFloat32> p11 = tf.gather(flat, tf.math.add(idx, tf.constant(p + 1)), tf.constant(0));
        Operand<TFloat32> top = tf.math.add(p00, tf.math.mul(fx, tf.math.sub(p01, p00)));
        Operand<TFloat32> bottom = tf.math.add(p10, tf.math.mul(fx, tf.math.sub(p11, p10)));
        Operand<TFloat32> warped = tf.math.add(top, tf.math.mul(fy, tf.math.sub(bottom, top)));
        Operand<TFloat32> pixels = tf.math.mul(warped, tf.math.sub(tf.constant(1f), tf.math.mul(tf.constant(CAVITY_DARKENING), cavity)));

        // why: Y is a 1x1 convolution and U,V one 2x2 stride-2 convolution (the 2x2 mean folded into its weights):
        // oneDNN runs each in one pass, and [B,2,P/2,P/2] flattens to the U plane then the V plane
        Operand<TFloat32> luma = tf.math.add(tf.nn.conv2d(pixels, tf.constant(new float[][][][] {{{{Y_RGB[0]}, {Y_RGB[1]}, {Y_RGB[2]}}}}),
                List.of(1L, 1L, 1L, 1L), "VALID"), tf.constant(16f));
        float[][][][] uvFilter = new float[2][2][3][2];
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                for (int ch = 0; ch < 3; ch++) {
                    uvFilter[dy][dx][ch][0] = UV_RGB[ch][0] / 4f;
                    uvFilter[dy][dx][ch][1] = UV_RGB[ch][1] / 4f;
                }
            }
        }
        Operand<TFloat32> chroma = tf.math.add(tf.nn.conv2d(pixels, tf.constant(uvFilter), List.of(1L, 2L, 2L, 1L), "VALID"),
                tf.constant(128f));
        Operand<TFloat32> uvPlanes = tf.linalg.transpose(chroma, tf.constant(new int[] {0, 3, 1, 2}));
        Operand<TInt32> rowsOfB = tf.stack(List.of(b, tf.constant(-1)));
        Operand<TFloat32> planes = tf.concat(List.of(tf.reshape(luma, rowsOfB), tf.reshape(uvPlanes, rowsOfB)), tf.constant(1));
        return tf.dtypes.cast(tf.math.round(tf.clipByValue(planes, tf.constant(0f), tf.constant(255f))), TUint8.class);
    }
}
