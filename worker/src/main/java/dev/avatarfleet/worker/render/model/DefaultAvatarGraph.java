package dev.avatarfleet.worker.render.model;

import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Builds avatar-fleet's default avatar model from TensorFlow ops and exports it as a SavedModel with
 * the {@link ModelSignature}. No training: the "weights" are hand-set constants, the places a trained
 * model would put its own.
 *
 * <ol>
 *   <li>Audio features: RMS loudness, and a Hann-windowed DFT (two matmuls with constant cos/sin
 *       matrices, 25 Hz bins) pooled by an 8-band log-spaced triangular filterbank (100-6000 Hz).</li>
 *   <li>Mouth: openness from loudness weighted by the low-band (vowel) share, width from the
 *       high-band (sibilant) share, smoothed against the session's state (fast attack, slower release).</li>
 *   <li>Idle life from the session clock: a blink every 4.1 s, head roll, sway, nod and breathing
 *       as sums of slow sines, so a silent avatar is never a frozen picture.</li>
 *   <li>One warp: a 65 x 65 field of source coordinates and a shade (inverse head motion, jaw drop,
 *       upper-lip lift, lip stretch, eyelids; a dark mouth cavity) upsampled bilinearly to H x W,
 *       then a bilinear gather of the avatar and I420 conversion (BT.601 limited range).</li>
 * </ol>
 */
final class DefaultAvatarGraph {

    /** Control points per side of the warp field. */
    static final int GRID = 65;
    private static final int BINS = ModelSignature.AUDIO_SAMPLES / 2 + 1;
    private static final int BANDS = 8;
    /** Bands whose centre is at or below ~1 kHz: where vowels (open mouths) put their energy. */
    private static final int LOW_BANDS = 5;

    private final Ops tf;

    private DefaultAvatarGraph(Ops tf) {
        this.tf = tf;
    }

    /** Builds the graph and writes it as a SavedModel into {@code dir} (which must be empty or absent). */
    static void export(Path dir) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var image = tf.withName(ModelSignature.IMAGE).placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
            var audio = tf.withName(ModelSignature.AUDIO).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, ModelSignature.AUDIO_SAMPLES)));
            var t = tf.withName(ModelSignature.T).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var state = tf.withName(ModelSignature.STATE).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, ModelSignature.STATE_SIZE)));
            var face = tf.withName(ModelSignature.FACE).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, ModelSignature.FACE_SIZE)));
            Outputs out = new DefaultAvatarGraph(tf).build(image, audio, t, state, face);
            Signature sig = Signature.builder(ModelSignature.KEY)
                    .input(ModelSignature.IMAGE, image).input(ModelSignature.AUDIO, audio).input(ModelSignature.T, t)
                    .input(ModelSignature.STATE, state).input(ModelSignature.FACE, face)
                    .output(ModelSignature.FRAMES, out.frames()).output(ModelSignature.I420, out.i420())
                    .output(ModelSignature.NEXT_STATE, out.nextState())
                    .build();
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("the default avatar model could not be written to " + dir, e);
            }
        }
    }

    record Outputs(Operand<TUint8> frames, Operand<TUint8> i420, Operand<TFloat32> nextState) {
    }

    Outputs build(Operand<TUint8> image, Operand<TFloat32> audio, Operand<TFloat32> t, Operand<TFloat32> state,
                  Operand<TFloat32> face) {
        // ---- audio features -> mouth targets
        Operand<TFloat32> rms = tf.math.sqrt(add(tf.math.mean(tf.math.square(audio), tf.constant(1), Mean.keepDims(true)), c(1e-10f)));
        // why: -4.2 is ln(0.015): quiet room noise stays shut, conversational speech (rms 0.03..0.3) opens
        Operand<TFloat32> loud = tf.math.sigmoid(mul(c(3.5f), add(tf.math.log(add(rms, c(1e-5f))), c(4.2f))));
        Operand<TFloat32> windowed = mul(audio, tf.constant(new float[][] {hann()}));
        Operand<TFloat32> re = tf.linalg.matMul(windowed, tf.constant(dft(true)));
        Operand<TFloat32> im = tf.linalg.matMul(windowed, tf.constant(dft(false)));
        Operand<TFloat32> mag = tf.math.sqrt(add(add(tf.math.square(re), tf.math.square(im)), c(1e-12f)));
        Operand<TFloat32> bands = tf.linalg.matMul(mag, tf.constant(filterbank()));
        Operand<TFloat32> total = add(tf.linalg.matMul(bands, tf.constant(mask(0, BANDS))), c(1e-6f));
        Operand<TFloat32> lowShare = div(tf.linalg.matMul(bands, tf.constant(mask(0, LOW_BANDS))), total);
        Operand<TFloat32> openTarget = mul(loud, add(c(0.35f), mul(c(0.65f), lowShare)));
        Operand<TFloat32> widthTarget = mul(loud, sub(c(1f), lowShare));

        // ---- smoothing against the session state
        Operand<TFloat32> prevOpen = col(state, 0);
        Operand<TFloat32> prevWidth = col(state, 1);
        Operand<TFloat32> prevEnergy = col(state, 2);
        Operand<TFloat32> rising = tf.dtypes.cast(tf.math.greater(openTarget, prevOpen), TFloat32.class);
        Operand<TFloat32> alpha = add(c(0.35f), mul(c(0.3f), rising));
        Operand<TFloat32> open = add(prevOpen, mul(alpha, sub(openTarget, prevOpen)));
        Operand<TFloat32> width = add(prevWidth, mul(c(0.4f), sub(widthTarget, prevWidth)));
        Operand<TFloat32> energy = add(prevEnergy, mul(c(0.08f), sub(loud, prevEnergy)));

        // ---- idle life from the clock
        Operand<TFloat32> tt = tf.reshape(t, tf.constant(new int[] {-1, 1}));
        Operand<TFloat32> phase = tf.math.floorMod(add(tt, c(3.75f)), c(4.1f));
        Operand<TFloat32> blink = tf.math.exp(tf.math.neg(tf.math.square(div(sub(phase, c(0.15f)), c(0.07f)))));
        Operand<TFloat32> roll = add(add(wave(tt, 0.030f, 0.21f, 0f), wave(tt, 0.015f, 0.43f, 1.1f)),
                mul(energy, wave(tt, 0.02f, 1.7f, 0f)));
        Operand<TFloat32> shiftX = add(wave(tt, 0.010f, 0.13f, 0.4f), wave(tt, 0.004f, 0.31f, 0f));
        Operand<TFloat32> shiftY = add(wave(tt, 0.008f, 0.17f, 2.0f), mul(c(0.012f), open));
        Operand<TFloat32> scale = add(c(1f), wave(tt, 0.006f, 0.25f, 0f));

        // ---- the warp field on the control grid, in fractions of the frame
        Operand<TFloat32> u = tf.constant(new float[][] {gridAxis(true)});
        Operand<TFloat32> v = tf.constant(new float[][] {gridAxis(false)});
        Operand<TFloat32> mx = col(face, 0);
        Operand<TFloat32> my = col(face, 1);
        Operand<TFloat32> rx = col(face, 2);
        Operand<TFloat32> ry = col(face, 3);
        Operand<TFloat32> eyeY = col(face, 4);
        Operand<TFloat32> eyeDx = col(face, 5);
        Operand<TFloat32> pivotY = add(my, c(0.12f));
        Operand<TFloat32> px = sub(sub(u, mx), shiftX);
        Operand<TFloat32> py = sub(sub(v, pivotY), shiftY);
        Operand<TFloat32> cos = tf.math.cos(roll);
        Operand<TFloat32> sin = tf.math.sin(roll);
        Operand<TFloat32> qx = add(mx, div(add(mul(cos, px), mul(sin, py)), scale));
        Operand<TFloat32> qy = add(pivotY, div(sub(mul(cos, py), mul(sin, px)), scale));

        // mouth: jaw drop below the lip line, a little lift above, stretch with width
        Operand<TFloat32> ddx = div(sub(qx, mx), rx);
        Operand<TFloat32> ddy = div(sub(qy, my), ry);
        Operand<TFloat32> across = gauss(ddx, 1.8f);
        Operand<TFloat32> below = tf.math.sigmoid(mul(ddy, c(6f)));
        Operand<TFloat32> belowFade = gauss(tf.math.maximum(sub(ddy, c(1.5f)), c(0f)), 4f);
        Operand<TFloat32> aboveFade = gauss(tf.math.minimum(ddy, c(0f)), 1.2f);
        Operand<TFloat32> drop = mul(open, mul(c(1.9f), ry));
        Operand<TFloat32> lift = mul(open, mul(c(0.45f), ry));
        Operand<TFloat32> jaw = mul(across, sub(mul(drop, mul(below, belowFade)), mul(lift, mul(sub(c(1f), below), aboveFade))));
        Operand<TFloat32> stretch = add(c(1f), mul(mul(c(0.18f), width), mul(gauss(ddx, 2.2f), gauss(ddy, 2f))));
        Operand<TFloat32> sx = add(mx, div(sub(qx, mx), stretch));
        Operand<TFloat32> sy = sub(qy, jaw);

        // mouth cavity: an ellipse between the parted lips, darkened
        Operand<TFloat32> cavityY = add(my, mul(c(0.5f), sub(drop, lift)));
        Operand<TFloat32> cavityH = add(mul(c(0.42f), add(drop, lift)), c(1e-4f));
        Operand<TFloat32> cavityW = mul(rx, add(c(0.8f), mul(c(0.15f), width)));
        Operand<TFloat32> r2 = add(tf.math.square(div(sub(qx, mx), cavityW)), tf.math.square(div(sub(qy, cavityY), cavityH)));
        Operand<TFloat32> inside = tf.math.sigmoid(mul(sub(c(1f), r2), c(6f)));
        Operand<TFloat32> parted = tf.math.sigmoid(mul(sub(open, c(0.08f)), c(30f)));
        Operand<TFloat32> shade = sub(c(1f), mul(c(0.82f), mul(inside, parted)));

        // eyelids: skin above each eye slides down over it while blinking, with a darker lash line
        Operand<TFloat32> lid = mul(c(0.35f), eyeDx);
        Operand<TFloat32> lidRows = gauss(div(sub(qy, eyeY), mul(c(0.9f), lid)), 1f);
        Operand<TFloat32> lash = gauss(div(sub(qy, add(eyeY, mul(c(0.25f), lid))), mul(c(0.2f), lid)), 1f);
        for (int side = -1; side <= 1; side += 2) {
            Operand<TFloat32> eyeX = add(mx, mul(c(side), eyeDx));
            Operand<TFloat32> eyeCols = gauss(div(sub(qx, eyeX), mul(c(0.5f), eyeDx)), 1f);
            sy = sub(sy, mul(blink, mul(mul(c(0.9f), lid), mul(eyeCols, lidRows))));
            shade = mul(shade, sub(c(1f), mul(c(0.3f), mul(blink, mul(eyeCols, lash)))));
        }

        // ---- upsample the field and sample the avatar
        Operand<TInt32> imgShape = tf.shape(image);
        Operand<TInt32> b = tf.gather(imgShape, tf.constant(0), tf.constant(0));
        Operand<TInt32> h = tf.gather(imgShape, tf.constant(1), tf.constant(0));
        Operand<TInt32> w = tf.gather(imgShape, tf.constant(2), tf.constant(0));
        Operand<TInt32> hw = tf.stack(List.of(h, w));
        // why: each field upsampled on its own straight to [B,H,W,1]: no full-size channel copies afterwards
        Operand<TFloat32> wf = tf.dtypes.cast(w, TFloat32.class);
        Operand<TFloat32> hf = tf.dtypes.cast(h, TFloat32.class);
        // why: clamping just inside the last pixel makes floor() land on at most size-2, so no min() pass is needed
        Operand<TFloat32> x = tf.clipByValue(upsample(sx, hw, wf), c(0f), sub(wf, c(1.001f)));
        Operand<TFloat32> y = tf.clipByValue(upsample(sy, hw, hf), c(0f), sub(hf, c(1.001f)));
        Operand<TFloat32> shadeFull = tf.image.resizeBilinear(tf.reshape(shade, tf.constant(new int[] {-1, GRID, GRID, 1})), hw,
                ResizeBilinear.alignCorners(true));
        Operand<TFloat32> x0 = tf.math.floor(x);
        Operand<TFloat32> y0 = tf.math.floor(y);
        Operand<TFloat32> fx = sub(x, x0);
        Operand<TFloat32> fy = sub(y, y0);
        // why: the flat index computed in float (exact below 2^24 pixels per batch) and cast once
        Operand<TFloat32> base = tf.reshape(tf.dtypes.cast(tf.math.mul(tf.range(tf.constant(0), b, tf.constant(1)), tf.math.mul(h, w)),
                TFloat32.class), tf.constant(new int[] {-1, 1, 1, 1}));
        Operand<TInt32> idx = tf.squeeze(tf.dtypes.cast(add(add(mul(y0, wf), x0), base), TInt32.class), Squeeze.axis(List.of(3L)));
        Operand<TFloat32> flat = tf.reshape(tf.dtypes.cast(image, TFloat32.class), tf.constant(new int[] {-1, 3}));
        Operand<TFloat32> p00 = tf.gather(flat, idx, tf.constant(0));
        Operand<TFloat32> p01 = tf.gather(flat, tf.math.add(idx, tf.constant(1)), tf.constant(0));
        Operand<TFloat32> p10 = tf.gather(flat, tf.math.add(idx, w), tf.constant(0));
        Operand<TFloat32> p11 = tf.gather(flat, tf.math.add(idx, tf.math.add(w, tf.constant(1))), tf.constant(0));
        Operand<TFloat32> top = add(p00, mul(fx, sub(p01, p00)));
        Operand<TFloat32> bottom = add(p10, mul(fx, sub(p11, p10)));
        // why: no clip needed: a convex blend of 0..255 values times a shade in (0, 1] stays in 0..255
        Operand<TFloat32> pixels = mul(add(top, mul(fy, sub(bottom, top))), shadeFull);

        Operand<TUint8> frames = tf.withName("frames_out").dtypes.cast(tf.math.round(pixels), TUint8.class);

        // ---- I420, BT.601 limited range
        // why: Y is a 1x1 convolution and U,V one 2x2 stride-2 convolution (the 2x2 average folded into its
        // weights): oneDNN runs both in one pass each, and [B,2,H/2,W/2] flattens to the U plane then the V plane
        Operand<TFloat32> luma = add(tf.nn.conv2d(pixels, tf.constant(new float[][][][] {{{{0.2568f}, {0.5041f}, {0.0979f}}}}),
                List.of(1L, 1L, 1L, 1L), "VALID"), c(16f));
        float[][] uv = {{-0.1482f, 0.4392f}, {-0.2910f, -0.3678f}, {0.4392f, -0.0714f}};
        float[][][][] uvFilter = new float[2][2][3][2];
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                for (int ch = 0; ch < 3; ch++) {
                    uvFilter[dy][dx][ch][0] = uv[ch][0] / 4f;
                    uvFilter[dy][dx][ch][1] = uv[ch][1] / 4f;
                }
            }
        }
        Operand<TFloat32> chroma = add(tf.nn.conv2d(pixels, tf.constant(uvFilter), List.of(1L, 2L, 2L, 1L), "VALID"), c(128f));
        Operand<TFloat32> uvPlanes = tf.linalg.transpose(chroma, tf.constant(new int[] {0, 3, 1, 2}));
        Operand<TInt32> rowsOfB = tf.stack(List.of(b, tf.constant(-1)));
        Operand<TFloat32> planes = tf.concat(List.of(tf.reshape(luma, rowsOfB), tf.reshape(uvPlanes, rowsOfB)), tf.constant(1));
        Operand<TUint8> i420 = tf.withName("i420_out").dtypes.cast(tf.math.round(tf.clipByValue(planes, c(0f), c(255f))), TUint8.class);

        Operand<TFloat32> next = tf.withName("next_state_out").concat(List.of(open, width, energy, blink), tf.constant(1));
        return new Outputs(frames, i420, next);
    }

    // ---- small helpers, all float32

    private Operand<TFloat32> c(float v) {
        return tf.constant(v);
    }

    private Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.add(a, b);
    }

    private Operand<TFloat32> sub(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.sub(a, b);
    }

    private Operand<TFloat32> mul(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.mul(a, b);
    }

    private Operand<TFloat32> div(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.div(a, b);
    }

    /** Column i of a [B,k] tensor as [B,1]. */
    private Operand<TFloat32> col(Operand<TFloat32> m, int i) {
        return tf.gather(m, tf.constant(new int[] {i}), tf.constant(1));
    }

    /** A [B, GRID*GRID] field of fractions upsampled to [B,H,W,1] pixel coordinates (times size - 1). */
    private Operand<TFloat32> upsample(Operand<TFloat32> field, Operand<TInt32> hw, Operand<TFloat32> size) {
        // why: scaling the small grid before upsampling is exact (bilinear is linear) and costs nothing at full size
        Operand<TFloat32> pixels = mul(field, sub(size, c(1f)));
        return tf.image.resizeBilinear(tf.reshape(pixels, tf.constant(new int[] {-1, GRID, GRID, 1})), hw,
                ResizeBilinear.alignCorners(true));
    }

    /** exp(-(x/s)^2). */
    private Operand<TFloat32> gauss(Operand<TFloat32> x, float s) {
        return tf.math.exp(tf.math.neg(tf.math.square(div(x, c(s)))));
    }

    /** amplitude * sin(2 pi f t + phase). */
    private Operand<TFloat32> wave(Operand<TFloat32> t, float amplitude, float hz, float phase) {
        return mul(c(amplitude), tf.math.sin(add(mul(t, c((float) (2 * Math.PI * hz))), c(phase))));
    }

    // ---- constants

    private static float[] gridAxis(boolean horizontal) {
        float[] a = new float[GRID * GRID];
        for (int i = 0; i < a.length; i++) {
            a[i] = (horizontal ? i % GRID : i / GRID) / (float) (GRID - 1);
        }
        return a;
    }

    private static float[] hann() {
        int n = ModelSignature.AUDIO_SAMPLES;
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        return w;
    }

    private static float[][] dft(boolean cosine) {
        int n = ModelSignature.AUDIO_SAMPLES;
        float[][] m = new float[n][BINS];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < BINS; k++) {
                double a = 2 * Math.PI * i * k / n;
                m[i][k] = (float) (cosine ? Math.cos(a) : -Math.sin(a));
            }
        }
        return m;
    }

    /** Triangular filters on log-spaced edges from 100 Hz to 6 kHz over 25 Hz bins. */
    static float[][] filterbank() {
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = 100 * Math.pow(60, i / (double) (BANDS + 1));
        }
        double binHz = ModelSignature.AUDIO_RATE / (double) ModelSignature.AUDIO_SAMPLES;
        float[][] fb = new float[BINS][BANDS];
        for (int k = 0; k < BINS; k++) {
            double f = k * binHz;
            for (int j = 0; j < BANDS; j++) {
                double lo = edges[j];
                double mid = edges[j + 1];
                double hi = edges[j + 2];
                double wgt = f <= lo || f >= hi ? 0 : f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
                fb[k][j] = (float) wgt;
            }
        }
        return fb;
    }

    private static float[][] mask(int from, int to) {
        float[][] m = new float[BANDS][1];
        for (int j = from; j < to; j++) {
            m[j][0] = 1f;
        }
        return m;
    }
}
