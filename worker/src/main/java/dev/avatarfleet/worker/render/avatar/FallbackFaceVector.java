package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.render.model.FaceVector;

/**
 * The model's {@code face} vector ({@link FaceVector}) from a {@link FaceGeometry} (a Haar face box's usual
 * proportions, or the centred-crop guess) instead of landmarks: roll 0, {@link FaceVector#SOURCE} 0. The contract's
 * fallback; landmark preparation (issue 11) fills the same vector from the 68 points.
 */
public final class FallbackFaceVector {

    private FallbackFaceVector() {
    }

    /**
     * @param g      where the face is, fractions of the frame
     * @param patch  where the patch is in the frame
     * @param width  frame width
     * @param height frame height
     * @return the 24 floats, in fractions of the patch side
     */
    public static float[] of(FaceGeometry g, PatchRegion patch, int width, int height) {
        double p = patch.size();
        double mx = g.mouthX() * width;
        double my = g.mouthY() * height;
        double eyeY = g.eyeY() * height;
        double eyeDx = g.eyeDx() * width;
        // why: a frontal face box puts the eyes at 40 %, the lip line at 78 % and the chin near 100 % of its height
        double chinY = my + 0.58 * (my - eyeY);
        double faceSize = chinY - eyeY;
        float[] v = new float[FaceVector.SIZE];
        v[FaceVector.MOUTH_X] = fx(mx, patch.x(), p);
        v[FaceVector.MOUTH_Y] = fx(my, patch.y(), p);
        v[FaceVector.MOUTH_HALF_WIDTH] = (float) (g.mouthRx() * width / p);
        v[FaceVector.UPPER_LIP] = (float) (g.mouthRy() * height / p);
        v[FaceVector.LOWER_LIP] = (float) (g.mouthRy() * height / p);
        v[FaceVector.REST_OPENING] = 0f;
        v[FaceVector.ROLL_COS] = 1f;
        v[FaceVector.ROLL_SIN] = 0f;
        v[FaceVector.LEFT_EYE_X] = fx(mx - eyeDx, patch.x(), p);
        v[FaceVector.LEFT_EYE_Y] = fx(eyeY, patch.y(), p);
        v[FaceVector.RIGHT_EYE_X] = fx(mx + eyeDx, patch.x(), p);
        v[FaceVector.RIGHT_EYE_Y] = fx(eyeY, patch.y(), p);
        v[FaceVector.EYE_HALF_WIDTH] = (float) (0.4 * eyeDx / p);
        v[FaceVector.EYE_HALF_HEIGHT] = (float) (0.18 * eyeDx / p);
        v[FaceVector.PIVOT_X] = fx(mx, patch.x(), p);
        v[FaceVector.PIVOT_Y] = fx(chinY + 0.3 * faceSize, patch.y(), p);
        v[FaceVector.FACE_SIZE] = (float) (faceSize / p);
        v[FaceVector.CHIN_X] = fx(mx, patch.x(), p);
        v[FaceVector.CHIN_Y] = fx(chinY, patch.y(), p);
        v[FaceVector.JAW_HALF_WIDTH] = (float) (2.4 * eyeDx / p);
        v[FaceVector.SOURCE] = 0f;
        return v;
    }

    private static float fx(double px, int origin, double p) {
        return (float) ((px - origin) / p);
    }
}
