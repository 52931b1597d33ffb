package dev.avatarfleet.common.image;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import dev.avatarfleet.common.config.SettingsException;
import java.util.List;

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

    public static final Setting<Long> MAX_IMAGE_BYTES = Setting.whole("MAX_IMAGE_BYTES", DEFAULT_MAX_BYTES, 1024, 1L << 30)
            .readBy(Node.API, Node.WORKER).documentedDefault("`10485760` (10 MiB)")
            .means("largest avatar image (upload, base64 or download)")
            .deprecatedAlias("IMAGE_MAX_BYTES");
    public static final Setting<Long> IMAGE_MAX_PIXELS = Setting.whole("IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS, 1, Long.MAX_VALUE)
            .readBy(Node.API, Node.WORKER).documentedAllowed("1 or more")
            .means("largest declared width x height (40 MP decode to 120 MB of RGB), checked on the header before decoding");
    public static final Setting<Integer> IMAGE_MAX_SIDE = Setting.integer("IMAGE_MAX_SIDE", DEFAULT_MAX_SIDE, 1, Integer.MAX_VALUE)
            .readBy(Node.API, Node.WORKER).documentedAllowed("1 or more")
            .means("largest declared width or height, checked on the header before decoding");

    /** Every setting of this record. */
    public static final List<Setting<?>> SETTINGS = List.of(MAX_IMAGE_BYTES, IMAGE_MAX_PIXELS, IMAGE_MAX_SIDE);

    /**
     * Reads {@link #MAX_IMAGE_BYTES} (the API's documented name, on both nodes), {@link #IMAGE_MAX_PIXELS} and
     * {@link #IMAGE_MAX_SIDE}.
     *
     * @throws SettingsException naming the setting when a value is out of range
     */
    public static ImageLimits fromEnvironment(Env env) {
        return new ImageLimits(env.get(MAX_IMAGE_BYTES), env.get(IMAGE_MAX_PIXELS), env.get(IMAGE_MAX_SIDE));
    }
}
