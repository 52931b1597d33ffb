package dev.avatarfleet.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The geometry derived from 68 points, on a face drawn from numbers ({@link SyntheticFace}). */
class FaceLandmarksTest {

    @ParameterizedTest
    @ValueSource(doubles = {-30, -12.5, 0, 7, 30})
    void rollIsTheEyeLinesAngleAndTheFaceAxisFollowsIt(double roll) {
        FaceLandmarks f = SyntheticFace.at(500, 400, 60, roll);
        assertEquals(roll, f.rollDegrees(), 1e-9);
        assertEquals(0, f.alongFaceAxis(f.leftEyeCentre()), 1e-9);
        assertEquals(0.8 * 60, f.alongFaceAxis(f.point(30)) + 0.1 * 60, 1e-9, "nose tip 0.7 below the eyes");
        assertEquals(1.1 * 60, f.alongFaceAxis(f.mouthCentre()), 1e-9);
        assertEquals(1.6 * 60, f.alongFaceAxis(f.chin()), 1e-9);
        assertEquals(-0.45 * 60, f.acrossFaceAxis(f.mouthLeft()), 1e-9);
        assertEquals(0.45 * 60, f.acrossFaceAxis(f.mouthRight()), 1e-9);
        assertEquals(0.9 * 60, f.mouthWidth(), 1e-9);
    }

    @Test
    void eyeCentresOpennessAndSize() {
        FaceLandmarks open = SyntheticFace.at(200, 100, 50, 0, 0.06);
        assertEquals(new Point(175, 100).x(), open.leftEyeCentre().x(), 1e-9);
        assertEquals(225, open.rightEyeCentre().x(), 1e-9);
        assertEquals(100, open.rightEyeCentre().y(), 1e-9);
        assertEquals(0.30, open.leftEyeOpenness(), 1e-9);
        assertEquals(0.30, open.rightEyeOpenness(), 1e-9);
        FaceLandmarks shut = SyntheticFace.at(200, 100, 50, 20, 0.01);
        assertEquals(0.05, shut.leftEyeOpenness(), 1e-9);
        // jaw span 2 x 50; 1.25 x eyes-to-chin = 1.25 x 1.6 x 50 = 100: both give 100
        assertEquals(100, open.faceSize(), 1e-9);
        assertEquals(12, open.outerLip().size());
        assertEquals(8, open.innerLip().size());
        assertEquals(17, open.jaw().size());
    }

    @Test
    void theMirrorIndexSwapsLeftAndRightAndUndoesItself() {
        List<Point> t = SyntheticFace.template(0.06);
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            int m = FaceLandmarks.mirrorIndex(i);
            assertEquals(i, FaceLandmarks.mirrorIndex(m), "involution at " + i);
            // the template is symmetric: a point's partner is its reflection
            assertEquals(-t.get(i).x(), t.get(m).x(), 1e-9, "x of the partner of " + i);
            assertEquals(t.get(i).y(), t.get(m).y(), 1e-9, "y of the partner of " + i);
        }
        assertEquals(45, FaceLandmarks.mirrorIndex(36));
        assertEquals(54, FaceLandmarks.mirrorIndex(48));
        assertEquals(8, FaceLandmarks.mirrorIndex(8));
    }

    @Test
    void theHeadAndShouldersCropSurroundsTheFaceInsideTheImage() {
        FaceLandmarks f = SyntheticFace.at(1000, 600, 50, 0); // face size 100, centroid below the eyes
        Point c = f.faceCentre();
        Rect square = f.headAndShoulders(1.0, 2000, 2000);
        assertEquals(FaceLandmarks.CROP_WIDTH_FACES * 100, square.width(), 1e-9);
        assertEquals(square.width(), square.height(), 1e-9);
        assertEquals(c.x(), square.centre().x(), 1e-9);
        assertEquals(c.y(), square.y() + FaceLandmarks.CROP_FACE_AT * square.height(), 1e-9);
        assertTrue(square.contains(f.bounds(), 0), "the whole face is in the crop");
        Rect wide = f.headAndShoulders(16 / 9.0, 2000, 2000);
        assertEquals(16 / 9.0, wide.width() / wide.height(), 1e-9);
        // near the top-left corner the crop slides inside
        Rect corner = SyntheticFace.at(60, 50, 50, 0).headAndShoulders(1.0, 2000, 2000);
        assertEquals(0, corner.x(), 1e-9);
        assertEquals(0, corner.y(), 1e-9);
        // an image smaller than the crop: the crop shrinks to fit, keeping its aspect
        Rect small = f.headAndShoulders(1.0, 1200, 180);
        assertEquals(180, small.height(), 1e-9);
        assertEquals(180, small.width(), 1e-9);
        assertTrue(new Rect(0, 0, 1200, 180).contains(small, 1e-9), small.toString());
        assertThrows(IllegalArgumentException.class, () -> f.headAndShoulders(0, 100, 100));
    }

    @Test
    void aFaceHasSixtyEightPoints() {
        assertThrows(IllegalArgumentException.class, () -> new FaceLandmarks(List.of(new Point(0, 0))));
    }
}
