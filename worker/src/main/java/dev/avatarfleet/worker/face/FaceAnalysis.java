package dev.avatarfleet.worker.face;

import java.util.List;
import java.util.Optional;

/**
 * Every face found in one image, with landmarks, and the main one ({@link MainFaceRule}).
 *
 * @param imageWidth  the analysed image's width
 * @param imageHeight its height
 * @param faces       the faces, highest detector score first
 * @param main        the avatar's face, empty when no face was found
 */
public record FaceAnalysis(int imageWidth, int imageHeight, List<DetectedFace> faces, Optional<DetectedFace> main) {

    public FaceAnalysis {
        faces = List.copyOf(faces);
    }

    static FaceAnalysis of(int imageWidth, int imageHeight, List<DetectedFace> faces) {
        return new FaceAnalysis(imageWidth, imageHeight, faces, MainFaceRule.choose(faces, imageWidth, imageHeight));
    }

    /** The head-and-shoulders crop around the main face at the given aspect (width / height), if there is one. */
    public Optional<Rect> mainCrop(double aspect) {
        return main.map(f -> f.landmarks().headAndShoulders(aspect, imageWidth, imageHeight));
    }
}
