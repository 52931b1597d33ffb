package dev.avatarfleet.worker.render.avatar;

/** Turns avatar image bytes into a {@link PreparedAvatar}, cached by image hash. */
public interface AvatarPreparer {

    /**
     * @param imageBytes the image as stored (JPEG, PNG or WebP), or null for the default avatar
     * @return the prepared avatar; its {@code warnings()} go on the task record (e.g. no face found)
     * @throws IllegalArgumentException when the bytes are not an image this worker can use; its cause is the
     *         {@link dev.avatarfleet.common.image.InvalidImageException} with the reason
     */
    PreparedAvatar prepare(byte[] imageBytes);
}
