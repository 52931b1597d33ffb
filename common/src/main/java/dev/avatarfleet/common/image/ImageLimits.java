package dev.avatarfleet.common.image;

import dev.avatarfleet.common.config.Env;
import java.util.Map;

/**
 * Bounds on an accepted image, checked against the header before decoding.
 *
 * @param maxBytes  largest encoded size
 * @param maxPixels largest declared width x height (a 40 MP photo decodes to 120 MB of RGB)
 * @param maxSide   largest declared width or height
 */
public record ImageLimits(long maxBytes, long maxPixels, int maxSide) {

    /** Default byte limit: 10 MiB, what a phone photo needs. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    /** Default pixel limit: 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** Default side limit: 12,000 pixels. */
    public static final int DEFAULT_MAX_SIDE = 12_000;

    /** The defaults above. */
    public static final ImageLimits DEFAULTS = new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxBytes + ", " + maxPixels + ", " + maxSide);
        }
    }

    /**
     * Reads {@code IMAGE_MAX_BYTES}, {@code IMAGE_MAX_PIXELS} and {@code IMAGE_MAX_SIDE}, defaulting each.
     *
     * @throws IllegalArgumentException naming the setting when a value is not a positive integer
     */
    public static ImageLimits fromEnvironment(Map<String, String> vars) {
        Env env = new Env(vars);
        return new ImageLimits(
                env.whole("IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES, 1, Long.MAX_VALUE),
                env.whole("IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS, 1, Long.MAX_VALUE),
                env.integer("IMAGE_MAX_SIDE", DEFAULT_MAX_SIDE, 1, Integer.MAX_VALUE));
    }
}
