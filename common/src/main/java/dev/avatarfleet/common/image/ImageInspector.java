package dev.avatarfleet.common.image;

import dev.avatarfleet.common.image.InvalidImageException.Reason;

/**
 * Reads what an image declares (format, width, height, EXIF orientation) from its header alone and
 * refuses it when unusable: unknown magic, truncated structure, zero size, or a declared size over
 * the {@link ImageLimits}. No pixel is decoded here, so a decompression bomb costs a few header reads.
 *
 * <p>Thread-safe and stateless.
 */
public final class ImageInspector {

    private final ImageLimits limits;

    public ImageInspector(ImageLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /** The limits this inspector enforces. */
    public ImageLimits limits() {
        return limits;
    }

    /**
     * Inspects the bytes.
     *
     * @throws InvalidImageException with the reason the image is refused
     */
    public ImageHeader inspect(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException(Reason.EMPTY, "the image is empty");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new InvalidImageException(Reason.TOO_MANY_BYTES,
                    "the image has " + bytes.length + " bytes, more than the limit of " + limits.maxBytes());
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new InvalidImageException(Reason.UNSUPPORTED_FORMAT,
                    "not a JPEG, PNG or WebP image (unrecognised magic bytes)");
        }
        ImageHeader header = switch (format) {
            case JPEG -> JpegHeader.read(bytes);
            case PNG -> PngHeader.read(bytes);
            case WEBP -> WebpHeader.read(bytes);
        };
        checkDeclaredSize(header);
        return header;
    }

    private void checkDeclaredSize(ImageHeader h) {
        if (h.width() <= 0 || h.height() <= 0) {
            throw new InvalidImageException(Reason.ZERO_SIZE,
                    "the " + h.format() + " header declares a size of " + h.width() + "x" + h.height());
        }
        if (h.width() > limits.maxSide() || h.height() > limits.maxSide()) {
            throw new InvalidImageException(Reason.SIDE_TOO_LONG, "the " + h.format() + " header declares "
                    + h.width() + "x" + h.height() + ", a side longer than the limit of " + limits.maxSide());
        }
        long pixels = (long) h.width() * h.height();
        if (pixels > limits.maxPixels()) {
            throw new InvalidImageException(Reason.TOO_MANY_PIXELS, "the " + h.format() + " header declares "
                    + h.width() + "x" + h.height() + " = " + pixels + " pixels, more than the limit of "
                    + limits.maxPixels());
        }
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int be16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    static long be32(byte[] b, int i) {
        return ((long) u8(b, i) << 24) | ((long) u8(b, i + 1) << 16) | ((long) u8(b, i + 2) << 8) | u8(b, i + 3);
    }

    static int le16(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    static int le24(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16);
    }

    static long le32(byte[] b, int i) {
        return u8(b, i) | ((long) u8(b, i + 1) << 8) | ((long) u8(b, i + 2) << 16) | ((long) u8(b, i + 3) << 24);
    }

    static InvalidImageException truncated(ImageFormat f, String where) {
        return new InvalidImageException(Reason.TRUNCATED, "the " + f + " image is truncated (" + where + ")");
    }

    static InvalidImageException malformed(ImageFormat f, String what) {
        return new InvalidImageException(Reason.MALFORMED, "the " + f + " image is malformed (" + what + ")");
    }
}
