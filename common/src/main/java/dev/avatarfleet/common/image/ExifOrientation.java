package dev.avatarfleet.common.image;

/** Finds the Orientation tag (0x0112) in IFD0 of a TIFF-structured EXIF block; 1 when absent or unreadable. */
final class ExifOrientation {

    private ExifOrientation() {
    }

    static int fromTiff(byte[] b, int start, int length) {
        int end = (int) Math.min((long) start + Math.max(length, 0), b.length);
        if (start < 0 || start + 8 > end) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, start + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        long entriesAt = start + ifd;
        if (ifd < 8 || entriesAt + 2 > end) {
            return 1;
        }
        int count = u16(b, (int) entriesAt, little);
        for (int i = 0; i < count; i++) {
            long e = entriesAt + 2 + 12L * i;
            if (e + 12 > end) {
                return 1;
            }
            if (u16(b, (int) e, little) == 0x0112) {
                int value = u16(b, (int) e + 8, little);
                // why: out-of-range values are seen in the wild; treat them as "no rotation"
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int a = b[i] & 0xFF;
        int c = b[i + 1] & 0xFF;
        return little ? a | (c << 8) : (a << 8) | c;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            int byteAt = little ? i + 3 - k : i + k;
            v = (v << 8) | (b[byteAt] & 0xFF);
        }
        return v;
    }
}
