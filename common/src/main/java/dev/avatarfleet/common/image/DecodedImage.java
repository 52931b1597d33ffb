package dev.avatarfleet.common.image;

import java.awt.image.BufferedImage;

/**
 * An image decoded and turned upright according to its EXIF orientation.
 *
 * @param header what the file declared
 * @param pixels the upright pixels, {@link BufferedImage#TYPE_INT_RGB}, {@code header.displayWidth()} wide
 */
public record DecodedImage(ImageHeader header, BufferedImage pixels) {
}
