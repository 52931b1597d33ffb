package dev.avatarfleet.api.launch;

import dev.avatarfleet.common.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A streaming reader of {@code multipart/form-data} (RFC 7578): parts come one at a time, in the
 * order the client sent them, and each part's body is an {@link InputStream} that ends at the next
 * boundary, so callers enforce their own byte caps while reading, never after. Header blocks and
 * the number of parts are bounded here.
 *
 * <p>why: Helidon 4.5 has no multipart media module on Maven Central (the last one is 4.1.3), and
 * the limits must apply while the bytes arrive.
 */
public final class MultipartFormReader {
    /** One part's headers and its body stream. */
    public record Part(String name, String filename, String contentType, InputStream body) {
        /** True when the part is a file upload (it has a {@code filename}). */
        public boolean isFile() {
            return filename != null;
        }
    }

    static final int MAX_HEADER_BLOCK_BYTES = 8 * 1024;
    static final int MAX_PARTS = 32;

    private final InputStream in;
    private final byte[] delimiter;
    // why: an own buffer lets a part body be copied in runs up to the next CR instead of byte by byte
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private PartBody current;
    private boolean finished;
    private int parts;

    /**
     * @param body     the request body (already bounded by the caller)
     * @param boundary the boundary parameter of the Content-Type
     */
    public MultipartFormReader(InputStream body, String boundary) {
        this.in = body;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads the boundary parameter of a multipart Content-Type, or throws 400. */
    public static String boundaryOf(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = p.substring(9).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (value.isEmpty() || value.length() > 70) {
                    throw ApiException.badRequest("multipart boundary must be 1 to 70 characters");
                }
                return value;
            }
        }
        throw ApiException.badRequest("multipart/form-data without a boundary parameter");
    }

    /** The next part, or empty after the closing boundary. The previous part's unread bytes are skipped. */
    public Optional<Part> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (current == null) {
            skipPreamble();
        } else {
            current.skipRest();
        }
        if (finished) {
            return Optional.empty();
        }
        if (++parts > MAX_PARTS) {
            throw ApiException.badRequest("multipart body has more than " + MAX_PARTS + " parts");
        }
        String name = null;
        String filename = null;
        String contentType = null;
        int headerBytes = 0;
        while (true) {
            String line = readLine(MAX_HEADER_BLOCK_BYTES - headerBytes);
            headerBytes += line.length() + 2;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw ApiException.badRequest("malformed multipart part header");
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                if (!value.toLowerCase(Locale.ROOT).startsWith("form-data")) {
                    throw ApiException.badRequest("multipart part is not form-data");
                }
                name = dispositionParam(value, "name");
                filename = dispositionParam(value, "filename");
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("multipart part without a field name");
        }
        current = new PartBody();
        return Optional.of(new Part(name, filename, contentType, current));
    }

    private void skipPreamble() throws IOException {
        // why: the first boundary has no leading CRLF; match "--boundary" at the start, else scan a preamble
        int firstLength = delimiter.length - 2;
        if (ensure(firstLength) && java.util.Arrays.equals(buf, pos, pos + firstLength, delimiter, 2, delimiter.length)) {
            pos += firstLength;
            afterDelimiter();
        } else {
            new PartBody().skipRest();
        }
    }

    /** After a delimiter: "--" ends the body, otherwise optional padding then CRLF begins a part. */
    private void afterDelimiter() throws IOException {
        int a = readByte();
        if (a == '-') {
            if (readByte() != '-') {
                throw ApiException.badRequest("malformed multipart boundary");
            }
            finished = true;
            return;
        }
        int b = a;
        while (b == ' ' || b == '\t') {
            b = readByte();
        }
        if (b != '\r' || readByte() != '\n') {
            throw ApiException.badRequest(b == -1 ? "multipart body ends before its closing boundary" : "malformed multipart boundary");
        }
    }

    private String readLine(int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = readByte();
            if (b == -1) {
                throw ApiException.badRequest("multipart body ends inside part headers");
            }
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw ApiException.badRequest("malformed multipart part header line");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= max) {
                throw ApiException.badRequest("multipart part headers are longer than " + MAX_HEADER_BLOCK_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    static String dispositionParam(String disposition, String param) {
        int i = 0;
        String lower = disposition.toLowerCase(Locale.ROOT);
        while (true) {
            int at = lower.indexOf(param + "=", i);
            if (at < 0) {
                return null;
            }
            char before = at == 0 ? ';' : lower.charAt(at - 1);
            i = at + param.length() + 1;
            if (before != ';' && before != ' ' && before != '\t') {
                continue;
            }
            if (i < disposition.length() && disposition.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                for (int j = i + 1; j < disposition.length(); j++) {
                    char c = disposition.charAt(j);
                    if (c == '\\' && j + 1 < disposition.length()) {
                        value.append(disposition.charAt(++j));
                    } else if (c == '"') {
                        return value.toString();
                    } else {
                        value.append(c);
                    }
                }
                throw ApiException.badRequest("unterminated quoted parameter in Content-Disposition");
            }
            int end = disposition.indexOf(';', i);
            return disposition.substring(i, end < 0 ? disposition.length() : end).trim();
        }
    }

    /** Makes at least {@code n} bytes available from {@code pos}, unless the stream ends first. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < n) {
            int read = in.read(buf, lim, buf.length - lim);
            if (read < 0) {
                return false;
            }
            lim += read;
        }
        return true;
    }

    private int readByte() throws IOException {
        return ensure(1) ? buf[pos++] & 0xFF : -1;
    }

    /** The body of the current part: ends just before the next delimiter. */
    private final class PartBody extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] out, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (!ensure(1)) {
                throw ApiException.badRequest("multipart body ends before its closing boundary");
            }
            int cr = pos;
            while (cr < lim && buf[cr] != '\r') {
                cr++;
            }
            if (cr > pos) {
                int n = Math.min(len, cr - pos);
                System.arraycopy(buf, pos, out, off, n);
                pos += n;
                return n;
            }
            // a CR: the delimiter, or one byte of content
            if (ensure(delimiter.length) && java.util.Arrays.equals(buf, pos, pos + delimiter.length, delimiter, 0, delimiter.length)) {
                pos += delimiter.length;
                ended = true;
                afterDelimiter();
                return -1;
            }
            out[off] = buf[pos++];
            return 1;
        }

        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) != -1) {
                // drain
            }
        }
    }
}
