package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.face.DetectedFace;
import dev.avatarfleet.worker.face.FaceAnalysis;
import dev.avatarfleet.worker.face.FaceLandmarker;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds an avatar image's main face and the crop around it: the face landmarker first (the main face, largest then
 * most central, and a head-and-shoulders crop from its 68 points); OpenCV's Haar cascade when the landmarker finds
 * no face or fails (a face box, average proportions); a centred crop when neither finds a face. The task's
 * {@code warnings} say which fallback was used.
 */
final class FaceLocator {

    /** The landmarker found no face; the Haar cascade did. */
    static final String HAAR_WARNING = "the face landmarker found no face in the avatar image: placed by OpenCV's Haar face box,"
            + " mouth and eyes from average proportions";
    /** The landmarker is not loaded (it failed at start); the Haar cascade found a face. */
    static final String HAAR_ONLY_WARNING = "face landmarks unavailable on this worker: placed by OpenCV's Haar face box,"
            + " mouth and eyes from average proportions";
    /** Neither found a face (or face detection is off). */
    static final String CENTRED_WARNING = "no face detected in the avatar image: placed by a centred crop";
    /** Prefix of the warning when the landmarker threw. */
    static final String LANDMARKER_FAILED = "the face landmarker failed on the avatar image";

    private static final Logger LOG = LoggerFactory.getLogger(FaceLocator.class);

    /** Crop width in Haar box widths (the box covers brows to mouth). */
    private static final double HAAR_CROP_WIDTHS = 2.3;

    private final FaceLandmarker landmarker;
    private final FaceDetector haar;

    /**
     * @param landmarker the landmark models, or null to go straight to the Haar cascade
     * @param haar       the Haar detector, or null for no fallback detector
     */
    FaceLocator(FaceLandmarker landmarker, FaceDetector haar) {
        this.landmarker = landmarker;
        this.haar = haar;
    }

    FacePlacement locate(BufferedImage img, double aspect, String name) {
        int w = img.getWidth();
        int h = img.getHeight();
        List<String> warnings = new ArrayList<>();
        if (landmarker != null) {
            try {
                FaceAnalysis a = landmarker.analyse(img);
                Optional<DetectedFace> main = a.main();
                if (main.isPresent()) {
                    return new FacePlacement(Crop.of(a.mainCrop(aspect).orElseThrow()), main.get().landmarks(), null, List.of());
                }
            } catch (RuntimeException e) {
                // why: a landmarker fault must not fail the session; the fallback still places the face, and says so
                LOG.warn("face landmarker failed on avatar {}; falling back", name, e);
                warnings.add(LANDMARKER_FAILED + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        Optional<FaceDetector.FaceBox> box = haar == null ? Optional.empty() : haar.detect(img);
        if (box.isPresent()) {
            FaceDetector.FaceBox f = box.get();
            Crop crop = Crop.around(w, h, aspect, f.x() + f.width() / 2.0, f.y() + 0.55 * f.height(), HAAR_CROP_WIDTHS * f.width());
            FaceGeometry g = FaceGeometry.fromFaceBox(f.x() / (double) w, f.y() / (double) h, f.width() / (double) w, f.height() / (double) h);
            warnings.add(landmarker == null ? HAAR_ONLY_WARNING : HAAR_WARNING);
            LOG.atInfo().log(() -> "no landmarks for avatar " + name + "; Haar face box");
            return new FacePlacement(crop, null, g, warnings);
        }
        warnings.add(CENTRED_WARNING);
        LOG.atInfo().log(() -> "no face found in avatar " + name + "; centred crop");
        return new FacePlacement(Crop.centred(w, h, aspect, 0.45), null, null, warnings);
    }
}
