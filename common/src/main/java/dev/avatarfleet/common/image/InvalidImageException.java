package dev.avatarfleet.common.image;

import java.util.Objects;

/**
 * An image refused at intake, with a machine-readable {@link Reason} and a sentence for the client.
 * Thrown before any pixel is decoded whenever the header alone shows the image is unusable.
 */
public final class InvalidImageException extends RuntimeException {

    /** Why an image was refused; {@link #code()} is the snake_case form for JSON error bodies. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** The magic bytes are not those of JPEG, PNG or WebP. */
        UNSUPPORTED_FORMAT,
        /** The file ends before its header or its image data does. */
        TRUNCATED,
        /** The header is malformed (bad chunk, impossible length, missing frame header). */
        MALFORMED,
        /** Width or height declared as zero. */
        ZERO_SIZE,
        /** More bytes than the byte limit. */
        TOO_MANY_BYTES,
        /** Width or height above the side limit (a decompression bomb, refused before decoding). */
        SIDE_TOO_LONG,
        /** Width x height above the pixel limit (a decompression bomb, refused before decoding). */
        TOO_MANY_PIXELS,
        /** The header was fine but the decoder could not produce the pixels. */
        UNDECODABLE;

        /** The reason as it appears in JSON, e.g. {@code too_many_pixels}. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public InvalidImageException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public InvalidImageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the image was refused. */
    public Reason reason() {
        return reason;
    }
}
