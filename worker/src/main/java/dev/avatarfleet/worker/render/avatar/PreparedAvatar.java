package dev.avatarfleet.worker.render.avatar;

import java.util.List;

/**
 * An avatar image decoded, oriented, cropped around the face and scaled to the video size, ready
 * to be fed to the model. Prepared once per image hash and shared by every session that uses it.
 */
public interface PreparedAvatar {

    /** SHA-256 hex of the source image bytes. */
    String imageHash();

    /** Notes for the task record, e.g. that no face was found and a centred crop was used. */
    List<String> warnings();
}
