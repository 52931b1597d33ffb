package dev.avatarfleet.worker.render.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.FormantVowels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LandmarkFaceMotion} on its own (a {@link MotionProbe}): the contract's promises (warp zero on the border ring,
 * cavity only between the lips, along the face's own axis at its own mouth width), mouth shapes from synthetic
 * vowels, silence closing the mouth, blinks at the eyes.
 */
class LandmarkFaceMotionTest {

    static final int P = 128;
    private static MotionProbe probe;

    @BeforeAll
    static void build() {
        probe = new MotionProbe(new LandmarkFaceMotion(), P);
    }

    @AfterAll
    static void close() {
        probe.close();
    }

    /** An upright face filling the patch as preparation makes it, turned by {@code rollDegrees} about the patch centre. */
    static float[] face(double rollDegrees) {
        double a = Math.toRadians(rollDegrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double[][] pts = {{0.5, 0.66}, {0.39, 0.38}, {0.61, 0.38}, {0.5, 0.88}, {0.5, 1.0}};
        double[][] r = new double[pts.length][];
        for (int i = 0; i < pts.length; i++) {
            double dx = pts[i][0] - 0.5;
            double dy = pts[i][1] - 0.5;
            r[i] = new double[] {0.5 + cos * dx - sin * dy, 0.5 + sin * dx + cos * dy};
        }
        return vector(r[0][0], r[0][1], 0.1, cos, sin, r[1][0], r[1][1], r[2][0], r[2][1], r[4][0], r[4][1], 0.5, r[3][0], r[3][1], 0.27);
    }

    /** A landmark face vector: lips 0.03 / 0.035 thick, barely apart, eyes 0.045 x 0.016 (fractions of P). */
    static float[] vector(double mx, double my, double halfWidth, double cos, double sin, double lx, double ly, double rx, double ry,
                          double px, double py, double size, double cx, double cy, double jaw) {
        float[] v = new float[FaceVector.SIZE];
        v[FaceVector.MOUTH_X] = (float) mx;
        v[FaceVector.MOUTH_Y] = (float) my;
        v[FaceVector.MOUTH_HALF_WIDTH] = (float) halfWidth;
        v[FaceVector.UPPER_LIP] = 0.03f;
        v[FaceVector.LOWER_LIP] = 0.035f;
        v[FaceVector.REST_OPENING] = 0.004f;
        v[FaceVector.ROLL_COS] = (float) cos;
        v[FaceVector.ROLL_SIN] = (float) sin;
        v[FaceVector.LEFT_EYE_X] = (float) lx;
        v[FaceVector.LEFT_EYE_Y] = (float) ly;
        v[FaceVector.RIGHT_EYE_X] = (float) rx;
        v[FaceVector.RIGHT_EYE_Y] = (float) ry;
        v[FaceVector.EYE_HALF_WIDTH] = 0.045f;
        v[FaceVector.EYE_HALF_HEIGHT] = 0.016f;
        v[FaceVector.PIVOT_X] = (float) px;
        v[FaceVector.PIVOT_Y] = (float) py;
        v[FaceVector.FACE_SIZE] = (float) size;
        v[FaceVector.CHIN_X] = (float) cx;
        v[FaceVector.CHIN_Y] = (float) cy;
        v[FaceVector.JAW_HALF_WIDTH] = (float) jaw;
        v[FaceVector.LIP_LINE_OFFSET] = 0.003f;
        v[FaceVector.SOURCE] = 1;
        return v;
    }

    private record Run(List<MotionProbe.Output> ticks) {
        float[] state(int k) {
            return ticks.get(k).nextState()[0];
        }
    }

    /** Runs one session tick by tick from zero state; clock starts at t0. */
    private static Run run(float[] f, List<short[]> audio48k, float t0) {
        List<MotionProbe.Output> out = new ArrayList<>();
        float[] state = new float[ModelSignature.V2_STATE_SIZE];
        float[] a16 = new float[ModelSignature.AUDIO_SAMPLES];
        for (int k = 0; k < audio48k.size(); k++) {
            Downsampler.to16k(audio48k.get(k), a16, 0);
            MotionProbe.Output o = probe.run(new float[][] {a16.clone()}, new float[] {t0 + k * 0.04f}, new float[][] {state}, new float[][] {f});
            state = o.nextState()[0];
            out.add(o);
        }
        return new Run(out);
    }

    private static List<short[]> vowel(FormantVowels.Vowel v, double f0, int ticks) {
        List<short[]> a = new ArrayList<>();
        for (int k = 0; k < ticks; k++) {
            a.add(FormantVowels.tick(v, f0, k));
        }
        return a;
    }

    private static List<short[]> silence(int ticks) {
        return new ArrayList<>(Collections.nCopies(ticks, new short[AudioFeed.SAMPLES_PER_TICK]));
    }

    @Test
    void vowelsDriveDistinctMouthShapesAtAnyPitch() {
        for (double f0 : new double[] {110, 210}) {
            float[] a = run(face(0), vowel(FormantVowels.A, f0, 12), 1).state(11);
            float[] i = run(face(0), vowel(FormantVowels.I, f0, 12), 1).state(11);
            float[] u = run(face(0), vowel(FormantVowels.U, f0, 12), 1).state(11);
            String got = String.format(Locale.ROOT, "f0 %.0f: open/wide/round /a/ %.2f %.2f %.2f, /i/ %.2f %.2f %.2f, /u/ %.2f %.2f %.2f", f0,
                    a[0], a[1], a[2], i[0], i[1], i[2], u[0], u[1], u[2]);
            System.out.println(got);
            // /a/: open, not spread, at most half rounded (a high voice puts its F1 harmonics near an /o/)
            assertTrue(a[LandmarkFaceMotion.OPEN] > 0.8 && a[LandmarkFaceMotion.WIDE] < 0.2 && a[LandmarkFaceMotion.ROUND] < 0.5, got);
            // /i/: spread, little open, not rounded
            assertTrue(i[LandmarkFaceMotion.WIDE] > 0.7 && i[LandmarkFaceMotion.OPEN] < 0.45 && i[LandmarkFaceMotion.ROUND] < 0.1, got);
            // /u/: rounded, little open, not spread
            assertTrue(u[LandmarkFaceMotion.ROUND] > 0.7 && u[LandmarkFaceMotion.OPEN] < 0.45 && u[LandmarkFaceMotion.WIDE] < 0.1, got);
        }
    }

    @Test
    void silenceClosesTheMouthWithinHalfASecond() {
        List<short[]> audio = vowel(FormantVowels.A, 120, 10);
        audio.addAll(silence(12));
        Run r = run(face(0), audio, 1);
        assertTrue(r.state(9)[LandmarkFaceMotion.OPEN] > 0.8, "open while speaking");
        float[] closed = r.state(21);
        assertTrue(closed[LandmarkFaceMotion.OPEN] < 0.02 && closed[LandmarkFaceMotion.WIDE] < 0.02 && closed[LandmarkFaceMotion.ROUND] < 0.02,
                "closed after 0.48 s of silence: " + java.util.Arrays.toString(closed));
        assertTrue(max(r.ticks().get(9).cavity()[0]) > 0.9, "a cavity while open");
        assertEquals(0, max(r.ticks().get(21).cavity()[0]), 1e-6, "no cavity once closed");
    }

    @Test
    void theWarpIsZeroOnTheGridsBorderRingWhateverTheFaceDoes() {
        // a face pushed into the patch's corner (a face at the frame's edge), speaking, blinking, the head moving
        float[] corner = face(20);
        float[] shifted = vector(0.2, 0.25, 0.1, corner[FaceVector.ROLL_COS], corner[FaceVector.ROLL_SIN], 0.1, 0.02, 0.3, 0.08, 0.15, 0.6,
                0.4, 0.18, 0.45, 0.25);
        for (float[] f : List.of(face(0), face(-30), shifted)) {
            Run r = run(f, vowel(FormantVowels.A, 120, 14), (float) LandmarkFaceMotion.FIRST_BLINK - 13 * 0.04f);
            for (MotionProbe.Output o : r.ticks()) {
                float[] w = o.warp()[0];
                int g = FaceMotion.GRID;
                for (int row = 0; row < g; row++) {
                    for (int col = 0; col < g; col++) {
                        if (row == 0 || col == 0 || row == g - 1 || col == g - 1) {
                            int i = 2 * (row * g + col);
                            assertEquals(0f, w[i], 0f, "dx on the border ring at " + row + "," + col);
                            assertEquals(0f, w[i + 1], 0f, "dy on the border ring at " + row + "," + col);
                        }
                    }
                }
            }
            assertTrue(maxAbs(r.ticks().get(13).warp()[0]) > 1, "the warp moves something inside");
        }
    }

    @Test
    void theCavityLiesAlongTheFacesOwnAxisAtItsOwnMouthWidth() {
        for (double roll : new double[] {-30, 0, 25}) {
            float[] f = face(roll);
            Run r = run(f, vowel(FormantVowels.A, 120, 8), 2);
            float[] cav = r.ticks().get(7).cavity()[0];
            double[] m = moments(cav);
            double angle = Math.toDegrees(0.5 * Math.atan2(2 * m[4], m[3] - m[5]));
            String got = String.format(Locale.ROOT, "roll %.0f: cavity centre %.1f,%.1f, axis %.1f deg, half-length %.1f px, half-height %.1f px",
                    roll, m[1], m[2], angle, m[6], m[7]);
            System.out.println(got);
            // the head's own roll is at most ~2.2 degrees
            assertEquals(roll, angle, 4.5, got);
            double a = f[FaceVector.MOUTH_HALF_WIDTH] * P;
            // the opening spans most of the mouth, never past its corners (inner corners, plus the head's 0.5 % scale)
            assertTrue(m[6] > 0.5 * a && m[6] <= LandmarkFaceMotion.INNER_WIDTH * a * 1.01 + 1, got);
            assertTrue(m[7] < m[6], "wider than high: " + got);
            // centred on the mouth (the opening sits a little below the lip line; the head sways by at most ~4 % of P)
            double dx = m[1] - (f[FaceVector.MOUTH_X] * P - 0.5);
            double dy = m[2] - (f[FaceVector.MOUTH_Y] * P - 0.5);
            assertTrue(Math.hypot(dx, dy) < 0.05 * P + 0.3 * a, got);
        }
    }

    @Test
    void underSilenceTheStateSettlesToZeroAndTheIdleMotionLoops() {
        List<short[]> audio = vowel(FormantVowels.A, 120, 6);
        audio.addAll(silence(30));
        Run r = run(face(5), audio, 0);
        assertTrue(java.util.Arrays.equals(new float[ModelSignature.V2_STATE_SIZE], r.state(35)), "settled to exactly zero: "
                + java.util.Arrays.toString(r.state(35)));
        float[] zero = new float[ModelSignature.V2_STATE_SIZE];
        for (float t : new float[] {0.1f, 0.5f, 1.7f, 3.3f}) {
            MotionProbe.Output a = probe.run(new float[][] {new float[ModelSignature.AUDIO_SAMPLES]}, new float[] {t}, new float[][] {zero},
                    new float[][] {face(5)});
            MotionProbe.Output b = probe.run(new float[][] {new float[ModelSignature.AUDIO_SAMPLES]}, new float[] {t + IdleMotion.PERIOD_SECONDS},
                    new float[][] {zero}, new float[][] {face(5)});
            for (int i = 0; i < a.warp()[0].length; i++) {
                assertEquals(a.warp()[0][i], b.warp()[0][i], 0.02, "the idle warp at " + t + " s and one period later, element " + i);
            }
        }
    }

    @Test
    void blinksCloseTheEyesAndNothingElse() {
        float[] f = face(10);
        Run r = run(f, silence(1), (float) LandmarkFaceMotion.FIRST_BLINK);
        // why: 0.3 s before the blink's peak the lids are open (the gaussian is 0.07 s wide) and the head is within a pixel
        Run open = run(f, silence(1), (float) LandmarkFaceMotion.FIRST_BLINK - 0.3f);
        float[] w = r.ticks().get(0).warp()[0];
        float[] w0 = open.ticks().get(0).warp()[0];
        double eh = f[FaceVector.EYE_HALF_HEIGHT] * P;
        double sin = f[FaceVector.ROLL_SIN];
        double cos = f[FaceVector.ROLL_COS];
        for (double[] eye : new double[][] {{f[FaceVector.LEFT_EYE_X], f[FaceVector.LEFT_EYE_Y]}, {f[FaceVector.RIGHT_EYE_X], f[FaceVector.RIGHT_EYE_Y]}}) {
            // the largest pull from above the eye (along the face axis, upward = source above), near the eye
            double best = 0;
            int g = FaceMotion.GRID;
            double cell = (P - 1) / (double) (g - 1);
            for (int i = 0; i < g * g; i++) {
                double x = (i % g) * cell;
                double y = (i / g) * cell;
                if (Math.hypot(x - eye[0] * P, y - eye[1] * P) < 2 * eh + cell) {
                    double alongDown = -w[2 * i] * sin + w[2 * i + 1] * cos;
                    double alongDown0 = -w0[2 * i] * sin + w0[2 * i + 1] * cos;
                    best = Math.min(best, alongDown - alongDown0);
                }
            }
            assertTrue(best < -1.5 * eh, "the lid slides down over the eye's own height: " + best + " px, eye half-height " + eh);
        }
        double mouthMoved = 0;
        for (int i = 0; i < w.length; i++) {
            double x = (i / 2 % FaceMotion.GRID) * (P - 1) / (double) (FaceMotion.GRID - 1);
            double y = (i / 2 / FaceMotion.GRID) * (P - 1) / (double) (FaceMotion.GRID - 1);
            if (Math.hypot(x - f[FaceVector.MOUTH_X] * P, y - f[FaceVector.MOUTH_Y] * P) < 0.15 * P) {
                mouthMoved = Math.max(mouthMoved, Math.abs(w[i] - w0[i]));
            }
        }
        assertTrue(mouthMoved < 0.01 * P, "the blink leaves the mouth alone (beyond the head's motion in 0.3 s): " + mouthMoved);
    }

    /** Mass-weighted centroid, second moments, and half-extents along and across the principal axis. */
    private static double[] moments(float[] c) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < c.length; i++) {
            n += c[i];
            sx += c[i] * (i % P);
            sy += c[i] * (i / P);
        }
        double cx = sx / n;
        double cy = sy / n;
        double xx = 0;
        double xy = 0;
        double yy = 0;
        for (int i = 0; i < c.length; i++) {
            double dx = i % P - cx;
            double dy = i / P - cy;
            xx += c[i] * dx * dx;
            xy += c[i] * dx * dy;
            yy += c[i] * dy * dy;
        }
        double theta = 0.5 * Math.atan2(2 * xy, xx - yy);
        double along = 0;
        double across = 0;
        for (int i = 0; i < c.length; i++) {
            if (c[i] > 0.05) {
                double dx = i % P - cx;
                double dy = i / P - cy;
                along = Math.max(along, Math.abs(dx * Math.cos(theta) + dy * Math.sin(theta)));
                across = Math.max(across, Math.abs(-dx * Math.sin(theta) + dy * Math.cos(theta)));
            }
        }
        return new double[] {n, cx, cy, xx / n, xy / n, yy / n, along, across};
    }

    private static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static float max(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
