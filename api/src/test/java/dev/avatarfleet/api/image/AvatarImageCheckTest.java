package dev.avatarfleet.api.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.avatarfleet.api.TestImages;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.image.DecodedImage;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The check remembers what it accepted by hash, and nothing else: a known image is not decoded again. */
class AvatarImageCheckTest {
    static final ImageLimits LIMITS = new ImageLimits(1 << 20, 4_000_000, 4096);

    final AtomicInteger decodes = new AtomicInteger();
    final Function<byte[], DecodedImage> counting = new Function<>() {
        final ImageDecoder real = new ImageDecoder(LIMITS);

        @Override
        public DecodedImage apply(byte[] bytes) {
            decodes.incrementAndGet();
            return real.decode(bytes);
        }
    };
    final AvatarImageCheck check = new AvatarImageCheck(LIMITS, counting);

    @Test
    void theSameImageAgainIsKnownByItsBytesAndNotDecodedAgain() {
        byte[] jpeg = TestImages.jpeg(96, 64);
        AvatarImageCheck.ImageInfo first = check.check(jpeg, "image");
        AvatarImageCheck.ImageInfo again = check.check(jpeg.clone(), "image");
        assertEquals(new AvatarImageCheck.ImageInfo("jpeg", 96, 64), first);
        assertEquals(first, again);
        assertEquals(1, decodes.get(), "decoded once");

        // other bytes are another image, checked whole
        assertEquals(new AvatarImageCheck.ImageInfo("jpeg", 96, 65), check.check(TestImages.jpeg(96, 65), "image"));
        assertEquals(2, decodes.get());
    }

    @Test
    void aRefusedImageIsNeverRemembered() {
        byte[] png = TestImages.png(32, 32);
        byte[] broken = Arrays.copyOf(png, png.length / 2);
        for (int i = 1; i <= 3; i++) {
            ApiException e = assertThrows(ApiException.class, () -> check.check(broken, "image"));
            assertEquals("invalid_image", e.code(), e.getMessage());
            assertEquals(i, decodes.get(), "refused again by a decode, not by memory");
        }
    }

    @Test
    void itRemembersTheLastImagesOnly() {
        byte[] first = TestImages.png(8, 1);
        check.check(first, "image");
        for (int h = 2; h <= AvatarImageCheck.REMEMBERED + 1; h++) {
            check.check(TestImages.png(8, h), "image");
        }
        assertEquals(AvatarImageCheck.REMEMBERED + 1, decodes.get());
        // the first was pushed out by the others, so it is checked whole again; the last is still known
        check.check(first, "image");
        check.check(TestImages.png(8, AvatarImageCheck.REMEMBERED + 1), "image");
        assertEquals(AvatarImageCheck.REMEMBERED + 2, decodes.get());
    }
}
