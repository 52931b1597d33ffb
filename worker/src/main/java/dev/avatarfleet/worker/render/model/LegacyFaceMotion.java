package dev.avatarfleet.worker.render.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The first avatar model's motion, from the {@code face} vector: what the default model does until the landmark
 * motion (issue 11) replaces it.
 * <ol>
 *   <li>Audio features: RMS loudness, and a Hann-windowed DFT (two matmuls with constant cos/sin matrices, 25 Hz
 *       bins) pooled by an 8-band log-spaced triangular filterbank (100-6000 Hz).</li>
 *   <li>Mouth: openness from loudness weighted by the low-band (vowel) share, width from the high-band (sibilant)
 *       share, smoothed against the session's state (fast attack, slower release).</li>
 *   <li>Idle life from the session clock, periodic with {@link IdleMotion#PERIOD_SECONDS}: a blink every 3.2 s
 *       (the first at 0.5 s), head roll, sway, nod and breathing as sums of slow sines.</li>
 *   <li>The warp on the {@link FaceMotion#GRID} grid: inverse head motion about the pivot, jaw drop below the lip
 *       line, upper-lip lift, lip stretch, eyelids; feathered to zero towards the patch border. The cavity: an
 *       ellipse between the parted lips and the lash line of a closing eye, in output coordinates.</li>
 * </ol>
 * State: {@code [open, width, energy, 0, 0, 0, 0, 0]}; under silence it settles to zeros (nothing in it depends on
 * the clock), so a silent session at rest shows exactly its idle loop's frame.
 */
public final class LegacyFaceMotion implements FaceMotion {

    private static final int G = GRID;
    private static final int BINS = ModelSignature.AUDIO_SAMPLES / 2 + 1;
    private static final int BANDS = 8;
    /** Bands whose centre is at or below ~1 kHz: where vowels (open mouths) put their energy. */
    private static final int LOW_BANDS = 5;
    /** How much of the patch, from each border, the head motion fades over (a fraction of P). */
    static final float FEATHER = 0.15f;
    /** Below this a smoothed mouth value is 0: a 1 % opening moves the lips by a tenth of a pixel. */
    private static final float SETTLED = 0.01f;

    private Ops tf;

    @Override
    public Motion build(Ops ops, Operand<TFloat32> face, Operand<TFloat32> audio, Operand<TFloat32> t,
                        Operand<TFloat32> state, int patchSize) {
        this.tf = ops;
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
        // why: a settled state is exactly zero, so a silent session at rest matches its idle loop frame for frame
        open = settle(open);
        width = settle(width);
        energy = settle(energy);

        // ---- idle life from the clock, every frequency a multiple of 1 / 6.4 s
        double f = IdleMotion.BASE_HZ;
        Operand<TFloat32> tt = tf.reshape(t, tf.constant(new int[] {-1, 1}));
        float blinkPeriod = IdleMotion.PERIOD_SECONDS / 2;
        Operand<TFloat32> phase = tf.math.floorMod(add(tt, c(blinkPeriod - 0.35f)), c(blinkPeriod));
        Operand<TFloat32> blink = tf.math.exp(tf.math.neg(tf.math.square(div(sub(phase, c(0.15f)), c(0.07f)))));
        Operand<TFloat32> faceSize = col(face, FaceVector.FACE_SIZE);
        Operand<TFloat32> roll = add(add(wave(tt, 0.030f, f, 0f), wave(tt, 0.015f, 3 * f, 1.1f)),
                mul(energy, wave(tt, 0.02f, 1.7, 0f)));
        Operand<TFloat32> shiftX = mul(faceSize, add(wave(tt, 0.030f, f, 0.4f), wave(tt, 0.012f, 2 * f, 0f)));
        Operand<TFloat32> shiftY = mul(faceSize, add(wave(tt, 0.024f, f, 2.0f), mul(c(0.036f), open)));
        Operand<TFloat32> scale = add(c(1f), wave(tt, 0.006f, 2 * f, 0f));

        // ---- the warp on the control grid, in fractions of the patch
        Operand<TFloat32> u = tf.constant(new float[][] {gridAxis(true)});
        Operand<TFloat32> v = tf.constant(new float[][] {gridAxis(false)});
        Operand<TFloat32> mx = col(face, FaceVector.MOUTH_X);
        Operand<TFloat32> my = col(face, FaceVector.MOUTH_Y);
        Operand<TFloat32> rx = col(face, FaceVector.MOUTH_HALF_WIDTH);
        Operand<TFloat32> ry = mul(c(0.5f), add(col(face, FaceVector.UPPER_LIP), col(face, FaceVector.LOWER_LIP)));
        Operand<TFloat32> eyeY = mul(c(0.5f), add(col(face, FaceVector.LEFT_EYE_Y), col(face, FaceVector.RIGHT_EYE_Y)));
        Operand<TFloat32> eyeDx = mul(c(0.5f), sub(col(face, FaceVector.RIGHT_EYE_X), col(face, FaceVector.LEFT_EYE_X)));
        Operand<TFloat32> pivotX = col(face, FaceVector.PIVOT_X);
        Operand<TFloat32> pivotY = col(face, FaceVector.PIVOT_Y);
        Operand<TFloat32> px = sub(sub(u, pivotX), shiftX);
        Operand<TFloat32> py = sub(sub(v, pivotY), shiftY);
        Operand<TFloat32> cos = tf.math.cos(roll);
        Operand<TFloat32> sin = tf.math.sin(roll);
        Operand<TFloat32> qx = add(pivotX, div(add(mul(cos, px), mul(sin, py)), scale));
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
        Operand<TFloat32> cavity = mul(inside, parted);

        // eyelids: skin above each eye slides down over it while blinking, with a darker lash line
        Operand<TFloat32> lid = mul(c(0.35f), eyeDx);
        Operand<TFloat32> lidRows = gauss(div(sub(qy, eyeY), mul(c(0.9f), lid)), 1f);
        Operand<TFloat32> lash = gauss(div(sub(qy, add(eyeY, mul(c(0.25f), lid))), mul(c(0.2f), lid)), 1f);
        for (int side = -1; side <= 1; side += 2) {
            Operand<TFloat32> eyeX = side < 0 ? col(face, FaceVector.LEFT_EYE_X) : col(face, FaceVector.RIGHT_EYE_X);
            Operand<TFloat32> eyeCols = gauss(div(sub(qx, eyeX), mul(c(0.5f), eyeDx)), 1f);
            sy = sub(sy, mul(blink, mul(mul(c(0.9f), lid), mul(eyeCols, lidRows))));
            // why: the synthesis darkens by 0.82 x cavity; the lash line darkens by 0.3 at a full blink
            cavity = add(cavity, mul(c(0.3f / Synthesis.CAVITY_DARKENING), mul(blink, mul(eyeCols, lash))));
        }
        cavity = tf.math.minimum(cavity, c(1f));

        // ---- backward map in patch pixels, feathered to zero at the border ring
        Operand<TFloat32> feather = tf.constant(new float[][] {feather()});
        Operand<TFloat32> p1 = c(patchSize - 1f);
        Operand<TFloat32> dx = mul(mul(sub(sx, u), p1), feather);
        Operand<TFloat32> dy = mul(mul(sub(sy, v), p1), feather);
        Operand<TFloat32> warp = tf.reshape(tf.stack(List.of(dx, dy), org.tensorflow.op.core.Stack.axis(2L)),
                tf.constant(new int[] {-1, G, G, 2}));
        Operand<TFloat32> cavityFull = tf.image.resizeBilinear(tf.reshape(cavity, tf.constant(new int[] {-1, G, G, 1})),
                tf.constant(new int[] {patchSize, patchSize}), ResizeBilinear.alignCorners(true));
        Operand<TFloat32> zeros = tf.zerosLike(tf.concat(List.of(open, width, energy, open, width), tf.constant(1)));
        Operand<TFloat32> next = tf.concat(List.of(open, width, energy, zeros), tf.constant(1));
        return new Motion(warp, cavityFull, next);
    }

    /** x, but exactly 0 below {@link #SETTLED} (a smoothed value decays geometrically and would never reach 0). */
    private Operand<TFloat32> settle(Operand<TFloat32> x) {
        return mul(x, tf.dtypes.cast(tf.math.greater(tf.math.abs(x), c(SETTLED)), TFloat32.class));
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

    /** exp(-(x/s)^2). */
    private Operand<TFloat32> gauss(Operand<TFloat32> x, float s) {
        return tf.math.exp(tf.math.neg(tf.math.square(div(x, c(s)))));
    }

    /** amplitude * sin(2 pi f t + phase). */
    private Operand<TFloat32> wave(Operand<TFloat32> t, float amplitude, double hz, float phase) {
        return mul(c(amplitude), tf.math.sin(add(mul(t, c((float) (2 * Math.PI * hz))), c(phase))));
    }

    // ---- constants

    static float[] gridAxis(boolean horizontal) {
        float[] a = new float[G * G];
        for (int i = 0; i < a.length; i++) {
            a[i] = (horizontal ? i % G : i / G) / (float) (G - 1);
        }
        return a;
    }

    /** 1 inside, smoothly 0 on the border ring: the product of a smoothstep from each of the four borders. */
    static float[] feather() {
        float[] u = gridAxis(true);
        float[] v = gridAxis(false);
        float[] f = new float[G * G];
        for (int i = 0; i < f.length; i++) {
            f[i] = ramp(u[i]) * ramp(1 - u[i]) * ramp(v[i]) * ramp(1 - v[i]);
        }
        return f;
    }

    private static float ramp(float x) {
        float s = Math.max(0f, Math.min(1f, x / FEATHER));
        return s * s * (3 - 2 * s);
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
