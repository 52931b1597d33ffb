package dev.avatarfleet.common.image;

/**
 * What an image's header declares, read without decoding any pixel.
 *
 * @param format      the format recognised from the magic bytes
 * @param width       declared width as stored (before EXIF orientation)
 * @param height      declared height as stored
 * @param orientation EXIF orientation 1..8 (1 when absent)
 */
public record ImageHeader(ImageFormat format, int width, int height, int orientation) {

    /** Width once the EXIF orientation is applied (orientations 5..8 swap the axes). */
    public int displayWidth() {
        return orientation >= 5 ? height : width;
    }

    /** Height once the EXIF orientation is applied. */
    public int displayHeight() {
        return orientation >= 5 ? width : height;
    }
}
