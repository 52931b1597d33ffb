package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.face.Rect;
import dev.avatarfleet.worker.render.model.FaceVector;
import java.util.List;
import java.util.Objects;

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
 * @param sourceCrop where the frame was cut from the source image (its pixels, upright), for tools and tests
 */
public record PreparedImage(String imageHash, List<String> warnings, int width, int height, byte[] rgb, FaceGeometry face,
                            PatchRegion patch, float[] faceVector, byte[] patchRgb, byte[] i420, Rect sourceCrop) implements PreparedAvatar {

    public PreparedImage {
        warnings = List.copyOf(warnings);
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, not " + width + "x" + height + "x3");
        }
        if (patch.x() + patch.size() > width || patch.y() + patch.size() > height) {
            throw new IllegalArgumentException("patch " + patch + " is not inside the " + width + "x" + height + " frame");
        }
        Objects.requireNonNull(sourceCrop, "sourceCrop");
        if (faceVector.length != FaceVector.SIZE || patchRgb.length != patch.size() * patch.size() * 3
                || i420.length != width * height * 3 / 2) {
            throw new IllegalArgumentException("face vector, patch pixels or I420 frame of the wrong size");
        }
    }

    /** Derives the patch's pixels and the I420 frame from the frame, once. */
    public static PreparedImage of(String imageHash, List<String> warnings, int width, int height, byte[] rgb, FaceGeometry face,
                                   PatchRegion patch, float[] faceVector, Rect sourceCrop) {
        return new PreparedImage(imageHash, warnings, width, height, rgb, face, patch, faceVector, PatchCut.patchRgb(rgb, width, patch),
                PatchCut.i420(rgb, width, height), sourceCrop);
    }
}
