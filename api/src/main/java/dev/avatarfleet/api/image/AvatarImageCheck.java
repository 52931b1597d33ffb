package dev.avatarfleet.api.image;

import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.image.DecodedImage;
import dev.avatarfleet.common.image.ImageDecoder;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.common.image.InvalidImageException;
import dev.avatarfleet.common.store.ImageStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Proves that avatar bytes are an image the worker can use, with the shared intake of
 * {@code dev.avatarfleet.common.image}: format and declared size read from the header and bounded
 * before a single pixel is decoded (decompression bombs are refused), then a full decode. A refusal
 * is a 400 {@code invalid_image} whose reason says what is wrong.
 *
 * <p>The node remembers the images it accepted by the SHA-256 of their bytes, the last {@value #REMEMBERED}: an agent
 * sends its avatar's same image with every launch (livekit-plugins-bithuman encodes it once), and the same bytes decode
 * the same way, so a known image costs a hash (~0.05 ms for the plugin's 26 KB JPEG) instead of a decode (~8 ms, most of
 * a base64 launch's time: ops/bench's launch figure). Only images that passed the whole check are remembered.
 */
public final class AvatarImageCheck {
    /** What was found in an accepted image. */
    public record ImageInfo(String format, int width, int height) {
    }

    /** How many accepted images one node remembers (least recently used first out; ~150 bytes each). */
    static final int REMEMBERED = 1024;

    private final ImageLimits limits;
    private final Function<byte[], DecodedImage> decoder;
    private final Map<String, ImageInfo> accepted = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ImageInfo> eldest) {
            return size() > REMEMBERED;
        }
    });

    public AvatarImageCheck(ImageLimits limits) {
        this(limits, new ImageDecoder(limits)::decode);
    }

    /** @param decoder the full check of one image's bytes (the tests count its calls) */
    AvatarImageCheck(ImageLimits limits, Function<byte[], DecodedImage> decoder) {
        this.limits = limits;
        this.decoder = decoder;
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
        // why: bytes over the limit are refused by the decoder before they are read; they are never hashed either
        String hash = bytes.length <= limits.maxBytes() ? ImageStore.sha256(bytes) : null;
        ImageInfo known = hash == null ? null : accepted.get(hash);
        if (known != null) {
            return known;
        }
        try {
            DecodedImage image = decoder.apply(bytes);
            ImageInfo info = new ImageInfo(image.header().format().name().toLowerCase(java.util.Locale.ROOT),
                    image.pixels().getWidth(), image.pixels().getHeight());
            if (hash != null) {
                accepted.put(hash, info);
            }
            return info;
        } catch (InvalidImageException e) {
            if (e.reason() == InvalidImageException.Reason.TOO_MANY_BYTES) {
                throw ApiException.tooLarge("invalid image: " + what + ": " + e.getMessage());
            }
            throw ApiException.badRequest("invalid_image", "invalid image: " + what + ": " + e.getMessage());
        }
    }
}
