package dev.avatarfleet.common.image;

import dev.avatarfleet.common.image.InvalidImageException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an accepted image: {@link ImageInspector} first (so nothing over the limits is ever
 * decoded), then the ImageIO reader for the sniffed format (the JDK's for JPEG and PNG,
 * TwelveMonkeys' for WebP), then the EXIF orientation is applied.
 *
 * <p>Example: {@code new ImageDecoder(ImageLimits.DEFAULTS).decode(bytes).pixels()}.
 */
public final class ImageDecoder {

    static {
        // why: ImageIO would otherwise spill every stream to a temp file
        ImageIO.setUseCache(false);
    }

    private final ImageInspector inspector;

    public ImageDecoder(ImageLimits limits) {
        this.inspector = new ImageInspector(limits);
    }

    /** The inspector that runs before every decode. */
    public ImageInspector inspector() {
        return inspector;
    }

    /**
     * Inspects, decodes and orients the image.
     *
     * @throws InvalidImageException when it is refused by its header or cannot be decoded
     */
    public DecodedImage decode(byte[] bytes) {
        ImageHeader header = inspector.inspect(bytes);
        BufferedImage raw = read(bytes, header);
        return new DecodedImage(header, Orientation.upright(toRgb(raw), header.orientation()));
    }

    private static BufferedImage read(byte[] bytes, ImageHeader header) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(header.format().mediaType());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + header.format() + " on the class path");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != header.width() || h != header.height()) {
                // why: the limits were checked on our reading of the header; never decode a size we did not check
                throw new InvalidImageException(Reason.MALFORMED, "the " + header.format() + " decoder sees " + w + "x" + h
                        + " where the header declares " + header.width() + "x" + header.height());
            }
            ImageReadParam param = reader.getDefaultReadParam();
            BufferedImage img = reader.read(0, param);
            if (img == null) {
                throw new InvalidImageException(Reason.UNDECODABLE, "the " + header.format() + " decoder returned no image");
            }
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException iie) {
                throw iie;
            }
            throw new InvalidImageException(Reason.UNDECODABLE,
                    "the " + header.format() + " image could not be decoded: " + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()), e);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage toRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        try {
            // why: transparent avatars are composited on white, which is what a browser shows
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, src.getWidth(), src.getHeight());
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
