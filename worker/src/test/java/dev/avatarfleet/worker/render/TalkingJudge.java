package dev.avatarfleet.worker.render;

import dev.avatarfleet.worker.face.DetectedFace;
import dev.avatarfleet.worker.face.FaceAnalysis;
import dev.avatarfleet.worker.face.FaceLandmarker;
import dev.avatarfleet.worker.face.FaceLandmarks;
import dev.avatarfleet.worker.face.Point;
import dev.avatarfleet.worker.face.Rect;
import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.FormantVowels;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges whether an avatar talks with its own mouth, from the RENDERED frames only: a landmark model run on the output
 * (not the placement the renderer computed). One session speaks a sustained /a/ for 0.32 s, then is silent for 0.56 s;
 * a second session, silent throughout on the same clock (so the head's pose is the same), is the reference.
 *
 * <ul>
 *   <li><b>the main face</b>: the output's main face is the expected person (their face centre, carried into the frame
 *       through the preparer's crop, within {@value #SAME_PERSON} face sizes);</li>
 *   <li><b>opens</b>: the inner-lip opening |62-66| the landmarks measure on the speaking frame exceeds the silent
 *       frame's by at least {@value #OPENS} mouth widths;</li>
 *   <li><b>closes</b>: after 0.56 s of silence it is back within {@value #CLOSES} mouth widths of the silent frame's;</li>
 *   <li><b>on the mouth</b>: of the luma change between the speaking and the silent frame (pixels changed by at least
 *       {@value #CHANGED} levels, weighted by the change), at least {@value #ON_MOUTH} lies in the mouth region of the
 *       speaking frame's own landmarks: an ellipse along their face axis over the outer lips with a margin of a
 *       quarter of the mouth's width all round (the lips and the skin right about them; not the chin);</li>
 *   <li><b>blinks</b>: at the blink (0.5 s) the eyes' dark pixels (iris, pupil, lash line: darker than 0.55 of the eye
 *       box's 85th-percentile luma) are at most {@value #BLINKS} of those {@value #BLINK_LEAD} s before, counted in a
 *       box about each eye of that earlier frame's landmarks (along its face axis, 1.2 eye half-widths across, 2.5
 *       eye half-heights along). Not the landmarks' eye aspect ratio: face-api's net gives the same ratio for an open eye and
 *       for the same eye painted shut (0.92 to 1.01 of it on six photos), so it cannot see a blink.</li>
 * </ul>
 */
public final class TalkingJudge {

    static final double SAME_PERSON = 0.3;
    static final double OPENS = 0.08;
    static final double CLOSES = 0.04;
    static final int CHANGED = 20;
    static final double ON_MOUTH = 0.6;
    static final double BLINKS = 0.75;
    /** Seconds before the blink's peak of the open-eyed frame it is compared with (the head has moved under a pixel). */
    static final float BLINK_LEAD = 0.2f;

    /** Speech ticks 3..10, silence after; the speaking frame is tick 9, the closed one tick 24. */
    static final int TICKS = 25;
    static final int SPEAKING = 9;
    static final int CLOSED = 24;
    static final float T0 = 1.0f;
    static final float BLINK_T = 0.5f;

    /** Renders one fresh session (zero state) tick by tick: RGB frames of the avatar's size. */
    @FunctionalInterface
    public interface Renderer {
        List<byte[]> render(PreparedImage avatar, List<short[]> audio48k, float[] clock);
    }

    /**
     * What the landmarks on the output saw.
     *
     * @param name variant
     * @param mainFace   the output's main face is the expected person
     * @param opening    inner-lip opening in mouth widths: speaking, silent reference, after silence, its reference
     * @param onMouth    share of the change inside the mouth region
     * @param eyes       dark pixels in the eye boxes at the blink, as a share of those 0.2 s before
     * @param problem    what went wrong outside the criteria (no face found on an output frame), or null
     */
    public record Verdict(String name, boolean mainFace, double[] opening, double onMouth, double eyes, String problem) {

        public boolean opens() {
            return problem == null && opening[0] - opening[1] >= OPENS;
        }

        public boolean closes() {
            return problem == null && Math.abs(opening[2] - opening[3]) <= CLOSES;
        }

        public boolean isOnMouth() {
            return problem == null && onMouth >= ON_MOUTH;
        }

        public boolean blinks() {
            return problem == null && eyes <= BLINKS;
        }

        public boolean passes() {
            return mainFace && opens() && closes() && isOnMouth() && blinks();
        }

        @Override
        public String toString() {
            if (problem != null) {
                return String.format(Locale.ROOT, "%-62s FAIL %s", name, problem);
            }
            return String.format(Locale.ROOT, "%-62s %s main %s open %.3f (silent %.3f) %s closed %.3f (silent %.3f) %s on mouth %.2f %s eyes dark %.2f %s",
                    name, passes() ? "pass" : "FAIL", mainFace ? "ok" : "NO", opening[0], opening[1], opens() ? "ok" : "NO", opening[2], opening[3],
                    closes() ? "ok" : "NO", onMouth, isOnMouth() ? "ok" : "NO", eyes, blinks() ? "ok" : "NO");
        }
    }

    private final FaceLandmarker landmarker;

    public TalkingJudge(FaceLandmarker landmarker) {
        this.landmarker = landmarker;
    }

    static List<short[]> speech() {
        List<short[]> a = new ArrayList<>();
        for (int k = 0; k < TICKS; k++) {
            a.add(k >= 3 && k <= 10 ? FormantVowels.tick(FormantVowels.A, 120, k) : new short[AudioFeed.SAMPLES_PER_TICK]);
        }
        return a;
    }

    static List<short[]> silence(int ticks) {
        List<short[]> a = new ArrayList<>();
        for (int k = 0; k < ticks; k++) {
            a.add(new short[AudioFeed.SAMPLES_PER_TICK]);
        }
        return a;
    }

    static float[] clock(float t0, int ticks) {
        float[] c = new float[ticks];
        for (int k = 0; k < ticks; k++) {
            c[k] = t0 + k * 0.04f;
        }
        return c;
    }

    /**
     * @param expected the expected person's face centre in pixels of the source image the avatar was prepared from
     */
    public Verdict judge(String name, PreparedImage avatar, Renderer renderer, Point expected) {
        List<byte[]> talking = renderer.render(avatar, speech(), clock(T0, TICKS));
        List<byte[]> silent = renderer.render(avatar, silence(TICKS), clock(T0, TICKS));
        byte[] blink = renderer.render(avatar, silence(1), new float[] {BLINK_T}).get(0);
        byte[] open = renderer.render(avatar, silence(1), new float[] {BLINK_T - BLINK_LEAD}).get(0);
        int w = avatar.width();
        int h = avatar.height();
        Optional<FaceLandmarks> speaking = main(talking.get(SPEAKING), w, h);
        Optional<FaceLandmarks> reference = main(silent.get(SPEAKING), w, h);
        Optional<FaceLandmarks> closed = main(talking.get(CLOSED), w, h);
        Optional<FaceLandmarks> closedRef = main(silent.get(CLOSED), w, h);
        Optional<FaceLandmarks> beforeBlink = main(open, w, h);
        String missing = (speaking.isEmpty() ? " speaking" : "") + (reference.isEmpty() ? " silent" : "")
                + (closed.isEmpty() ? " closed" : "") + (closedRef.isEmpty() ? " closed-silent" : "") + (beforeBlink.isEmpty() ? " before-blink" : "");
        if (!missing.isEmpty()) {
            return new Verdict(name, false, null, 0, 0, "no face found on the output frame(s):" + missing);
        }
        Rect crop = avatar.sourceCrop();
        Point inFrame = new Point((expected.x() - crop.x()) * w / crop.width(), (expected.y() - crop.y()) * h / crop.height());
        FaceLandmarks ref = reference.get();
        boolean mainFace = ref.faceCentre().distance(inFrame) / ref.faceSize() < SAME_PERSON;
        double[] opening = {opening(speaking.get()), opening(ref), opening(closed.get()), opening(closedRef.get())};
        double onMouth = mouthShare(talking.get(SPEAKING), silent.get(SPEAKING), w, h, speaking.get());
        double eyes = darkEyes(blink, open, w, h, beforeBlink.get());
        return new Verdict(name, mainFace, opening, onMouth, eyes, null);
    }

    private Optional<FaceLandmarks> main(byte[] rgb, int w, int h) {
        FaceAnalysis a = landmarker.analyse(image(rgb, w, h));
        return a.main().map(DetectedFace::landmarks);
    }

    /** |62-66| in mouth widths. */
    static double opening(FaceLandmarks l) {
        return l.point(62).distance(l.point(66)) / l.mouthWidth();
    }

    /** Dark pixels in both eye boxes of {@code l} (found on {@code open}): count in {@code blink} over count in {@code open}. */
    static double darkEyes(byte[] blink, byte[] open, int w, int h, FaceLandmarks l) {
        double roll = Math.toRadians(l.rollDegrees());
        double cos = Math.cos(roll);
        double sin = Math.sin(roll);
        int inBlink = 0;
        int inOpen = 0;
        for (int first : new int[] {36, 42}) {
            Point e = first == 36 ? l.leftEyeCentre() : l.rightEyeCentre();
            double halfWidth = 0.5 * l.point(first).distance(l.point(first + 3));
            double halfHeight = 0.25 * (l.point(first + 1).distance(l.point(first + 5)) + l.point(first + 2).distance(l.point(first + 4)));
            double bw = 1.2 * halfWidth;
            double bh = Math.max(2.5 * halfHeight, 0.6 * halfWidth);
            List<Integer> box = new ArrayList<>();
            int r = (int) Math.ceil(bw + bh);
            for (int y = (int) e.y() - r; y <= e.y() + r; y++) {
                for (int x = (int) e.x() - r; x <= e.x() + r; x++) {
                    double dx = x + 0.5 - e.x();
                    double dy = y + 0.5 - e.y();
                    if (x >= 0 && y >= 0 && x < w && y < h && Math.abs(dx * cos + dy * sin) <= bw && Math.abs(-dx * sin + dy * cos) <= bh) {
                        box.add(3 * (y * w + x));
                    }
                }
            }
            double[] lumas = box.stream().mapToDouble(i -> luma(open, i)).sorted().toArray();
            double dark = 0.55 * lumas[(int) (0.85 * (lumas.length - 1))];
            for (int i : box) {
                inOpen += luma(open, i) < dark ? 1 : 0;
                inBlink += luma(blink, i) < dark ? 1 : 0;
            }
        }
        return inBlink / (double) Math.max(1, inOpen);
    }

    /** Share of the changed luma (weighted) inside the mouth region of {@code l}. */
    static double mouthShare(byte[] a, byte[] b, int w, int h, FaceLandmarks l) {
        double roll = Math.toRadians(l.rollDegrees());
        double cos = Math.cos(roll);
        double sin = Math.sin(roll);
        Point c = l.mouthLeft().mid(l.mouthRight());
        double across = 0.75 * l.mouthWidth();
        double along = 0.5 * l.point(51).distance(l.point(57)) + 0.25 * l.mouthWidth();
        // why: the ellipse's centre halfway between the outer lips' top and bottom, on the face axis through the corners
        double mid = 0.5 * (alongFrom(l.point(51), c, cos, sin) + alongFrom(l.point(57), c, cos, sin));
        double inside = 0;
        double total = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                double d = Math.abs(luma(a, i) - luma(b, i));
                if (d < CHANGED) {
                    continue;
                }
                total += d;
                double dx = x + 0.5 - c.x();
                double dy = y + 0.5 - c.y();
                double u = dx * cos + dy * sin;
                double v = -dx * sin + dy * cos - mid;
                if ((u / across) * (u / across) + (v / along) * (v / along) <= 1) {
                    inside += d;
                }
            }
        }
        return total == 0 ? 0 : inside / total;
    }

    private static double alongFrom(Point p, Point o, double cos, double sin) {
        return -(p.x() - o.x()) * sin + (p.y() - o.y()) * cos;
    }

    private static double luma(byte[] rgb, int i) {
        return 0.299 * (rgb[i] & 0xFF) + 0.587 * (rgb[i + 1] & 0xFF) + 0.114 * (rgb[i + 2] & 0xFF);
    }

    static BufferedImage image(byte[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | rgb[3 * i + 2] & 0xFF;
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }
}
