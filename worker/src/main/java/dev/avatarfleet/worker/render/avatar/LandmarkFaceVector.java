package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.face.FaceLandmarks;
import dev.avatarfleet.worker.face.Point;
import dev.avatarfleet.worker.render.model.FaceVector;
import java.util.function.UnaryOperator;

/**
 * The model's {@code face} vector ({@link FaceVector}) from the main face's 68 landmarks, in the patch's pixel frame as
 * fractions of its side P, with {@link FaceVector#SOURCE} 1: built once per avatar, at preparation.
 * {@link FallbackFaceVector} fills the same vector without landmarks.
 */
public final class LandmarkFaceVector {

    /** Face sizes from the chin down to the head's pivot (the neck). */
    public static final double PIVOT_BELOW_CHIN = 0.3;

    private LandmarkFaceVector() {
    }

    /**
     * @param l         the landmarks, in pixels of the source image
     * @param toPatch   source pixel to patch pixel (continuous, 0 at the patch's top-left corner): a scaling by the same
     *                  factor in x and y plus a shift
     * @param patchSide P
     */
    public static float[] of(FaceLandmarks l, UnaryOperator<Point> toPatch, int patchSide) {
        Point[] p = new Point[FaceLandmarks.COUNT];
        for (int i = 0; i < p.length; i++) {
            p[i] = toPatch.apply(l.point(i));
        }
        Point left = centroid(p, 36, 42);
        Point right = centroid(p, 42, 48);
        double ex = right.x() - left.x();
        double ey = right.y() - left.y();
        double len = Math.hypot(ex, ey);
        double cos = len > 0 ? ex / len : 1;
        double sin = len > 0 ? ey / len : 0;
        Point mouth = p[48].mid(p[54]);
        Point lipLine = p[62].mid(p[66]);
        Point chin = p[8];
        double size = left.mid(right).distance(chin);
        double eyeHalfWidth = (p[36].distance(p[39]) + p[42].distance(p[45])) / 4;
        double leftLids = (p[37].distance(p[41]) + p[38].distance(p[40])) / 2;
        double rightLids = (p[43].distance(p[47]) + p[44].distance(p[46])) / 2;
        double s = patchSide;
        float[] v = new float[FaceVector.SIZE];
        v[FaceVector.MOUTH_X] = (float) (mouth.x() / s);
        v[FaceVector.MOUTH_Y] = (float) (mouth.y() / s);
        v[FaceVector.MOUTH_HALF_WIDTH] = (float) (p[48].distance(p[54]) / 2 / s);
        v[FaceVector.UPPER_LIP] = (float) (p[51].distance(p[62]) / s);
        v[FaceVector.LOWER_LIP] = (float) (p[66].distance(p[57]) / s);
        v[FaceVector.REST_OPENING] = (float) (p[62].distance(p[66]) / s);
        v[FaceVector.ROLL_COS] = (float) cos;
        v[FaceVector.ROLL_SIN] = (float) sin;
        v[FaceVector.LEFT_EYE_X] = (float) (left.x() / s);
        v[FaceVector.LEFT_EYE_Y] = (float) (left.y() / s);
        v[FaceVector.RIGHT_EYE_X] = (float) (right.x() / s);
        v[FaceVector.RIGHT_EYE_Y] = (float) (right.y() / s);
        v[FaceVector.EYE_HALF_WIDTH] = (float) (eyeHalfWidth / s);
        v[FaceVector.EYE_HALF_HEIGHT] = (float) ((leftLids + rightLids) / 4 / s);
        // why: along the face's own axis (perpendicular to the eye line, pointing down the face), not straight down
        v[FaceVector.PIVOT_X] = (float) ((chin.x() - sin * PIVOT_BELOW_CHIN * size) / s);
        v[FaceVector.PIVOT_Y] = (float) ((chin.y() + cos * PIVOT_BELOW_CHIN * size) / s);
        v[FaceVector.FACE_SIZE] = (float) (size / s);
        v[FaceVector.CHIN_X] = (float) (chin.x() / s);
        v[FaceVector.CHIN_Y] = (float) (chin.y() / s);
        v[FaceVector.JAW_HALF_WIDTH] = (float) (p[4].distance(p[12]) / 2 / s);
        v[FaceVector.LIP_LINE_OFFSET] = (float) ((-(lipLine.x() - mouth.x()) * sin + (lipLine.y() - mouth.y()) * cos) / s);
        v[FaceVector.SOURCE] = 1;
        return v;
    }

    private static Point centroid(Point[] p, int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i < to; i++) {
            x += p[i].x();
            y += p[i].y();
        }
        return new Point(x / (to - from), y / (to - from));
    }
}
