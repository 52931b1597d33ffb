package dev.avatarfleet.worker.render.avatar;

import java.awt.image.BufferedImage;
import java.util.Optional;

/** Finds the main face in an upright image. */
public interface FaceDetector {

    /**
     * A face box in pixels of the image it was found in.
     */
    record FaceBox(int x, int y, int width, int height) {
    }

    /** The largest frontal face, or empty when there is none. */
    Optional<FaceBox> detect(BufferedImage image);
}
