package dev.avatarfleet.worker.render.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Takes the image out of a small, fully read {@code multipart/form-data} body: the part named
 * {@code avatar_image} or {@code image}, else the first part with a filename. Enough for
 * /test-frame's optional upload; the body was size-bounded before it got here.
 */
final class MultipartImage {

    private MultipartImage() {
    }

    /** The boundary parameter of a multipart Content-Type, or null. */
    static String boundary(String contentType) {
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = t.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 70 ? null : b;
            }
        }
        return null;
    }

    /** The image part's bytes, or null when there is none. */
    static byte[] extract(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        byte[] fallback = null;
        while (pos >= 0) {
            int headersStart = pos + delimiter.length;
            if (headersStart + 2 <= body.length && body[headersStart] == '-' && body[headersStart + 1] == '-') {
                break; // closing delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                return fallback;
            }
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd + 4);
            if (next < 0) {
                return fallback;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1)
                    .toLowerCase(Locale.ROOT);
            byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
            if (headers.contains("name=\"avatar_image\"") || headers.contains("name=\"image\"")) {
                return content;
            }
            if (fallback == null && headers.contains("filename=")) {
                fallback = content;
            }
            pos = next + 2;
        }
        return fallback;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
