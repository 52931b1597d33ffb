package dev.avatarfleet.api.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avatarfleet.common.image.ImageLimits;
import org.junit.jupiter.api.Test;

class DefaultAvatarTest {

    @Test
    void theShippedDefaultAvatarIsA512SquarePngThatPassesIntake() {
        AvatarImageCheck.ImageInfo info = new AvatarImageCheck(ImageLimits.DEFAULTS).check(DefaultAvatar.bytes(), "default avatar");
        assertEquals("png", info.format());
        assertEquals(DefaultAvatarPainter.SIZE, info.width());
        assertEquals(DefaultAvatarPainter.SIZE, info.height());
    }
}
