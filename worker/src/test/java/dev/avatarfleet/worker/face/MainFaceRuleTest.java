package dev.avatarfleet.worker.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Largest, then most central. */
class MainFaceRuleTest {

    private static DetectedFace face(double cx, double cy, double scale) {
        FaceLandmarks l = SyntheticFace.at(cx, cy, scale, 0);
        return new DetectedFace(l.bounds(), 0.9f, l);
    }

    @Test
    void ofEqualFacesTheMostCentralWinsWhateverTheOrder() {
        DetectedFace left = face(300, 400, 50);
        DetectedFace middle = face(1050, 400, 50);
        DetectedFace right = face(1700, 400, 50);
        assertSame(middle, MainFaceRule.choose(List.of(left, middle, right), 2000, 1200).orElseThrow());
        assertSame(middle, MainFaceRule.choose(List.of(right, left, middle), 2000, 1200).orElseThrow());
    }

    @Test
    void aClearlyLargerFaceWinsOffCentre() {
        DetectedFace near = face(500, 450, 90);
        DetectedFace central = face(1000, 450, 50);
        assertSame(near, MainFaceRule.choose(List.of(central, near), 2000, 1200).orElseThrow());
    }

    @Test
    void aFaceInTheRowAboveTheMiddleIsNotPenalisedLikeOneAtTheSide() {
        // same size; one 300 px right of the middle on the centre line, one 400 px above the middle on the axis
        DetectedFace side = face(1300, 600 - 135, 50);
        DetectedFace above = face(1000, 200 - 135, 50);
        assertSame(above, MainFaceRule.choose(List.of(side, above), 2000, 1200).orElseThrow(),
                "vertical offsets count at " + MainFaceRule.VERTICAL_WEIGHT);
        assertTrue(MainFaceRule.score(above, 2000, 1200) > MainFaceRule.score(side, 2000, 1200));
    }

    @Test
    void noFaceNoMainFace() {
        assertEquals(java.util.Optional.empty(), MainFaceRule.choose(List.of(), 100, 100));
    }
}
