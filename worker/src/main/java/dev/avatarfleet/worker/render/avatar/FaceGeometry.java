package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.face.FaceLandmarks;
import dev.avatarfleet.worker.face.Point;
import java.util.function.UnaryOperator;

/**
 * Where the face's moving parts are in a prepared avatar, as fractions of its width and height: the
 * version 1 model's {@code face} input (no roll: an upright face's proportions).
 *
 * @param mouthX   mouth centre x
 * @param mouthY   mouth centre (lip line) y
 * @param mouthRx  mouth half-width
 * @param mouthRy  lip half-height
 * @param eyeY     eye line y
 * @param eyeDx    horizontal distance from the mouth centre to each eye
 */
public record FaceGeometry(float mouthX, float mouthY, float mouthRx, float mouthRy, float eyeY, float eyeDx) {

    /** The proportions of a face filling a centred crop, used when no face is detected. */
    public static final FaceGeometry CENTRED = new FaceGeometry(0.5f, 0.68f, 0.085f, 0.028f, 0.44f, 0.105f);

    /**
     * Geometry from a detected face box (fractions of the crop): the usual proportions of a frontal
     * face inside a Haar detector's box.
     */
    public static FaceGeometry fromFaceBox(double x, double y, double w, double h) {
        return new FaceGeometry((float) (x + 0.5 * w), (float) (y + 0.78 * h), (float) (0.17 * w), (float) (0.055 * h),
                (float) (y + 0.40 * h), (float) (0.19 * w));
    }

    /**
     * Geometry from landmarks: the mouth corners' midpoint and half distance, half the outer lips' height (51 to 57),
     * the eye centres' mean height and half distance.
     *
     * @param toFrame source pixel to frame pixel
     */
    public static FaceGeometry fromLandmarks(FaceLandmarks l, UnaryOperator<Point> toFrame, int width, int height) {
        Point left = toFrame.apply(l.leftEyeCentre());
        Point right = toFrame.apply(l.rightEyeCentre());
        Point ml = toFrame.apply(l.mouthLeft());
        Point mr = toFrame.apply(l.mouthRight());
        Point mouth = ml.mid(mr);
        double lips = toFrame.apply(l.point(51)).distance(toFrame.apply(l.point(57)));
        return new FaceGeometry((float) (mouth.x() / width), (float) (mouth.y() / height), (float) (ml.distance(mr) / 2 / width),
                (float) (lips / 2 / height), (float) ((left.y() + right.y()) / 2 / height), (float) (left.distance(right) / 2 / width));
    }

    /** The model's input row. */
    public float[] toArray() {
        return new float[] {mouthX, mouthY, mouthRx, mouthRy, eyeY, eyeDx};
    }
}
