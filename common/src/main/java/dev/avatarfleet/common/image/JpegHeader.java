package dev.avatarfleet.common.image;

import static dev.avatarfleet.common.image.ImageInspector.be16;
import static dev.avatarfleet.common.image.ImageInspector.malformed;
import static dev.avatarfleet.common.image.ImageInspector.truncated;
import static dev.avatarfleet.common.image.ImageInspector.u8;

/** Walks a JPEG's marker segments up to the first scan: SOFn gives the size, APP1 Exif the orientation. */
final class JpegHeader {

    private static final ImageFormat F = ImageFormat.JPEG;

    private JpegHeader() {
    }

    static ImageHeader read(byte[] b) {
        int pos = 2;
        int width = -1;
        int height = -1;
        int orientation = 1;
        while (true) {
            if (pos + 2 > b.length) {
                throw truncated(F, "marker at byte " + pos);
            }
            if (u8(b, pos) != 0xFF) {
                throw malformed(F, "expected a marker at byte " + pos);
            }
            int marker = u8(b, pos + 1);
            if (marker == 0xFF) { // why: fill bytes may precede any marker
                pos++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                pos += 2;
                continue;
            }
            if (marker == 0xD9) {
                throw malformed(F, "end of image before any scan");
            }
            if (pos + 4 > b.length) {
                throw truncated(F, "segment length at byte " + pos);
            }
            int len = be16(b, pos + 2);
            if (len < 2) {
                throw malformed(F, "segment length " + len + " at byte " + pos);
            }
            int body = pos + 4;
            int end = pos + 2 + len;
            if (end > b.length) {
                throw truncated(F, "segment 0x" + Integer.toHexString(marker) + " runs past the end of the file");
            }
            if (isStartOfFrame(marker)) {
                if (len < 8) {
                    throw malformed(F, "frame header too short");
                }
                height = be16(b, body + 1);
                width = be16(b, body + 3);
            } else if (marker == 0xE1 && len >= 8 && b[body] == 'E' && b[body + 1] == 'x' && b[body + 2] == 'i'
                    && b[body + 3] == 'f' && b[body + 4] == 0 && b[body + 5] == 0 && orientation == 1) {
                orientation = ExifOrientation.fromTiff(b, body + 6, len - 8);
            } else if (marker == 0xDA) {
                if (width < 0) {
                    throw malformed(F, "a scan before any frame header");
                }
                if (!hasEndOfImage(b, end)) {
                    throw truncated(F, "no end-of-image marker after the scan data");
                }
                return new ImageHeader(F, width, height, orientation);
            }
            pos = end;
        }
    }

    private static boolean isStartOfFrame(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    private static boolean hasEndOfImage(byte[] b, int from) {
        // why: a cut-off upload decodes "successfully" into grey rows in ImageIO; the missing EOI gives it away
        for (int i = b.length - 2; i >= from; i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }
}
