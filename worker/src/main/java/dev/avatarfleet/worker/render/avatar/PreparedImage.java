package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.render.model.FaceVector;
import java.util.List;

/**
 * The worker's {@link PreparedAvatar}: the cropped, scaled RGB pixels, where the face is in them, and what every tick
 * reuses: the head region (patch) the model renders, the face vector it takes, the patch's pixels and the whole frame
 * as I420 (the background the rendered patch is composed into). All arrays are shared: never modify them.
 *
 * @param imageHash  SHA-256 hex of the source bytes
 * @param warnings   notes for the task record
 * @param width      frame width
 * @param height     frame height
 * @param rgb        width x height x 3 bytes, row-major RGB
 * @param face       the face geometry, fractions of the frame
 * @param patch      where the patch is
 * @param faceVector the model's face input ({@link FaceVector}), fractions of the patch
 * @param patchRgb   the patch's pixels, P x P x 3 RGB
 * @param i420       the whole frame as I420 planes
 */
public record PreparedImage(String imageHash, List<String> warnings, int width, int height, byte[] rgb, FaceGeometry face,
                            PatchRegion patch, float[] faceVector, byte[] patchRgb, byte[] i420) implements PreparedAvatar {

    public PreparedImage {
        warnings = List.copyOf(warnings);
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, not " + width + "x" + height + "x3");
        }
        if (patch.x() + patch.size() > width || patch.y() + patch.size() > height) {
            throw new IllegalArgumentException("patch " + patch + " is not inside the " + width + "x" + height + " frame");
        }
        if (faceVector.length != FaceVector.SIZE || patchRgb.length != patch.size() * patch.size() * 3
                || i420.length != width * height * 3 / 2) {
            throw new IllegalArgumentException("face vector, patch pixels or I420 frame of the wrong size");
        }
    }

    /**
     * Prepares the derived parts from the frame and the face: the patch of side {@code patchSize} centred on the face
     * (between the eye line and the lip line), the fallback face vector, the patch pixels and the I420 frame.
     */
    public static PreparedImage of(String imageHash, List<String> warnings, int width, int height, byte[] rgb, FaceGeometry face,
                                   int patchSize) {
        PatchRegion patch = PatchRegion.around(face.mouthX() * width, (face.eyeY() + face.mouthY()) / 2 * height, patchSize, width, height);
        return new PreparedImage(imageHash, warnings, width, height, rgb, face, patch, FallbackFaceVector.of(face, patch, width, height),
                PatchCut.patchRgb(rgb, width, patch), PatchCut.i420(rgb, width, height));
    }
}
