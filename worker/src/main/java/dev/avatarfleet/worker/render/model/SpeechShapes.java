package dev.avatarfleet.worker.render.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Mouth shapes from each tick's 40 ms of speech, as graph ops: how open, how wide, how rounded, smoothed against the
 * session's state with a fast attack and a slower release. Four viseme-like shapes come out of three numbers:
 * closed (all near 0: silence, or lips pressed), open (/a/, /o/: the jaw drops), wide (/i/, /e/, sibilants: the lips
 * spread, a narrow slit) and rounded (/u/, /o/: the lips pull in, a small round opening).
 *
 * <p>Features of the Hann-windowed spectrum (one DFT as two matmuls, 25 Hz bins), chosen because they follow the
 * vowel formants whatever the voice's pitch: the energy centroid between 150 and 1000 Hz (where F1 lives: high for
 * open vowels, ~700 Hz for /a/, ~300 Hz for /i/ and /u/), the centroid between 800 and 3200 Hz (F2: ~2200 Hz for
 * front vowels /i/, /e/, ~850 Hz for back rounded /u/, /o/), the share of energy above 3.5 kHz (sibilants), and RMS
 * loudness (silence closes the mouth whatever the spectrum says).
 */
final class SpeechShapes {

    /** The smoothed shapes of this tick and its raw loudness, each [B, 1]. */
    record Shapes(Operand<TFloat32> open, Operand<TFloat32> wide, Operand<TFloat32> round, Operand<TFloat32> loud) {
    }

    private static final int SAMPLES = ModelSignature.AUDIO_SAMPLES;
    private static final int BINS = SAMPLES / 2 + 1;
    private static final double BIN_HZ = ModelSignature.AUDIO_RATE / (double) SAMPLES;

    /** Attack (rising) and release (falling) rates per tick: a mouth opens faster than it closes. */
    static final double OPEN_ATTACK = 0.55;
    static final double OPEN_RELEASE = 0.3;
    static final double SHAPE_ATTACK = 0.45;
    static final double SHAPE_RELEASE = 0.3;

    private final MotionOps m;

    SpeechShapes(MotionOps m) {
        this.m = m;
    }

    /**
     * @param audio [B, 640] at 16 kHz in [-1, 1]
     * @param prevOpen  [B, 1] from the session's state; likewise prevWide, prevRound
     */
    Shapes build(Operand<TFloat32> audio, Operand<TFloat32> prevOpen, Operand<TFloat32> prevWide, Operand<TFloat32> prevRound) {
        var tf = m.tf();
        Operand<TFloat32> rms = tf.math.sqrt(m.add(tf.math.mean(m.square(audio), tf.constant(1),
                org.tensorflow.op.math.Mean.keepDims(true)), 1e-10));
        // why: -4.2 is ln(0.015): quiet room noise stays shut, conversational speech (rms 0.03..0.3) opens
        Operand<TFloat32> loud = m.sigmoid(m.mul(m.add(tf.math.log(m.add(rms, 1e-5)), 4.2), 3.5));
        Operand<TFloat32> windowed = m.mul(audio, tf.constant(new float[][] {hann()}));
        Operand<TFloat32> re = tf.linalg.matMul(windowed, tf.constant(dft(true)));
        Operand<TFloat32> im = tf.linalg.matMul(windowed, tf.constant(dft(false)));
        Operand<TFloat32> power = m.add(m.square(re), m.square(im));
        // [B, 6]: E(F1 band), E*kHz(F1 band), E(F2 band), E*kHz(F2 band), E(above 3.5 kHz), E(all from 150 Hz)
        Operand<TFloat32> f = tf.linalg.matMul(power, tf.constant(featureMatrix()));
        double eps = 1e-6;
        Operand<TFloat32> c1 = m.mul(m.div(m.col(f, 1), m.add(m.col(f, 0), eps)), 1000);
        Operand<TFloat32> c2 = m.mul(m.div(m.col(f, 3), m.add(m.col(f, 2), eps)), 1000);
        Operand<TFloat32> hiss = m.div(m.col(f, 4), m.add(m.col(f, 5), eps));

        Operand<TFloat32> front = m.rise(c2, 1350, 150);
        Operand<TFloat32> openVowel = m.rise(c1, 520, 55);
        Operand<TFloat32> openTarget = m.mul(loud, m.mul(m.add(m.mul(openVowel, 0.7), 0.3), m.sub(1, m.mul(hiss, 0.6))));
        Operand<TFloat32> wideTarget = m.mul(loud, m.max(m.mul(front, m.sub(1, m.rise(c1, 600, 50))), hiss));
        Operand<TFloat32> roundTarget = m.mul(loud, m.mul(m.mul(m.sub(1, front), m.sub(1, m.rise(c1, 630, 30))), m.sub(1, hiss)));

        Operand<TFloat32> open = follow(prevOpen, openTarget, OPEN_ATTACK, OPEN_RELEASE);
        Operand<TFloat32> wide = follow(prevWide, wideTarget, SHAPE_ATTACK, SHAPE_RELEASE);
        Operand<TFloat32> round = follow(prevRound, roundTarget, SHAPE_ATTACK, SHAPE_RELEASE);
        return new Shapes(open, wide, round, loud);
    }

    /** prev moved toward target by {@code attack} of the gap when rising, {@code release} when falling. */
    private Operand<TFloat32> follow(Operand<TFloat32> prev, Operand<TFloat32> target, double attack, double release) {
        var tf = m.tf();
        Operand<TFloat32> rising = tf.dtypes.cast(tf.math.greater(target, prev), TFloat32.class);
        Operand<TFloat32> rate = m.add(m.mul(rising, attack - release), release);
        return m.add(prev, m.mul(rate, m.sub(target, prev)));
    }

    private static float[] hann() {
        float[] w = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / SAMPLES));
        }
        return w;
    }

    private static float[][] dft(boolean cosine) {
        float[][] d = new float[SAMPLES][BINS];
        for (int i = 0; i < SAMPLES; i++) {
            for (int k = 0; k < BINS; k++) {
                double a = 2 * Math.PI * i * k / SAMPLES;
                d[i][k] = (float) (cosine ? Math.cos(a) : -Math.sin(a));
            }
        }
        return d;
    }

    /** Band masks and frequency-weighted band masks (kHz, so the sums stay small), one column per feature. */
    static float[][] featureMatrix() {
        float[][] w = new float[BINS][6];
        for (int k = 0; k < BINS; k++) {
            double hz = k * BIN_HZ;
            double khz = hz / 1000;
            if (hz >= 150 && hz < 1000) {
                w[k][0] = 1;
                w[k][1] = (float) khz;
            }
            if (hz >= 800 && hz < 3200) {
                w[k][2] = 1;
                w[k][3] = (float) khz;
            }
            if (hz >= 3500) {
                w[k][4] = 1;
            }
            if (hz >= 150) {
                w[k][5] = 1;
            }
        }
        return w;
    }
}
