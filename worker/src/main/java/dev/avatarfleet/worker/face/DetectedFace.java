package dev.avatarfleet.worker.face;

import java.util.Objects;

/**
 * One face found in an image.
 *
 * @param box       the detector's box, in pixels of the image
 * @param score     the detector's confidence, 0..1
 * @param landmarks the 68 points, in pixels of the image
 */
public record DetectedFace(Rect box, float score, FaceLandmarks landmarks) {

    public DetectedFace {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(landmarks, "landmarks");
    }
}
