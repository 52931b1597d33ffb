package dev.avatarfleet.worker.render.avatar;

import java.util.List;

/**
 * The worker's {@link PreparedAvatar}: the cropped, scaled RGB pixels and where the face is in them.
 *
 * @param imageHash SHA-256 hex of the source bytes
 * @param warnings  notes for the task record
 * @param width     frame width
 * @param height    frame height
 * @param rgb       width x height x 3 bytes, row-major RGB (shared: never modify)
 * @param face      the face geometry for the model
 */
public record PreparedImage(String imageHash, List<String> warnings, int width, int height, byte[] rgb, FaceGeometry face)
        implements PreparedAvatar {

    public PreparedImage {
        warnings = List.copyOf(warnings);
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, not " + width + "x" + height + "x3");
        }
    }
}
