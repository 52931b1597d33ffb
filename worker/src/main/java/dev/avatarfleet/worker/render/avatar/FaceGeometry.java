package dev.avatarfleet.worker.render.avatar;

/**
 * Where the face's moving parts are in a prepared avatar, as fractions of its width and height: the
 * model's {@code face} input.
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

    /** The model's input row. */
    public float[] toArray() {
        return new float[] {mouthX, mouthY, mouthRx, mouthRy, eyeY, eyeDx};
    }
}
