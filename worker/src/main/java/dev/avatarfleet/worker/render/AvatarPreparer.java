package dev.avatarfleet.worker.render;

/** Turns avatar image bytes into a {@link PreparedAvatar}, cached by image hash. */
public interface AvatarPreparer {

    /**
     * @param imageBytes the image as stored (JPEG, PNG or WebP), or null for the default avatar
     * @throws IllegalArgumentException when the bytes are not an image this worker can use
     */
    PreparedAvatar prepare(byte[] imageBytes);
}
