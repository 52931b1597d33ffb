package dev.avatarfleet.api.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The default avatar image used when a launch gives none: the PNG resource shipped with the API. */
public final class DefaultAvatar {
    /** Classpath location of the default avatar. */
    public static final String RESOURCE = "/dev/avatarfleet/api/default-avatar.png";

    private DefaultAvatar() {
    }

    /** The PNG bytes of the default avatar. */
    public static byte[] bytes() {
        try (InputStream in = DefaultAvatar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default avatar resource " + RESOURCE + " is missing from the API jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
