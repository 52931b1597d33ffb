package dev.avatarfleet.worker.face;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.face.PhotoSet.Photo;
import dev.avatarfleet.worker.face.PhotoSet.Variant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The landmarker on real photos of people ({@link PhotoSet}: group photos, frontal, tilted and three-quarter
 * faces, each also mirrored and turned by +-15 degrees): the main face is found and is the expected person, its
 * 68 points are plausible along the face's own axis, the roll follows the turn, and the points follow the
 * mirror and the turn.
 */
class FaceLandmarkerPhotoTest {

    /** Degrees the measured roll may differ from the base photo's roll plus the turn. */
    static final double ROLL_TOLERANCE = 4;
    /** Mean distance between a variant's points and the base photo's points carried over, in face sizes. */
    static final double MEAN_POINT_ERROR = 0.05;
    /** The same, for the worst point. */
    static final double MAX_POINT_ERROR = 0.15;
    /** How far the main face's centre may lie from the expected person's, in face sizes. */
    static final double SAME_PERSON = 0.3;

    private static FaceLandmarker landmarker;

    @BeforeAll
    static void load() {
        landmarker = FaceLandmarker.load();
    }

    @AfterAll
    static void close() {
        landmarker.close();
    }

    static Stream<Photo> photos() {
        return PhotoSet.PHOTOS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("photos")
    void theExpectedMainFaceWithPlausiblePointsThatFollowMirrorAndTurn(Photo photo) {
        List<Variant> variants = PhotoSet.variants(photo);
        FaceLandmarks base = null;
        for (Variant v : variants) {
            FaceAnalysis a = landmarker.analyse(v.image());
            DetectedFace main = a.main().orElseThrow(() -> new AssertionError(v.name() + ": no face found"));
            FaceLandmarks l = main.landmarks();
            Point expected = v.map().apply(photo.face());
            double off = l.faceCentre().distance(expected) / l.faceSize();
            assertTrue(off < SAME_PERSON, String.format(Locale.ROOT,
                    "%s: the main face is centred at %.0f,%.0f, not on the expected person at %.0f,%.0f (%d faces)",
                    v.name(), l.faceCentre().x(), l.faceCentre().y(), expected.x(), expected.y(), a.faces().size()));
            assertPlausible(v.name(), l);
            if (base == null) {
                base = l;
                System.out.printf(Locale.ROOT, "%-60s faces %d roll %6.1f size %4.0f%n", v.name(), a.faces().size(), l.rollDegrees(), l.faceSize());
                continue;
            }
            double wantRoll = (v.mirrored() ? -base.rollDegrees() : base.rollDegrees()) + v.turn();
            double[] err = pointErrors(base, l, v);
            System.out.printf(Locale.ROOT, "%-60s faces %d roll %6.1f (want %6.1f) points mean %.3f max %.3f%n",
                    v.name(), a.faces().size(), l.rollDegrees(), wantRoll, err[0], err[1]);
            assertTrue(Math.abs(l.rollDegrees() - wantRoll) <= ROLL_TOLERANCE, String.format(Locale.ROOT,
                    "%s: roll %.1f deg, the base photo's %.1f%s%+.0f gives %.1f", v.name(), l.rollDegrees(), base.rollDegrees(),
                    v.mirrored() ? " mirrored" : "", v.turn(), wantRoll));
            assertTrue(err[0] <= MEAN_POINT_ERROR && err[1] <= MAX_POINT_ERROR, String.format(Locale.ROOT,
                    "%s: the points moved %.3f face sizes on average (worst %.3f) from where the base photo's land", v.name(), err[0], err[1]));
        }
    }

    /** Eyes above the nose tip above the mouth above the chin along the face's own axis; the mouth between its corners. */
    static void assertPlausible(String name, FaceLandmarks l) {
        double eyes = 0;
        double nose = l.alongFaceAxis(l.noseTip());
        double mouth = l.alongFaceAxis(l.mouthCentre());
        double chin = l.alongFaceAxis(l.chin());
        assertTrue(eyes < nose && nose < mouth && mouth < chin, String.format(Locale.ROOT,
                "%s: along the face's axis the eyes are at 0, the nose tip at %.1f, the mouth at %.1f, the chin at %.1f", name, nose, mouth, chin));
        double left = l.acrossFaceAxis(l.mouthLeft());
        double centre = l.acrossFaceAxis(l.mouthCentre());
        double right = l.acrossFaceAxis(l.mouthRight());
        assertTrue(left < centre && centre < right, String.format(Locale.ROOT,
                "%s: across the face the mouth corners are at %.1f and %.1f, its centre at %.1f", name, left, right, centre));
        assertTrue(l.acrossFaceAxis(l.leftEyeCentre()) < 0 && l.acrossFaceAxis(l.rightEyeCentre()) > 0, name + ": eyes out of order");
        double width = l.mouthWidth() / l.leftEyeCentre().distance(l.rightEyeCentre());
        assertTrue(width > 0.5 && width < 1.6, String.format(Locale.ROOT, "%s: mouth width %.2f eye distances", name, width));
    }

    /** Mean and worst distance, in face sizes, between the variant's points and the base photo's carried into it. */
    private static double[] pointErrors(FaceLandmarks base, FaceLandmarks got, Variant v) {
        double sum = 0;
        double max = 0;
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            Point want = v.fromBase().apply(base.point(i));
            Point have = got.point(v.mirrored() ? FaceLandmarks.mirrorIndex(i) : i);
            double e = want.distance(have) / base.faceSize();
            sum += e;
            max = Math.max(max, e);
        }
        return new double[] {sum / FaceLandmarks.COUNT, max};
    }
}
