package dev.avatarfleet.api.image;

import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.image.DecodedImage;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.common.image.InvalidImageException;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Proves that avatar bytes are an image the worker can use, with the shared intake of
 * {@code dev.avatarfleet.common.image}: format and declared size read from the header and bounded
 * before a single pixel is decoded (decompression bombs are refused), then a full decode. A refusal
 * is a 400 {@code invalid_image} whose reason says what is wrong.
 */
public final class AvatarImageCheck {
    /** What was found in an accepted image. */
    public record ImageInfo(String format, int width, int height) {
    }

    private final ImageDecoder decoder;

    public AvatarImageCheck(ImageLimits limits) {
        this.decoder = new ImageDecoder(limits);
    }

    /**
     * Decodes a small JPEG and PNG made here, once, so the image I/O registry, the native JPEG decoder and
     * the checking code are loaded before the node's first launch rather than during it.
     */
    public void warmUp() {
        java.awt.image.BufferedImage sample = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (String format : List.of("jpg", "png")) {
            try {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                javax.imageio.ImageIO.write(sample, format, out);
                check(out.toByteArray(), "warm-up " + format);
            } catch (java.io.IOException | RuntimeException e) {
                // why: a failed warm-up only leaves the first launch cold; say so and go on
                LoggerFactory.getLogger(AvatarImageCheck.class).warn("image check warm-up failed", e);
            }
        }
    }

    /**
     * Inspects and decodes {@code bytes}; {@code what} names the source in the reason.
     *
     * @throws ApiException 400 {@code invalid_image} (413 when over the byte limit)
     */
    public ImageInfo check(byte[] bytes, String what) {
        try {
            DecodedImage image = decoder.decode(bytes);
            return new ImageInfo(image.header().format().name().toLowerCase(java.util.Locale.ROOT),
                    image.pixels().getWidth(), image.pixels().getHeight());
        } catch (InvalidImageException e) {
            if (e.reason() == InvalidImageException.Reason.TOO_MANY_BYTES) {
                throw ApiException.tooLarge("invalid image: " + what + ": " + e.getMessage());
            }
            throw ApiException.badRequest("invalid_image", "invalid image: " + what + ": " + e.getMessage());
        }
    }
}
