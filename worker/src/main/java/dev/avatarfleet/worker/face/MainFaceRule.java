package dev.avatarfleet.worker.face;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which face an avatar is made of: the largest, then the most central, as one score per face,
 * {@code size x (1 - offCentre / halfDiagonal)}, the highest winning:
 * <ul>
 *   <li>size is the landmarks' {@link FaceLandmarks#faceSize()}, which does not change when the photo is turned
 *       (a detector box does);</li>
 *   <li>offCentre is the distance of the face's centre from the image's, with vertical offsets counted at
 *       {@value #VERTICAL_WEIGHT}: in a group photo the faces sit in a row above the middle, and who is central
 *       is who stands in the middle of the row;</li>
 *   <li>so a face in a corner must be about twice the size of one in the middle to win, and faces of about the
 *       same size are decided by who is nearer the middle, smoothly: no threshold for a few pixels to tip.</li>
 * </ul>
 */
public final class MainFaceRule {

    /** Weight of the vertical offset from the centre against the horizontal one. */
    public static final double VERTICAL_WEIGHT = 0.5;

    private MainFaceRule() {
    }

    public static Optional<DetectedFace> choose(List<DetectedFace> faces, int imageWidth, int imageHeight) {
        return faces.stream().max(Comparator.comparingDouble(f -> score(f, imageWidth, imageHeight)));
    }

    /** The face's score in an image of that size: higher is more the main face. */
    public static double score(DetectedFace f, int imageWidth, int imageHeight) {
        Point c = f.landmarks().faceCentre();
        double off = Math.hypot(c.x() - imageWidth / 2.0, VERTICAL_WEIGHT * (c.y() - imageHeight / 2.0));
        double halfDiagonal = Math.hypot(imageWidth, imageHeight) / 2;
        return f.landmarks().faceSize() * Math.max(0, 1 - off / halfDiagonal);
    }
}
