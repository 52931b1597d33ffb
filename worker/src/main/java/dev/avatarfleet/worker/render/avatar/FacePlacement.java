package dev.avatarfleet.worker.render.avatar;

import dev.avatarfleet.worker.face.FaceLandmarks;
import java.util.List;

/**
 * Where an avatar image's main face is and the crop around it, as {@link FaceLocator} found them.
 *
 * @param crop        the head-and-shoulders crop at the video's aspect, in source pixels
 * @param landmarks   the main face's 68 points in source pixels, or null when a fallback placed the face
 * @param proportions without landmarks: the face's parts from average proportions, in fractions of the SOURCE image
 *                    (null with landmarks, or when no face was found at all: then the crop is centred)
 * @param warnings    for the task record: which fallback was used, if any
 */
record FacePlacement(Crop crop, FaceLandmarks landmarks, FaceGeometry proportions, List<String> warnings) {

    FacePlacement {
        warnings = List.copyOf(warnings);
    }
}
