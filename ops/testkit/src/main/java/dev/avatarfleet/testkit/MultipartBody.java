package dev.avatarfleet.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The tests' multipart/form-data writer: builds a body part by part, in the order given (as aiohttp's
 * FormData, which the bitHuman plugin uses, does).
 */
public final class MultipartBody {
    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public MultipartBody(String boundary) {
        this.boundary = boundary;
    }

    public MultipartBody() {
        this("a8f3b3c5d1e24f7c9b0a1e2d3c4b5a69");
    }

    public MultipartBody field(String name, String value) {
        write("--" + boundary + "\r\n");
        write("Content-Type: text/plain; charset=utf-8\r\n");
        write("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
        write(value);
        write("\r\n");
        return this;
    }

    public MultipartBody file(String name, String filename, String contentType, byte[] bytes) {
        write("--" + boundary + "\r\n");
        write("Content-Type: " + contentType + "\r\n");
        write("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n\r\n");
        out.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] build() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return copy.toByteArray();
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
