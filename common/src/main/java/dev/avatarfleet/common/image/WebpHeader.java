package dev.avatarfleet.common.image;

import static dev.avatarfleet.common.image.ImageInspector.le16;
import static dev.avatarfleet.common.image.ImageInspector.le24;
import static dev.avatarfleet.common.image.ImageInspector.le32;
import static dev.avatarfleet.common.image.ImageInspector.malformed;
import static dev.avatarfleet.common.image.ImageInspector.truncated;
import static dev.avatarfleet.common.image.ImageInspector.u8;

import java.nio.charset.StandardCharsets;

/** Walks a WebP's RIFF chunks: VP8, VP8L or VP8X give the size, EXIF the orientation. */
final class WebpHeader {

    private static final ImageFormat F = ImageFormat.WEBP;

    private WebpHeader() {
    }

    static ImageHeader read(byte[] b) {
        long riffEnd = le32(b, 4) + 8;
        if (riffEnd > b.length) {
            throw truncated(F, "the RIFF header declares " + riffEnd + " bytes, the file has " + b.length);
        }
        int limit = (int) riffEnd;
        int pos = 12;
        int width = -1;
        int height = -1;
        int orientation = 1;
        boolean sawImage = false;
        while (pos + 8 <= limit) {
            String fourcc = new String(b, pos, 4, StandardCharsets.ISO_8859_1);
            long size = le32(b, pos + 4);
            int data = pos + 8;
            if (data + size > limit) {
                throw truncated(F, "chunk " + fourcc.trim() + " runs past the end of the file");
            }
            switch (fourcc) {
                case "VP8 " -> {
                    if (size < 10 || u8(b, data + 3) != 0x9D || u8(b, data + 4) != 0x01 || u8(b, data + 5) != 0x2A) {
                        throw malformed(F, "VP8 frame header");
                    }
                    if (width < 0) {
                        width = le16(b, data + 6) & 0x3FFF;
                        height = le16(b, data + 8) & 0x3FFF;
                    }
                    sawImage = true;
                }
                case "VP8L" -> {
                    if (size < 5 || u8(b, data) != 0x2F) {
                        throw malformed(F, "VP8L signature");
                    }
                    if (width < 0) {
                        long bits = le32(b, data + 1);
                        width = (int) (bits & 0x3FFF) + 1;
                        height = (int) ((bits >>> 14) & 0x3FFF) + 1;
                    }
                    sawImage = true;
                }
                case "VP8X" -> {
                    if (size < 10) {
                        throw malformed(F, "VP8X chunk too short");
                    }
                    width = le24(b, data + 4) + 1;
                    height = le24(b, data + 7) + 1;
                }
                case "EXIF" -> orientation = ExifOrientation.fromTiff(b, data, (int) size);
                case "ANMF" -> sawImage = true;
                default -> {
                    // why: other chunks (ICCP, ALPH, XMP) carry nothing the intake needs
                }
            }
            pos = (int) (data + size + (size & 1));
        }
        if (!sawImage) {
            throw width < 0 ? malformed(F, "no image chunk") : truncated(F, "no image data after the VP8X header");
        }
        return new ImageHeader(F, width, height, orientation);
    }
}
