package dev.avatarfleet.common.image;

import static dev.avatarfleet.common.image.ImageInspector.be32;
import static dev.avatarfleet.common.image.ImageInspector.malformed;
import static dev.avatarfleet.common.image.ImageInspector.truncated;

/** Walks a PNG's chunks: IHDR gives the size, eXIf the orientation, IEND must be reached in bounds. */
final class PngHeader {

    private static final ImageFormat F = ImageFormat.PNG;

    private PngHeader() {
    }

    static ImageHeader read(byte[] b) {
        int pos = 8;
        int width = -1;
        int height = -1;
        int orientation = 1;
        boolean sawData = false;
        boolean first = true;
        while (true) {
            if (pos + 8 > b.length) {
                throw truncated(F, "chunk header at byte " + pos);
            }
            long len = be32(b, pos);
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (len > Integer.MAX_VALUE) {
                throw malformed(F, "chunk " + type + " declares " + len + " bytes");
            }
            long end = pos + 8 + len + 4;
            if (end > b.length) {
                throw truncated(F, "chunk " + type + " runs past the end of the file");
            }
            if (first) {
                if (!"IHDR".equals(type) || len != 13) {
                    throw malformed(F, "the first chunk is not a 13-byte IHDR");
                }
                long w = be32(b, pos + 8);
                long h = be32(b, pos + 12);
                // why: PNG sizes are 31-bit; anything larger is a hostile header, report it as too long
                width = (int) Math.min(w, Integer.MAX_VALUE);
                height = (int) Math.min(h, Integer.MAX_VALUE);
                first = false;
            } else if ("IDAT".equals(type)) {
                sawData = true;
            } else if ("eXIf".equals(type)) {
                orientation = ExifOrientation.fromTiff(b, pos + 8, (int) len);
            } else if ("IEND".equals(type)) {
                if (!sawData) {
                    throw malformed(F, "no IDAT chunk");
                }
                return new ImageHeader(F, width, height, orientation);
            }
            pos = (int) end;
        }
    }
}
